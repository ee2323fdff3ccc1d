import '../helpers/test-engines.js'; // first: registers the test-only lease-test engine before the server loads
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Barrier } from '../../src/barrier/barrier.js';
import type { StateEvent } from '../../src/engines/lease-test/state-file.js';
import { EXPIRATION_STORAGE_PREFIX, leaseKey } from '../../src/expiration/lease-record.js';
import { type BatchOp, prefixedStorage } from '../../src/framework/storage.js';
import { ManualClock } from '../../src/lib/clock.js';
import { mountStoragePrefix } from '../../src/router/mount-entry.js';
import { freshDir, runExpiry } from '../helpers/leases.js';
import { api, type ApiResult, startTestServer, type TestServer } from '../helpers/server.js';

/**
 * How the core registers the lease of a leased response (DESIGN.md, Leases: "the lease record is written before the
 * credential is returned; if writing fails, the credential is revoked"), through the real core with the lease-test
 * engine, on both paths of `LeaseOps.registerSecret`:
 * - classic: the engine has created the credential; if the lease commit fails, the core revokes it and answers 500;
 * - open creation (`open_creation`, the database engine's protocol): the credential is created only once its lease is
 *   durable; if the lease commit fails nothing is created; if the creation fails after the lease was recorded
 *   (`fail_after_record`), the core revokes that lease at once, or leaves it retrying until the target recovers.
 * The lease commit is made to fail by wrapping the barrier's `batch` for one commit that writes a lease record.
 */

const T0 = Date.parse('2030-01-01T00:00:00.000Z');

type Data = Record<string, unknown>;
const data = (r: ApiResult): Data => (r.body?.data ?? {}) as Data;

/** The engine's state file (its "target"): every credential created and revoked, in order. */
function events(file: string): StateEvent[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as StateEvent);
}

/**
 * Runs `hook` before every barrier commit that writes the record of a lease under `leasePrefix` (only the request
 * under test, not the expiration worker's updates elsewhere), until restored: the commit waits for it, and fails if
 * it throws. Restoring removes the wrapper, so the barrier's own method is used again.
 */
function onLeaseCommit(barrier: Barrier, leasePrefix: string, hook: (ops: BatchOp[]) => void | Promise<void>): { restore(): void } {
  const original = barrier.batch;
  const recordPrefix = EXPIRATION_STORAGE_PREFIX + leaseKey(leasePrefix);
  const wrapped: Barrier['batch'] = async function (this: Barrier, ops) {
    if (ops.some((o) => o.op === 'put' && o.key.startsWith(recordPrefix))) await hook(ops);
    return original.call(this, ops);
  };
  barrier.batch = wrapped;
  return {
    restore: () => {
      // The wrapper is an own property shadowing the prototype's method: deleting it restores the barrier exactly.
      Reflect.deleteProperty(barrier, 'batch');
    },
  };
}

/** Makes the next commit that writes a lease under `leasePrefix` fail, as a storage backend refusing a write would. */
function failNextLeaseCommit(barrier: Barrier, leasePrefix: string): { failed(): number; restore(): void } {
  let failed = 0;
  const w = onLeaseCommit(barrier, leasePrefix, () => {
    if (failed > 0) return;
    failed++;
    throw new Error('injected: the storage backend refused the commit');
  });
  return { failed: () => failed, restore: w.restore };
}

describe('lease registration through the core (lease-test engine, dev server)', () => {
  const clock = new ManualClock(T0);
  const tmp = freshDir('ward-lease-registration-');
  let srv: TestServer;
  let token: string;
  const call = (method: string, path: string, body?: unknown) => api(srv.addr, method, path, { token, ...(body !== undefined ? { body } : {}) });

  /** A lease-test mount with role `r` (1h) and its own state file; returns the state file's path. */
  const mount = async (path: string, config: Data): Promise<string> => {
    const m = await call('POST', `/v1/sys/mounts/${path}`, { type: 'lease-test' });
    expect(m.status, m.text).toBe(204);
    expect((await call('POST', `/v1/${path}/roles/r`, { ttl: '1h' })).status).toBe(204);
    const file = join(tmp.dir, `${path}.jsonl`);
    const c = await call('POST', `/v1/${path}/config`, { state_file: file, ...config });
    expect(c.status, c.text).toBe(204);
    return file;
  };
  /** `creds/r` with the next lease commit failing; the barrier is restored whatever happens. */
  const credsWithFailedLeaseCommit = async (path: string): Promise<ApiResult> => {
    const inject = failNextLeaseCommit(srv.server.core.barrier, `${path}/creds/r/`);
    try {
      const r = await call('GET', `/v1/${path}/creds/r`);
      expect(inject.failed(), 'the lease commit was attempted (and failed)').toBe(1);
      return r;
    } finally {
      inject.restore();
    }
  };
  const status = async (path: string, username: string): Promise<Data> => {
    const r = await call('GET', `/v1/${path}/status/${username}`);
    expect(r.status, r.text).toBe(200);
    return data(r);
  };
  /** LIST sys/leases/lookup/<path>/creds/r/: 404 when the role has no lease. */
  const leases = (path: string) => call('LIST', `/v1/sys/leases/lookup/${path}/creds/r/`);
  const lookup = (leaseId: string) => call('PUT', '/v1/sys/leases/lookup', { lease_id: leaseId });
  /** Reads the credentials the engine at `path` holds (`cred/<username>` in its storage view), without a request. */
  const engineCreds = async (path: string): Promise<() => Promise<string[]>> => {
    const m = await call('GET', `/v1/sys/mounts/${path}`);
    expect(m.status, m.text).toBe(200);
    const view = prefixedStorage(srv.server.core.barrier, mountStoragePrefix('mounts', data(m).uuid as string));
    return () => view.list('cred/');
  };

  beforeAll(async () => {
    srv = await startTestServer({ clock });
    token = srv.rootToken;
  });
  afterAll(async () => {
    await srv?.stop();
    tmp.cleanup();
  });

  it('the config lists open_creation and fail_after_record, off by default', async () => {
    await mount('lt-config', {});
    expect(data(await call('GET', '/v1/lt-config/config'))).toMatchObject({ open_creation: false, fail_after_record: false, pending_records: true });
    expect((await call('POST', '/v1/lt-config/config', { open_creation: true, fail_after_record: true })).status).toBe(204);
    expect(data(await call('GET', '/v1/lt-config/config'))).toMatchObject({ open_creation: true, fail_after_record: true });
  });

  describe('classic path (the engine has created the credential)', () => {
    it('a failed lease commit revokes the credential at once: 500, credential revoked, no lease', async () => {
      const file = await mount('lt-classic', {});
      const r = await credsWithFailedLeaseCommit('lt-classic');
      expect(r.status, r.text).toBe(500);
      // Vault's envelope, with nothing of the credential in it
      expect(r.body).toEqual({ errors: [expect.stringMatching(/failed to record the lease; the credential was revoked/)] });

      // The target created the credential, then the core revoked it under the lease id it could not record.
      const ev = events(file);
      expect(ev.map((e) => e.event)).toEqual(['created', 'revoked']);
      const username = (ev[0] as StateEvent).id;
      expect(ev[1]).toMatchObject({ id: username, found: true, lease_id: expect.stringMatching(/^lt-classic\/creds\/r\//) });
      expect(await status('lt-classic', username)).toMatchObject({ live: false, pending: false, revoked_by: (ev[1] as StateEvent).lease_id });
      expect(data(await call('LIST', '/v1/lt-classic/revoked/')).keys).toEqual([username]);

      // No lease stands for a credential that no longer exists.
      expect((await leases('lt-classic')).status).toBe(404);
      expect((await lookup((ev[1] as StateEvent).lease_id as string)).status).toBe(400);

      // The failure was the one commit: the next request gets a credential under a lease.
      const ok = await call('GET', '/v1/lt-classic/creds/r');
      expect(ok.status, ok.text).toBe(200);
      expect((await lookup(ok.body?.lease_id as string)).status).toBe(200);
      expect(await status('lt-classic', data(ok).username as string)).toMatchObject({ live: true, pending: false });
    });
  });

  describe('open creation (the credential is created once its lease is durable)', () => {
    it('a failed lease commit creates nothing: 500, no credential at the target or in the engine, no lease', async () => {
      const file = await mount('lt-open-fail', { open_creation: true });
      const r = await credsWithFailedLeaseCommit('lt-open-fail');
      expect(r.status, r.text).toBe(500);
      expect(r.body).toEqual({ errors: [expect.stringMatching(/failed to record the lease; the credential was not created/)] });
      // Nothing was created, so nothing had to be revoked.
      expect(events(file)).toEqual([]);
      expect(await (await engineCreds('lt-open-fail'))()).toEqual([]);
      expect((await call('LIST', '/v1/lt-open-fail/revoked/')).status).toBe(404);
      expect((await leases('lt-open-fail')).status).toBe(404);
    });

    it('success: 200 with a lease, and the credential is created only after its lease was committed', async () => {
      const file = await mount('lt-open', { open_creation: true });
      // A slow lease commit (100 ms, a loaded storage backend); what the target and the engine held just before it
      // became durable. A credential made visible any earlier would have been created by then.
      const atCommit: Array<{ events: StateEvent[]; creds: string[] }> = [];
      const creds = await engineCreds('lt-open');
      const watch = onLeaseCommit(srv.server.core.barrier, 'lt-open/creds/r/', async () => {
        await new Promise((resolve) => setTimeout(resolve, 100));
        atCommit.push({ events: events(file), creds: await creds() });
      });
      let r: ApiResult;
      try {
        r = await call('GET', '/v1/lt-open/creds/r');
      } finally {
        watch.restore();
      }
      expect(r.status, r.text).toBe(200);
      const leaseId = r.body?.lease_id as string;
      const username = data(r).username as string;
      expect(leaseId).toMatch(/^lt-open\/creds\/r\/[A-Za-z0-9_-]{20,}$/);
      expect(r.body).toMatchObject({ lease_duration: 3600, renewable: true });

      expect(atCommit).toEqual([{ events: [], creds: [] }]);
      expect(events(file)).toEqual([{ event: 'created', id: username, time: clock.now() }]);
      expect(await creds()).toEqual([username]);
      expect(data(await lookup(leaseId))).toMatchObject({ id: leaseId, state: 'active', attempts: 0 });
      expect(await status('lt-open', username)).toMatchObject({ live: true, pending: false });

      // The lease stands for that credential: revoking it destroys the credential.
      expect((await call('PUT', '/v1/sys/leases/revoke', { lease_id: leaseId })).status).toBe(204);
      expect(await status('lt-open', username)).toMatchObject({ live: false, revoked_by: leaseId });
    });

    it('a creation that fails after its lease was recorded: 502, the half-made credential revoked, the lease gone', async () => {
      const file = await mount('lt-half', { open_creation: true, fail_after_record: true });
      const r = await call('GET', '/v1/lt-half/creds/r');
      expect(r.status, r.text).toBe(502);
      expect(r.body).toEqual({ errors: [expect.stringMatching(/fail_after_record/)] });

      const ev = events(file);
      expect(ev.map((e) => e.event)).toEqual(['created', 'revoked']);
      const username = (ev[0] as StateEvent).id;
      const leaseId = (ev[1] as StateEvent).lease_id as string;
      expect(ev[1]).toMatchObject({ id: username, found: true, lease_id: expect.stringMatching(/^lt-half\/creds\/r\//) });
      expect(await status('lt-half', username)).toMatchObject({ live: false, revoked_by: leaseId });
      expect((await lookup(leaseId)).status).toBe(400);
      expect((await leases('lt-half')).status).toBe(404);
    });

    it('…and if that revocation fails too: 502, the lease stays retrying, and the worker revokes it once the target recovers', async () => {
      const file = await mount('lt-half-retry', { open_creation: true, fail_after_record: true, fail_revoke: true });
      const r = await call('GET', '/v1/lt-half-retry/creds/r');
      expect(r.status, r.text).toBe(502);
      expect(r.body).toEqual({ errors: [expect.stringMatching(/fail_after_record/)] });

      // The half-made credential is live and its lease is kept, retrying, visible in list and lookup.
      const ev = events(file);
      expect(ev.map((e) => e.event)).toEqual(['created']);
      const username = (ev[0] as StateEvent).id;
      expect(await status('lt-half-retry', username)).toMatchObject({ live: true });
      const listed = await leases('lt-half-retry');
      expect(listed.status, listed.text).toBe(200);
      const keys = data(listed).keys as string[];
      expect(keys).toHaveLength(1);
      const leaseId = `lt-half-retry/creds/r/${keys[0] as string}`;
      const retrying = data(await lookup(leaseId));
      expect(retrying).toMatchObject({ state: 'retrying', attempts: 1, last_error: expect.stringMatching(/fail_revoke/) });
      expect((data(listed).key_info as Record<string, Data>)[keys[0] as string]).toMatchObject({ state: 'retrying', attempts: 1 });
      const nextAttempt = Date.parse(retrying.next_attempt as string);
      expect(nextAttempt).toBeGreaterThan(clock.now());

      // The target recovers; once the next attempt is due the worker revokes it, with no operator action.
      expect((await call('POST', '/v1/lt-half-retry/config', { fail_revoke: false })).status).toBe(204);
      clock.set(nextAttempt + 1);
      await runExpiry(srv.server.core);
      expect((await lookup(leaseId)).status).toBe(400);
      expect((await leases('lt-half-retry')).status).toBe(404);
      expect(await status('lt-half-retry', username)).toMatchObject({ live: false, revoked_by: leaseId });
      expect(events(file).map((e) => [e.event, e.id])).toEqual([
        ['created', username],
        ['revoked', username],
      ]);
    });
  });
});
