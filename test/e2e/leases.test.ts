import '../helpers/test-engines.js'; // first: registers the test-only lease-test engine before the server loads
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prefixedStorage } from '../../src/framework/storage.js';
import { ManualClock, rfc3339Nano } from '../../src/lib/clock.js';
import { freshDir, initAndUnseal, rawApi, runExpiry, startSqliteServer, unseal } from '../helpers/leases.js';
import { api, type ApiResult, startTestServer, type TestServer } from '../helpers/server.js';

/**
 * Leases over HTTP (issue 4; spec §1.6, §2.5): TTL arithmetic, the lease timeline, lookup/list/renew/revoke and their
 * legacy aliases, expiry on a manual clock, leases dying with their token, revoke-prefix on a login path, revocation
 * that never gives up (also across a restart on SQLite), and bad input.
 */

const SYSTEM_TTL = 2_764_800; // 768h
const T0 = Date.parse('2030-01-01T00:00:00.000Z');
const HOUR = 3_600_000;

type Data = Record<string, unknown>;
const data = (r: ApiResult): Data => (r.body?.data ?? {}) as Data;
const suffix = (leaseId: string): string => leaseId.slice(leaseId.lastIndexOf('/') + 1);

describe('leases over HTTP (dev server, manual clock)', () => {
  const clock = new ManualClock(T0);
  let srv: TestServer;
  let token: string;
  const call = (method: string, path: string, body?: unknown, tok: string = token) => api(srv.addr, method, path, { token: tok, ...(body !== undefined ? { body } : {}) });

  /** Enables a lease-test mount with optional mount TTLs, and its roles. */
  const mount = async (path: string, config: Data = {}, roles: Record<string, Data> = {}) => {
    const m = await call('POST', `/v1/sys/mounts/${path}`, { type: 'lease-test', config });
    expect(m.status, m.text).toBe(204);
    for (const [name, role] of Object.entries(roles)) expect((await call('POST', `/v1/${path}/roles/${name}`, role)).status).toBe(204);
  };
  const creds = async (path: string, tok: string = token): Promise<ApiResult> => {
    const r = await call('GET', `/v1/${path}`, undefined, tok);
    expect(r.status, r.text).toBe(200);
    return r;
  };
  const lookup = (leaseId: string) => call('PUT', '/v1/sys/leases/lookup', { lease_id: leaseId });
  const status = async (mountPath: string, username: string): Promise<Data> => {
    const r = await call('GET', `/v1/${mountPath}/status/${username}`);
    expect(r.status, r.text).toBe(200);
    return data(r);
  };
  const waitFor = async (what: string, check: () => Promise<boolean>, ms = 8000) => {
    const end = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  beforeAll(async () => {
    srv = await startTestServer({ clock });
    token = srv.rootToken;
  });
  afterAll(async () => {
    await srv?.stop();
  });

  describe('the test engine', () => {
    it('is mounted as lease-test, says it is test-only, and refuses unknown roles', async () => {
      await mount('lt-engine', {}, { r: { ttl: '1h' } });
      const help = await call('GET', '/v1/lt-engine?help=1');
      expect(String(help.body?.help)).toMatch(/TEST-ONLY/);
      expect(data(await call('GET', '/v1/lt-engine/roles/r'))).toEqual({ ttl: 3600, max_ttl: 0, renewable: true });
      expect((await call('GET', '/v1/lt-engine/creds/nope')).status).toBe(400);
      const r = await creds('lt-engine/creds/r');
      expect(data(r)).toEqual({ username: expect.stringMatching(/^lt-r-/), password: expect.any(String) });
      expect(await status('lt-engine', data(r).username as string)).toMatchObject({ live: true, pending: false, revoked_time: null }); // pending record dropped once the lease was recorded
      expect(data(await call('GET', '/v1/lt-engine/config'))).toEqual({ fail_revoke: false, fail_create: false, state_file: '', create_delay_ms: 0, pending_records: true, open_creation: false, fail_after_record: false });
      expect((await call('POST', '/v1/lt-engine/config', { fail_create: true })).status).toBe(204);
      const refused = await call('GET', '/v1/lt-engine/creds/r');
      expect(refused.status).toBe(502);
      expect(String(refused.body?.errors)).toMatch(/fail_create/);
    });
  });

  describe('TTL arithmetic (§1.6) and the lease timeline', () => {
    beforeAll(async () => {
      const roles = { zero: {}, hour: { ttl: '1h' }, huge: { ttl: '1000h' }, capped: { ttl: '10h', max_ttl: '5h' }, tight: { ttl: '10h', max_ttl: '2h' } };
      await mount('lt', {}, roles);
      await mount('lt-def', { default_lease_ttl: '2h' }, roles);
      await mount('lt-max', { max_lease_ttl: '3h' }, roles);
    });

    const cases: Array<[string, number, string]> = [
      // role TTL → mount default → system default; capped by role max, mount max, system max
      ['lt/creds/hour', 3600, 'system'],
      ['lt/creds/zero', SYSTEM_TTL, 'system'],
      ['lt-def/creds/zero', 7200, 'system'],
      ['lt-def/creds/hour', 3600, 'system'],
      ['lt/creds/huge', SYSTEM_TTL, 'system'],
      ['lt/creds/capped', 5 * 3600, 'role'],
      ['lt-max/creds/zero', 3 * 3600, 'mount'],
      ['lt-max/creds/capped', 3 * 3600, 'mount'],
      ['lt-max/creds/tight', 2 * 3600, 'role'],
      ['lt-max/creds/hour', 3600, 'mount'],
      ['lt/creds/hour?ttl=30m', 1800, 'system'],
    ];
    for (const [path, ttl, source] of cases) {
      it(`${path} → lease_duration ${ttl}, max_ttl_source ${source}`, async () => {
        const now = clock.now();
        const r = await creds(path);
        const body = r.body as Data;
        expect(body.lease_id).toMatch(new RegExp(`^${path.split('?')[0]}/[A-Za-z0-9_-]{20,}$`));
        expect(body.lease_duration).toBe(ttl);
        expect(body.expire_time).toBe(rfc3339Nano(now + ttl * 1000));
        expect(body.max_ttl_source).toBe(source);
        const maxBy: Record<string, number> = { system: SYSTEM_TTL, mount: 3 * 3600, role: path.includes('tight') ? 2 * 3600 : 5 * 3600 };
        expect(body.max_expire_time).toBe(rfc3339Nano(now + (maxBy[source] as number) * 1000));
        // the same timeline on lookup
        const l = await lookup(body.lease_id as string);
        expect(l.status).toBe(200);
        expect(data(l)).toMatchObject({
          id: body.lease_id,
          issue_time: rfc3339Nano(now),
          expire_time: body.expire_time,
          max_expire_time: body.max_expire_time,
          max_ttl_source: source,
          last_renewal: null,
          renewable: true,
          ttl,
          state: 'active',
          attempts: 0,
        });
      });
    }

    it("a token's hard end caps the lease (max_ttl_source token)", async () => {
      const t = await call('POST', '/v1/auth/token/create', { policies: ['root'], ttl: '20m', explicit_max_ttl: '30m' });
      expect(t.status, t.text).toBe(200);
      const child = (t.body?.auth as Data).client_token as string;
      const now = clock.now();
      const r = await creds('lt/creds/hour', child);
      expect(r.body).toMatchObject({ lease_duration: 1800, max_ttl_source: 'token', max_expire_time: rfc3339Nano(now + 1800_000) });
      expect(data(await lookup(r.body?.lease_id as string))).toMatchObject({ max_ttl_source: 'token', ttl: 1800 });
    });
  });

  describe('lookup, list, count, tidy', () => {
    it('PUT sys/leases/lookup and LIST sys/leases/lookup/<prefix> with key_info', async () => {
      await mount('lt-list', {}, { a: { ttl: '1h' } });
      const one = (await creds('lt-list/creds/a')).body?.lease_id as string;
      const two = (await creds('lt-list/creds/a')).body?.lease_id as string;
      const top = await call('LIST', '/v1/sys/leases/lookup/lt-list/');
      expect(top.status, top.text).toBe(200);
      expect(data(top).keys).toEqual(['creds/']);
      for (const [method, path] of [['LIST', '/v1/sys/leases/lookup/lt-list/creds/a/'], ['LIST', '/v1/sys/leases/lookup/lt-list/creds/a'], ['GET', '/v1/sys/leases/lookup/lt-list/creds/a/?list=true']] as const) {
        const r = await call(method, path);
        expect(r.status, `${method} ${path}: ${r.text}`).toBe(200);
        expect((data(r).keys as string[]).slice().sort()).toEqual([suffix(one), suffix(two)].sort());
        const info = data(r).key_info as Record<string, Data>;
        expect(info[suffix(one)]).toMatchObject({ state: 'active', attempts: 0, expire_time: rfc3339Nano(clock.now() + HOUR), next_attempt: null, last_error: null });
      }
      expect((await call('LIST', '/v1/sys/leases/lookup/lt-nothing-here/')).status).toBe(404);
    });

    it('sys/leases/count counts leases, in all and under a prefix', async () => {
      await mount('lt-count', {}, { a: { ttl: '1h' } });
      const before = data(await call('GET', '/v1/sys/leases/count')).lease_count as number;
      for (let i = 0; i < 3; i++) await creds('lt-count/creds/a');
      const after = await call('GET', '/v1/sys/leases/count');
      expect(after.status).toBe(200);
      expect(data(after).lease_count).toBe(before + 3);
      expect(data(await call('GET', '/v1/sys/leases/count?prefix=lt-count/')).lease_count).toBe(3);
    });

    it('sys/leases/tidy answers 204 and removes index entries whose lease is gone, keeping live ones', async () => {
      await mount('lt-tidy', {}, { a: { ttl: '1h' } });
      const live = (await creds('lt-tidy/creds/a')).body?.lease_id as string;
      const expire = prefixedStorage(srv.server.core.barrier, 'expire/');
      const dangling = ['due/000000000000001/lt-tidy/creds/a/gone', 'by-token/nobody/lt-tidy/creds/a/gone'];
      for (const k of dangling) await expire.put(k, Buffer.alloc(0));
      expect((await call('PUT', '/v1/sys/leases/tidy')).status).toBe(204);
      for (const k of dangling) expect(await expire.get(k)).toBeNull();
      expect((await lookup(live)).status).toBe(200);
      await runExpiry(srv.server.core);
      expect((await lookup(live)).status).toBe(200);
    });
  });

  describe('renew', () => {
    beforeAll(async () => {
      await mount('lt-renew', {}, { r: { ttl: '1h', max_ttl: '2h' }, fixed: { ttl: '1h', renewable: false } });
    });

    it('renews by the increment (top-level lease_id, renewable, lease_duration) and records last_renewal', async () => {
      const id = (await creds('lt-renew/creds/r')).body?.lease_id as string;
      clock.advance(10 * 60_000);
      const r = await call('PUT', '/v1/sys/leases/renew', { lease_id: id, increment: 600 });
      expect(r.status, r.text).toBe(200);
      expect(r.body).toMatchObject({ lease_id: id, renewable: true, lease_duration: 600, expire_time: rfc3339Nano(clock.now() + 600_000), max_ttl_source: 'role' });
      expect(data(await lookup(id))).toMatchObject({ last_renewal: rfc3339Nano(clock.now()), ttl: 600, expire_time: rfc3339Nano(clock.now() + 600_000) });
      // null/0 increment = the lease's own TTL; URL form; legacy sys/renew
      expect((await call('PUT', '/v1/sys/leases/renew', { lease_id: id, increment: null })).body?.lease_duration).toBe(600);
      expect((await call('PUT', `/v1/sys/leases/renew/${id}`, { increment: '5m' })).body?.lease_duration).toBe(300);
      const legacy = await call('PUT', '/v1/sys/renew', { lease_id: id, increment: '15m' });
      expect(legacy.status, legacy.text).toBe(200);
      expect(legacy.body).toMatchObject({ lease_id: id, lease_duration: 900 });
      expect((await call('PUT', `/v1/sys/renew/${id}`, { increment: 60 })).body?.lease_duration).toBe(60);
    });

    it('caps a renewal at the hard end, and refuses to renew past it', async () => {
      const issued = clock.now();
      const id = (await creds('lt-renew/creds/r')).body?.lease_id as string;
      clock.advance(30 * 60_000);
      const r = await call('PUT', '/v1/sys/leases/renew', { lease_id: id, increment: '10h' });
      expect(r.status, r.text).toBe(200);
      expect(r.body).toMatchObject({ lease_duration: 5400, expire_time: rfc3339Nano(issued + 2 * HOUR), max_expire_time: rfc3339Nano(issued + 2 * HOUR) });
      clock.advance(90 * 60_000); // now at the hard end
      expect((await call('PUT', '/v1/sys/leases/renew', { lease_id: id, increment: 60 })).status).toBe(400);
    });

    it('answers 400 for unknown and non-renewable leases, and for negative, malformed or absurd increments', async () => {
      const fixed = await creds('lt-renew/creds/fixed');
      expect(fixed.body?.renewable).toBe(false);
      const nonRenewable = await call('PUT', '/v1/sys/leases/renew', { lease_id: fixed.body?.lease_id });
      expect(nonRenewable.status).toBe(400);
      expect(String(nonRenewable.body?.errors)).toMatch(/not renewable/);
      expect((await call('PUT', '/v1/sys/leases/renew', { lease_id: 'lt-renew/creds/r/unknown' })).status).toBe(400);
      expect((await call('PUT', '/v1/sys/renew', { lease_id: 'lt-renew/creds/r/unknown' })).status).toBe(400);
      expect((await call('PUT', '/v1/sys/leases/renew', {})).status).toBe(400);
      const id = (await creds('lt-renew/creds/r')).body?.lease_id as string;
      for (const increment of [-10, '-1h', 'forever', '1x', 100_000_000_000, '1000000h']) {
        const r = await call('PUT', '/v1/sys/leases/renew', { lease_id: id, increment });
        expect(r.status, `increment ${JSON.stringify(increment)}: ${r.text}`).toBe(400);
        expect((r.body?.errors as string[]).length).toBeGreaterThan(0);
      }
      expect(data(await lookup(id))).toMatchObject({ ttl: 3600, last_renewal: null });
    });
  });

  describe('revoke', () => {
    beforeAll(async () => {
      await mount('lt-rev', {}, { r: { ttl: '1h' } });
    });
    const issue = async () => {
      const r = await creds('lt-rev/creds/r');
      return { id: r.body?.lease_id as string, user: data(r).username as string };
    };

    it('sys/leases/revoke destroys the credential in the engine; revoking again (or an unknown id) is 204', async () => {
      const { id, user } = await issue();
      expect((await call('PUT', '/v1/sys/leases/revoke', { lease_id: id })).status).toBe(204);
      expect(await status('lt-rev', user)).toMatchObject({ live: false, revoked_by: id });
      const gone = await lookup(id);
      expect(gone.status).toBe(400);
      expect(gone.body).toEqual({ errors: ['invalid lease'] });
      expect((await call('PUT', '/v1/sys/leases/revoke', { lease_id: id })).status).toBe(204);
      expect((await call('PUT', `/v1/sys/leases/revoke/${id}`)).status).toBe(204);
      expect((await call('PUT', '/v1/sys/leases/revoke', { lease_id: 'lt-rev/creds/r/never-existed' })).status).toBe(204);
      expect(((await call('LIST', '/v1/lt-rev/revoked')).body?.data as Data).keys).toContain(user);
    });

    it('URL forms, legacy sys/revoke, and sync=false', async () => {
      const a = await issue();
      expect((await call('PUT', `/v1/sys/leases/revoke/${a.id}`)).status).toBe(204);
      expect((await status('lt-rev', a.user)).live).toBe(false);
      const b = await issue();
      expect((await call('PUT', '/v1/sys/revoke', { lease_id: b.id })).status).toBe(204);
      expect((await status('lt-rev', b.user)).live).toBe(false);
      const c = await issue();
      expect((await call('PUT', `/v1/sys/revoke/${c.id}`)).status).toBe(204);
      expect((await status('lt-rev', c.user)).live).toBe(false);
      const d = await issue();
      expect((await call('PUT', '/v1/sys/leases/revoke', { lease_id: d.id, sync: false })).status).toBe(204);
      await waitFor('async revoke', async () => (await status('lt-rev', d.user)).live === false);
      expect((await lookup(d.id)).status).toBe(400);
    });

    it('revoke-prefix (and the legacy sys/revoke-prefix node-vault uses) revokes every lease under the prefix', async () => {
      await mount('lt-pfx', {}, { a: { ttl: '1h' }, b: { ttl: '1h' } });
      const users = async (role: string, n: number) => Promise.all(Array.from({ length: n }, async () => data(await creds(`lt-pfx/creds/${role}`)).username as string));
      const as = await users('a', 3);
      const bs = await users('b', 2);
      expect((await call('PUT', '/v1/sys/leases/revoke-prefix/lt-pfx/creds/a')).status).toBe(204);
      for (const u of as) expect((await status('lt-pfx', u)).live).toBe(false);
      for (const u of bs) expect((await status('lt-pfx', u)).live).toBe(true);
      expect((await call('PUT', '/v1/sys/revoke-prefix/lt-pfx/')).status).toBe(204);
      for (const u of bs) expect((await status('lt-pfx', u)).live).toBe(false);
      expect(data(await call('GET', '/v1/sys/leases/count?prefix=lt-pfx/')).lease_count).toBe(0);
      // nothing left under it: still 204
      expect((await call('PUT', '/v1/sys/leases/revoke-prefix/lt-pfx')).status).toBe(204);
    });

    it('revoke-force removes leases the target refuses to revoke, and logs what it abandoned', async () => {
      await mount('lt-force', {}, { a: { ttl: '1h' } });
      const r = await creds('lt-force/creds/a');
      const id = r.body?.lease_id as string;
      const user = data(r).username as string;
      await call('POST', '/v1/lt-force/config', { fail_revoke: true });
      const plain = await call('PUT', '/v1/sys/leases/revoke-prefix/lt-force');
      expect(plain.status).toBe(400);
      expect(data(await lookup(id))).toMatchObject({ state: 'retrying' });
      expect((await call('PUT', '/v1/sys/leases/revoke-force/lt-force')).status).toBe(204);
      expect((await lookup(id)).status).toBe(400);
      expect((await status('lt-force', user)).live).toBe(true); // abandoned, as the operator asked
      expect(srv.logs()).toContain(id);
      expect(srv.logs()).toMatch(/revoke-force/);
      // legacy alias
      await call('POST', '/v1/lt-force/config', { fail_revoke: true });
      const id2 = (await creds('lt-force/creds/a')).body?.lease_id as string;
      expect((await call('PUT', '/v1/sys/revoke-force/lt-force/creds')).status).toBe(204);
      expect((await lookup(id2)).status).toBe(400);
    });
  });

  describe('expiry and tokens', () => {
    it('a lease past its expiry is revoked in the engine by the worker (manual clock)', async () => {
      await mount('lt-exp', {}, { short: { ttl: '5m' }, long: { ttl: '1h' } });
      const short = await creds('lt-exp/creds/short');
      const long = await creds('lt-exp/creds/long');
      clock.advance(4 * 60_000);
      await runExpiry(srv.server.core);
      expect((await status('lt-exp', data(short).username as string)).live).toBe(true);
      clock.advance(60_000 + 1);
      await runExpiry(srv.server.core);
      expect((await status('lt-exp', data(short).username as string)).live).toBe(false);
      expect((await lookup(short.body?.lease_id as string)).status).toBe(400);
      expect((await status('lt-exp', data(long).username as string)).live).toBe(true);
      // and without calling tick: the background worker does it on its own
      clock.advance(HOUR);
      await waitFor('the worker to expire the lease', async () => (await lookup(long.body?.lease_id as string)).status === 400);
      expect((await status('lt-exp', data(long).username as string)).live).toBe(false);
    });

    it('leases die with their token: revoking the token revokes its leases', async () => {
      await mount('lt-tok', {}, { r: { ttl: '1h' } });
      const t = await call('POST', '/v1/auth/token/create', { policies: ['root'], ttl: '2h' });
      const child = (t.body?.auth as Data).client_token as string;
      const mine = await creds('lt-tok/creds/r', child);
      const other = await creds('lt-tok/creds/r');
      expect((await call('POST', '/v1/auth/token/revoke', { token: child })).status).toBe(204);
      expect((await lookup(mine.body?.lease_id as string)).status).toBe(400);
      expect((await status('lt-tok', data(mine).username as string)).live).toBe(false);
      expect((await status('lt-tok', data(other).username as string)).live).toBe(true);
    });

    it("leases die with their token's parent, and when the token expires", async () => {
      await mount('lt-tok2', {}, { r: { ttl: '1h' } });
      const parent = (((await call('POST', '/v1/auth/token/create', { policies: ['root'], ttl: '2h' })).body?.auth as Data).client_token) as string;
      const child = (((await call('POST', '/v1/auth/token/create', { policies: ['root'], ttl: '1h' }, parent)).body?.auth as Data).client_token) as string;
      const viaChild = await creds('lt-tok2/creds/r', child);
      expect((await call('POST', '/v1/auth/token/revoke', { token: parent })).status).toBe(204);
      expect((await status('lt-tok2', data(viaChild).username as string)).live).toBe(false);

      const shortLived = (((await call('POST', '/v1/auth/token/create', { policies: ['root'], ttl: '10m' })).body?.auth as Data).client_token) as string;
      const lease = await creds('lt-tok2/creds/r', shortLived);
      clock.advance(11 * 60_000);
      await runExpiry(srv.server.core);
      await runExpiry(srv.server.core);
      expect((await lookup(lease.body?.lease_id as string)).status).toBe(400);
      expect((await status('lt-tok2', data(lease).username as string)).live).toBe(false);
    });

    it('revoke-prefix on auth/approle/login revokes the tokens issued there', async () => {
      expect((await call('POST', '/v1/sys/auth/approle', { type: 'approle' })).status).toBe(204);
      expect((await call('POST', '/v1/auth/approle/role/app', { token_ttl: '1h', token_policies: 'default' })).status).toBe(204);
      const roleId = data(await call('GET', '/v1/auth/approle/role/app/role-id')).role_id as string;
      const login = async () => {
        const secretId = data(await call('POST', '/v1/auth/approle/role/app/secret-id')).secret_id as string;
        const r = await api(srv.addr, 'POST', '/v1/auth/approle/login', { body: { role_id: roleId, secret_id: secretId } });
        expect(r.status, r.text).toBe(200);
        return (r.body?.auth as Data).client_token as string;
      };
      const t1 = await login();
      const t2 = await login();
      for (const t of [t1, t2]) expect((await api(srv.addr, 'GET', '/v1/auth/token/lookup-self', { token: t })).status).toBe(200);
      const listed = await call('LIST', '/v1/sys/leases/lookup/auth/approle/login/');
      expect(listed.status, listed.text).toBe(200);
      expect((data(listed).keys as string[]).length).toBeGreaterThanOrEqual(2);
      expect((await call('PUT', '/v1/sys/leases/revoke-prefix/auth/approle/login')).status).toBe(204);
      for (const t of [t1, t2]) expect((await api(srv.addr, 'GET', '/v1/auth/token/lookup-self', { token: t })).status).toBe(403);
      expect((await call('LIST', '/v1/sys/leases/lookup/auth/approle/login/')).status).toBe(404);
    });
  });

  describe('revocation that never gives up', () => {
    it('a refused revocation is retried with backoff, visible in lookup and list, until the target recovers', async () => {
      await mount('lt-retry', {}, { r: { ttl: '1m' } });
      const r = await creds('lt-retry/creds/r');
      const id = r.body?.lease_id as string;
      const user = data(r).username as string;
      await call('POST', '/v1/lt-retry/config', { fail_revoke: true });
      clock.advance(61_000);
      await runExpiry(srv.server.core);

      const first = data(await lookup(id));
      expect(first).toMatchObject({ state: 'retrying', attempts: 1, last_error: expect.stringMatching(/fail_revoke/) });
      const next1 = Date.parse(first.next_attempt as string);
      expect(next1).toBeGreaterThan(clock.now());
      expect(next1).toBeLessThanOrEqual(clock.now() + 1000); // first retry within the 1 s base
      const listed = await call('LIST', '/v1/sys/leases/lookup/lt-retry/creds/r/');
      expect((data(listed).key_info as Record<string, Data>)[suffix(id)]).toMatchObject({ state: 'retrying', attempts: 1, next_attempt: first.next_attempt, last_error: first.last_error });
      expect((await status('lt-retry', user)).live).toBe(true);

      // still failing: the attempts grow and the delay backs off
      clock.set(next1 + 1);
      await runExpiry(srv.server.core);
      const second = data(await lookup(id));
      expect(second).toMatchObject({ state: 'retrying', attempts: 2 });
      expect(Date.parse(second.next_attempt as string) - clock.now()).toBeGreaterThanOrEqual(1000);
      // a retrying lease cannot be renewed; a user revoke tries now, fails clearly, and leaves it retrying
      expect((await call('PUT', '/v1/sys/leases/renew', { lease_id: id })).status).toBe(400);
      const userRevoke = await call('PUT', '/v1/sys/leases/revoke', { lease_id: id });
      expect(userRevoke.status).toBeGreaterThanOrEqual(400);
      expect(String(userRevoke.body?.errors)).toMatch(/retry/i);
      const third = data(await lookup(id));
      expect(third).toMatchObject({ state: 'retrying', attempts: 3 });

      // the target recovers: the worker revokes it on its next attempt, with no operator action
      await call('POST', '/v1/lt-retry/config', { fail_revoke: false });
      clock.set(Date.parse(third.next_attempt as string) + 1);
      await waitFor('the retry to succeed', async () => (await lookup(id)).status === 400);
      expect((await status('lt-retry', user)).live).toBe(false);
    });
  });

  describe('bad input', () => {
    it('unknown or malformed lease ids and prefixes are 400', async () => {
      await mount('lt-bad', {}, { r: { ttl: '1h' } });
      const id = (await creds('lt-bad/creds/r')).body?.lease_id as string;
      const unknown = await lookup('lt-bad/creds/r/unknown');
      expect(unknown.status).toBe(400);
      expect(unknown.body).toEqual({ errors: ['invalid lease'] });
      expect((await call('PUT', '/v1/sys/leases/lookup', {})).status).toBe(400);
      expect((await lookup('lt-bad/../sys/x')).status).toBe(400);
      expect((await lookup('lt-bad/./creds/r/x')).status).toBe(400);
      expect((await call('PUT', '/v1/sys/leases/revoke', { lease_id: 'lt-bad/creds/r/../x' })).status).toBe(400);
      expect((await call('PUT', '/v1/sys/leases/revoke', {})).status).toBe(400);
      expect((await call('PUT', '/v1/sys/leases/renew', { lease_id: '../x' })).status).toBe(400);
      // nothing was revoked by the malformed calls
      expect((await lookup(id)).status).toBe(200);
    });

    it('a malformed prefix in the URL (`..`) is a clear 400, and revokes nothing', async () => {
      const id = (await creds('lt-bad/creds/r')).body?.lease_id as string;
      for (const [method, path] of [
        ['PUT', '/v1/sys/leases/revoke-prefix/lt-bad/../secret'],
        ['PUT', '/v1/sys/leases/revoke-prefix/..'],
        ['PUT', '/v1/sys/revoke-prefix/lt-bad/creds/../creds'],
        ['PUT', '/v1/sys/leases/revoke-force/lt-bad/..'],
        ['LIST', '/v1/sys/leases/lookup/lt-bad/../'],
      ] as const) {
        const r = await rawApi(srv.addr, method, path, { token });
        expect(r.status, `${method} ${path}: ${r.text}`).toBe(400);
        expect((r.body?.errors as string[] | undefined)?.length, `${method} ${path}: the 400 says why`).toBeGreaterThan(0);
      }
      expect((await lookup(id)).status).toBe(200);
    });
  });
});

describe('revocation retries survive a restart (SQLite)', () => {
  const clock = new ManualClock(T0);
  const tmp = freshDir();
  let srv: Awaited<ReturnType<typeof startSqliteServer>> | null = null;
  afterAll(async () => {
    await srv?.stop();
    tmp.cleanup();
  });

  it('fail → retrying → restart → target recovers → revoked without operator action', async () => {
    srv = await startSqliteServer(tmp.dir, clock);
    const { key, rootToken: token } = await initAndUnseal(srv.addr);
    const call = (method: string, path: string, body?: unknown) => api((srv as { addr: string }).addr, method, path, { token, ...(body !== undefined ? { body } : {}) });
    expect((await call('POST', '/v1/sys/mounts/lt', { type: 'lease-test' })).status).toBe(204);
    expect((await call('POST', '/v1/lt/roles/r', { ttl: '30s' })).status).toBe(204);
    const r = await call('GET', '/v1/lt/creds/r');
    expect(r.status, r.text).toBe(200);
    const id = r.body?.lease_id as string;
    const user = (r.body?.data as Data).username as string;
    await call('POST', '/v1/lt/config', { fail_revoke: true });
    clock.advance(31_000);
    await runExpiry(srv.server.core);
    const before = (await call('PUT', '/v1/sys/leases/lookup', { lease_id: id })).body?.data as Data;
    expect(before).toMatchObject({ state: 'retrying', attempts: 1, last_error: expect.stringMatching(/fail_revoke/) });

    await srv.stop();
    srv = await startSqliteServer(tmp.dir, clock);
    expect((await api(srv.addr, 'GET', '/v1/sys/seal-status')).body?.sealed).toBe(true);
    await unseal(srv.addr, key);
    const after = (await call('PUT', '/v1/sys/leases/lookup', { lease_id: id })).body?.data as Data;
    expect(after).toMatchObject({ state: 'retrying', attempts: 1, next_attempt: before.next_attempt, last_error: before.last_error });
    expect(((await call('GET', `/v1/lt/status/${user}`)).body?.data as Data).live).toBe(true);

    await call('POST', '/v1/lt/config', { fail_revoke: false });
    clock.set(Date.parse(after.next_attempt as string) + 1);
    const end = Date.now() + 8000;
    while ((await call('PUT', '/v1/sys/leases/lookup', { lease_id: id })).status !== 400) {
      if (Date.now() > end) throw new Error('the lease was not revoked after the target recovered');
      await new Promise((res) => setTimeout(res, 100));
    }
    expect(((await call('GET', `/v1/lt/status/${user}`)).body?.data as Data).live).toBe(false);
  });
});
