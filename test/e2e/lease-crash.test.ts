import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDir, initAndUnseal, unseal } from '../helpers/leases.js';
import { api } from '../helpers/server.js';
import { spawnWard, type WardProcess } from '../helpers/ward-process.js';

/**
 * Crash safety of leases (issue 4, point 5). Ward runs in a child process (from the sources, with
 * WARD_TEST_ENGINES=1) on SQLite, with two lease-test mounts appending every credential they create and revoke to
 * fsynced state files — the "targets'" ground truth:
 * - `lt/` follows the pending-record protocol (the database engine's): a pending-creation record is durable before
 *   the credential exists, the secret's `recorded` hook drops it once the core has written the lease, and at unseal
 *   the engine revokes every credential whose creation never completed;
 * - `lt-naive/` does not (`pending_records=false`): the control, showing that the check below sees the window.
 * Sixteen clients issue credentials on both and revoke about half of them; `kill -9` cuts the burst. Ward restarts
 * on the same file, is unsealed, and expiry (TTL 3 s) runs until no lease is left. Then, for `lt/`:
 * - every credential a client received had a lease (it has been revoked);
 * - no lease pointed at a credential the engine never created;
 * - every credential the engine created had a lease or was revoked — nothing is left alive at the target.
 * The targets answer 50 ms after creating a credential (`create_delay_ms`, a slow database), so the kill finds
 * requests between "created at the target" and "lease written": the outcome is deterministic, not luck.
 */

interface Event {
  event: 'created' | 'revoked';
  id: string;
  lease_id?: string;
  found?: boolean;
  already?: boolean;
}

function readEvents(path: string): Event[] {
  if (!existsSync(path)) return [];
  const out: Event[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      out.push(JSON.parse(line) as Event);
    } catch {
      // a line torn by the kill (one write per line, so at most the last one)
    }
  }
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Outcome {
  received: Array<{ user: string; lease: string }>;
  created: Set<string>;
  revoked: Set<string>;
  revokedByLease: Set<string>;
  pointedAtNothing: Event[];
}

function outcome(received: Outcome['received'], stateFile: string): Outcome {
  const events = readEvents(stateFile);
  return {
    received,
    created: new Set(events.filter((e) => e.event === 'created').map((e) => e.id)),
    revoked: new Set(events.filter((e) => e.event === 'revoked' && e.found === true).map((e) => e.id)),
    revokedByLease: new Set(events.filter((e) => e.event === 'revoked' && e.found === true && e.lease_id !== undefined).map((e) => e.id)),
    pointedAtNothing: events.filter((e) => e.event === 'revoked' && e.found !== true),
  };
}

const leftBehind = (o: Outcome): string[] => [...o.created].filter((u) => !o.revoked.has(u));

describe('leases and kill -9 during a burst of issuance and revocation', () => {
  const tmp = freshDir('ward-lease-crash-');
  const env = { WARD_TEST_ENGINES: '1' };
  const mounts = { lt: { pending_records: true }, 'lt-naive': { pending_records: false } } as const;
  type MountName = keyof typeof mounts;
  const received: Record<MountName, Outcome['received']> = { lt: [], 'lt-naive': [] };
  const results = {} as Record<MountName, Outcome>;
  let ward: WardProcess | null = null;
  let inFlightAtKill = 0;
  let leasesLeft = -1;

  beforeAll(async () => {
    ward = await spawnWard(tmp.dir, env);
    const { key, rootToken: token } = await initAndUnseal(ward.addr);
    const call = (addr: string, method: string, path: string, body?: unknown) => api(addr, method, path, { token, ...(body !== undefined ? { body } : {}) });
    for (const [m, conf] of Object.entries(mounts)) {
      const setup = [
        await call(ward.addr, 'POST', `/v1/sys/mounts/${m}`, { type: 'lease-test' }),
        await call(ward.addr, 'POST', `/v1/${m}/config`, { state_file: join(tmp.dir, `${m}.jsonl`), create_delay_ms: 50, ...conf }),
        await call(ward.addr, 'POST', `/v1/${m}/roles/r`, { ttl: '3s' }),
      ];
      for (const r of setup) if (r.status !== 204) throw new Error(`setup: ${r.status} ${r.text}`);
    }

    const addr = ward.addr;
    let inFlight = 0;
    let dead = false;
    const client = async (m: MountName) => {
      while (!dead) {
        inFlight++;
        try {
          const r = await call(addr, 'GET', `/v1/${m}/creds/r`);
          if (r.status !== 200) continue;
          const lease = r.body?.lease_id as string;
          received[m].push({ user: (r.body?.data as { username: string }).username, lease });
          if (Math.random() < 0.5) await call(addr, 'PUT', '/v1/sys/leases/revoke', { lease_id: lease });
        } catch {
          return; // the server is gone
        } finally {
          inFlight--;
        }
      }
    };
    const clients = Array.from({ length: 16 }, (_, i) => client(i % 2 === 0 ? 'lt' : 'lt-naive'));
    await sleep(1500);
    inFlightAtKill = inFlight;
    await ward.kill9();
    dead = true;
    await Promise.all(clients);

    // Restart on the same file, unseal, and let expiry run until no lease is left.
    ward = await spawnWard(tmp.dir, env);
    await unseal(ward.addr, key);
    const count = async () => {
      let n = 0;
      for (const m of Object.keys(mounts)) n += ((await call((ward as WardProcess).addr, 'GET', `/v1/sys/leases/count?prefix=${m}/`)).body?.data as { lease_count: number }).lease_count;
      return n;
    };
    const deadline = Date.now() + 15_000;
    leasesLeft = await count();
    while (leasesLeft > 0 && Date.now() < deadline) {
      await sleep(250);
      leasesLeft = await count();
    }
    for (const m of Object.keys(mounts) as MountName[]) results[m] = outcome(received[m], join(tmp.dir, `${m}.jsonl`));
  }, 60_000);

  afterAll(async () => {
    await ward?.stop();
    tmp.cleanup();
  });

  it('the burst was real and was cut mid-flight; after restart every lease expires and is revoked', () => {
    for (const m of Object.keys(mounts) as MountName[]) {
      expect(results[m].received.length, m).toBeGreaterThan(10);
      expect(results[m].created.size, m).toBeGreaterThanOrEqual(results[m].received.length);
    }
    expect(inFlightAtKill).toBeGreaterThan(0);
    expect(leasesLeft, 'leases still present 15 s after restart').toBe(0);
  });

  it('every credential returned to a client had a lease: it has been revoked', () => {
    for (const m of Object.keys(mounts) as MountName[]) expect(results[m].received.filter((r) => !results[m].revoked.has(r.user)), m).toEqual([]);
  });

  it('no lease pointed at a credential the engine never created', () => {
    for (const m of Object.keys(mounts) as MountName[]) {
      expect(results[m].pointedAtNothing, m).toEqual([]);
      // Only revocations through a lease count here: the pending clean-up at unseal may also "revoke" a credential
    // whose pending record was durable when the kill came but whose creation at the target never happened — the
    // no-op a DROP ... IF EXISTS is, and exactly what the protocol is for.
    expect([...results[m].revokedByLease].filter((u) => !results[m].created.has(u)), m).toEqual([]);
    }
  });

  it('every credential the engine created had a lease or was revoked: nothing is left alive at the target', () => {
    const o = results.lt;
    expect(leftBehind(o), `created ${o.created.size}, returned to clients ${o.received.length}, requests in flight at the kill ${inFlightAtKill}`).toEqual([]);
  });

  it('control: without the pending-record protocol, the kill does leave credentials behind (the check above sees it)', () => {
    const o = results['lt-naive'];
    expect(o.created.size).toBeGreaterThan(o.received.length); // credentials created whose response the kill cut off
    expect(leftBehind(o).length).toBeGreaterThan(0);
  });
});
