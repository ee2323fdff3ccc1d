import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/lib/clock.js';
import { api, startTestServer, type ApiResult, type TestServer } from '../helpers/server.js';

/** The token store (spec §3) over HTTP against a real dev server whose clock the tests move. */

interface Auth {
  client_token: string;
  accessor: string;
  policies: string[];
  token_policies: string[];
  metadata: Record<string, string> | null;
  lease_duration: number;
  renewable: boolean;
  entity_id: string;
  token_type: string;
  orphan: boolean;
  num_uses?: number;
}

describe('token store over HTTP', () => {
  let srv: TestServer;
  let root: string;
  const clock = new ManualClock();

  const call = (method: string, path: string, token: string, body?: unknown): Promise<ApiResult> => api(srv.addr, method, `/v1/${path}`, { token, ...(body !== undefined ? { body } : {}) });

  async function create(token: string, body: Record<string, unknown> = {}, path = 'auth/token/create'): Promise<Auth> {
    const r = await call('POST', path, token, body);
    expect(r.status, `${path} ${JSON.stringify(body)}: ${r.text}`).toBe(200);
    return r.body?.auth as Auth;
  }
  const errorsOf = (r: ApiResult): string => ((r.body?.errors as string[] | undefined) ?? []).join('; ');
  const lookupSelf = (token: string) => call('GET', 'auth/token/lookup-self', token);
  const lookupAccessor = (accessor: string) => call('POST', 'auth/token/lookup-accessor', root, { accessor });
  const lookupData = async (token: string): Promise<Record<string, unknown>> => {
    const r = await lookupSelf(token);
    expect(r.status, r.text).toBe(200);
    return r.body?.data as Record<string, unknown>;
  };

  beforeAll(async () => {
    srv = await startTestServer({ clock });
    root = srv.rootToken;
    // A policy that lets a token make children (but grants no sudo) and read one kv area.
    const policies: Record<string, string> = {
      'token-maker': 'path "auth/token/create" { capabilities = ["update"] }\npath "auth/token/create-orphan" { capabilities = ["update"] }\npath "auth/token/create/*" { capabilities = ["update"] }\npath "secret/data/tok/*" { capabilities = ["read"] }\npath "auth/token/accessors" { capabilities = ["list"] }\npath "auth/token/accessors/" { capabilities = ["list"] }',
      reader: 'path "secret/data/tok/*" { capabilities = ["read"] }',
      other: 'path "secret/data/other/*" { capabilities = ["read"] }',
      'sudo-accessors': 'path "auth/token/accessors" { capabilities = ["list", "sudo"] }\npath "auth/token/accessors/" { capabilities = ["list", "sudo"] }',
      'lease-reader': 'path "sys/leases/lookup" { capabilities = ["update"] }',
    };
    for (const [name, policy] of Object.entries(policies)) {
      expect((await call('PUT', `sys/policies/acl/${name}`, root, { policy })).status).toBe(204);
    }
    expect((await call('POST', 'secret/data/tok/one', root, { data: { v: '1' } })).status).toBe(200);
  });
  afterAll(async () => {
    await srv.stop();
  });

  it('creates a child of the caller with the parent\'s policies by default, and an auth block as §1.4', async () => {
    const a = await create(root, { policies: ['reader'], ttl: '1h', meta: { team: 'blue' } });
    expect(a.client_token).toMatch(/^hvs\./);
    expect(a.accessor).toMatch(/^[A-Za-z0-9]{24}$/);
    expect(a.policies).toEqual(['default', 'reader']);
    expect(a.token_policies).toEqual(['default', 'reader']);
    expect(a.metadata).toEqual({ team: 'blue' });
    expect(a.lease_duration).toBe(3600);
    expect(a.renewable).toBe(true);
    expect(a.orphan).toBe(false);
    expect(a.token_type).toBe('service');
    expect(a.entity_id).toBe('');
    // The child inherits its parent's policies when none are asked for.
    const maker = await create(root, { policies: ['token-maker'] });
    const child = await create(maker.client_token, {});
    expect(child.policies).toEqual(['default', 'token-maker']);
    expect(child.orphan).toBe(false);
    // …and the child works.
    expect((await call('GET', 'secret/data/tok/one', a.client_token)).status).toBe(200);
    expect((await call('GET', 'secret/data/other/x', a.client_token)).status).toBe(403);
  });

  it('makes orphans with no_parent (root/sudo only) and with create-orphan (update is enough)', async () => {
    const viaFlag = await create(root, { policies: ['reader'], no_parent: true });
    expect(viaFlag.orphan).toBe(true);
    expect((await lookupData(viaFlag.client_token)).orphan).toBe(true);
    const viaPath = await create(root, { policies: ['reader'] }, 'auth/token/create-orphan');
    expect(viaPath.orphan).toBe(true);
    expect((await lookupData(viaPath.client_token)).path).toBe('auth/token/create-orphan');

    const maker = await create(root, { policies: ['token-maker'] });
    const refused = await call('POST', 'auth/token/create', maker.client_token, { no_parent: true });
    expect(refused.status).toBe(400);
    const orphan = await create(maker.client_token, {}, 'auth/token/create-orphan');
    expect(orphan.orphan).toBe(true);
  });

  it('revoking A in root → A → B → C revokes B and C, but not an orphan A made', async () => {
    const a = await create(root, { policies: ['token-maker'] });
    const b = await create(a.client_token, {});
    const c = await create(b.client_token, {});
    const orphan = await create(a.client_token, {}, 'auth/token/create-orphan');
    for (const t of [a, b, c, orphan]) expect((await lookupSelf(t.client_token)).status).toBe(200);

    expect((await call('POST', 'auth/token/revoke', root, { token: a.client_token })).status).toBe(204);

    for (const t of [a, b, c]) {
      expect((await lookupSelf(t.client_token)).status, 'lookup-self of a revoked token').toBe(403);
      expect((await call('POST', 'auth/token/lookup', root, { token: t.client_token })).status, 'lookup of a revoked token').toBe(403);
      expect((await lookupAccessor(t.accessor)).status, 'lookup-accessor of a revoked token').toBe(400);
      expect((await call('GET', 'secret/data/tok/one', t.client_token)).status).toBe(403);
    }
    expect((await lookupSelf(orphan.client_token)).status).toBe(200);
    expect((await call('GET', 'secret/data/tok/one', orphan.client_token)).status).toBe(200);
  });

  it('revoke-orphan revokes the token but keeps its children, now orphans', async () => {
    const p = await create(root, { policies: ['token-maker'] });
    const q = await create(p.client_token, {});
    const r = await create(q.client_token, {});
    expect((await lookupData(q.client_token)).orphan).toBe(false);
    expect((await call('POST', 'auth/token/revoke-orphan', root, { token: p.client_token })).status).toBe(204);
    expect((await lookupSelf(p.client_token)).status).toBe(403);
    const qData = await lookupData(q.client_token);
    expect(qData.orphan).toBe(true);
    // The grandchild is still Q's child: revoking Q now takes R with it.
    expect((await lookupData(r.client_token)).orphan).toBe(false);
    expect((await call('POST', 'auth/token/revoke-self', q.client_token)).status).toBe(204);
    expect((await lookupSelf(r.client_token)).status).toBe(403);
  });

  it('revoke-orphan needs sudo: a token with update on it but no sudo gets 403', async () => {
    await call('PUT', 'sys/policies/acl/orphan-no-sudo', root, { policy: 'path "auth/token/revoke-orphan" { capabilities = ["update"] }' });
    const t = await create(root, { policies: ['orphan-no-sudo'] });
    const victim = await create(root, { policies: ['reader'] });
    expect((await call('POST', 'auth/token/revoke-orphan', t.client_token, { token: victim.client_token })).status).toBe(403);
    expect((await lookupSelf(victim.client_token)).status).toBe(200);
  });

  it('num_uses=2: works twice, then 403, and its accessor is gone', async () => {
    const t = await create(root, { policies: ['reader'], num_uses: 2 });
    expect(t.num_uses).toBe(2);
    const first = await call('GET', 'secret/data/tok/one', t.client_token);
    expect(first.status).toBe(200);
    expect((await lookupAccessor(t.accessor)).body?.data).toMatchObject({ num_uses: 1 });
    const second = await call('GET', 'secret/data/tok/one', t.client_token);
    expect(second.status).toBe(200);
    expect((second.body?.data as { data: unknown }).data).toEqual({ v: '1' });
    expect((await call('GET', 'secret/data/tok/one', t.client_token)).status).toBe(403);
    expect((await lookupAccessor(t.accessor)).status).toBe(400);
  });

  it('a use-limited token cannot create children', async () => {
    const t = await create(root, { policies: ['token-maker'], num_uses: 5 });
    expect((await call('POST', 'auth/token/create', t.client_token, {})).status).toBe(400);
  });

  it('an expired token is refused with 403 and its record is removed', async () => {
    const t = await create(root, { policies: ['reader'], ttl: '60s' });
    clock.advance(59_000);
    const before = await lookupData(t.client_token);
    expect(before.ttl).toBe(1);
    clock.advance(2_000);
    const refused = await call('GET', 'secret/data/tok/one', t.client_token);
    expect(refused.status).toBe(403);
    expect(errorsOf(refused)).toMatch(/permission denied/);
    expect((await lookupSelf(t.client_token)).status).toBe(403);
    expect((await lookupAccessor(t.accessor)).status).toBe(400);
    const list = await call('LIST', 'auth/token/accessors', root);
    expect((list.body?.data as { keys: string[] }).keys).not.toContain(t.accessor);
  });

  it('an expired token that nobody presents is already gone for lookup-accessor', async () => {
    const t = await create(root, { policies: ['reader'], ttl: '60s' });
    clock.advance(61_000);
    // Nobody used the token after its expiry: its record must not be visible as if alive.
    const byAccessor = await lookupAccessor(t.accessor);
    expect(byAccessor.status, `lookup-accessor of an expired token answered ${byAccessor.text}`).toBe(400);
  });

  it('expiry takes the children with it', async () => {
    const parent = await create(root, { policies: ['token-maker'], ttl: '60s' });
    const child = await create(parent.client_token, { ttl: '1h' });
    // A child cannot outlive its parent in time either: its TTL is not capped, but the parent's expiry revokes it.
    clock.advance(61_000);
    expect((await lookupSelf(parent.client_token)).status).toBe(403);
    expect((await lookupSelf(child.client_token)).status).toBe(403);
  });

  it('renew and renew-self take an increment, capped by explicit_max_ttl', async () => {
    const t = await create(root, { policies: ['reader'], ttl: '1h', explicit_max_ttl: '2h' });
    expect(t.lease_duration).toBe(3600);
    clock.advance(30 * 60_000);
    const renewed = await call('POST', 'auth/token/renew', root, { token: t.client_token, increment: '3h' });
    expect(renewed.status, renewed.text).toBe(200);
    const auth = renewed.body?.auth as Auth;
    expect(auth.lease_duration).toBe(5400); // hard end: creation + 2h
    expect(auth.client_token).toBe(t.client_token);
    expect(auth.accessor).toBe(t.accessor);
    const self = await call('POST', 'auth/token/renew-self', t.client_token, { increment: 600 });
    expect(self.status, self.text).toBe(200);
    expect((self.body?.auth as Auth).lease_duration).toBe(600);
    const data = await lookupData(t.client_token);
    expect(data.ttl).toBe(600);
    expect(data.explicit_max_ttl).toBe(7200);
    expect(typeof data.last_renewal_time).toBe('number');
    // No increment: the token's own TTL again, still under the cap.
    const plain = await call('POST', 'auth/token/renew-self', t.client_token, {});
    expect((plain.body?.auth as Auth).lease_duration).toBe(3600);
    // Past the hard end the token is gone, however often it was renewed.
    clock.advance(90 * 60_000 + 1000);
    expect((await lookupSelf(t.client_token)).status).toBe(403);
  });

  it('renew-accessor answers with an empty client_token', async () => {
    const t = await create(root, { policies: ['reader'], ttl: '1h' });
    const r = await call('POST', 'auth/token/renew-accessor', root, { accessor: t.accessor, increment: '2h' });
    expect(r.status, r.text).toBe(200);
    expect((r.body?.auth as Auth).client_token).toBe('');
    expect((r.body?.auth as Auth).lease_duration).toBe(7200);
  });

  it('a periodic token renews back to its period, whatever the increment', async () => {
    const t = await create(root, { policies: ['reader'], period: '1h' });
    expect(t.lease_duration).toBe(3600);
    clock.advance(40 * 60_000);
    const before = await lookupData(t.client_token);
    expect(before.ttl).toBe(1200);
    expect(before.period).toBe(3600);
    const r = await call('POST', 'auth/token/renew-self', t.client_token, { increment: 10 });
    expect(r.status, r.text).toBe(200);
    expect((r.body?.auth as Auth).lease_duration).toBe(3600);
    expect((await lookupData(t.client_token)).ttl).toBe(3600);
    // Renewed in time, it lives past any default TTL.
    for (let i = 0; i < 3; i++) {
      clock.advance(50 * 60_000);
      expect((await call('POST', 'auth/token/renew-self', t.client_token, {})).status).toBe(200);
    }
    expect((await lookupSelf(t.client_token)).status).toBe(200);
  });

  it('lookup, lookup-self and lookup-accessor return the §3.3 fields; via accessor id is empty', async () => {
    const t = await create(root, { policies: ['reader'], ttl: '1h', explicit_max_ttl: '3h', display_name: 'svc', meta: { app: 'web' } });
    const self = await lookupSelf(t.client_token);
    expect(self.status).toBe(200);
    const data = self.body?.data as Record<string, unknown>;
    for (const key of ['accessor', 'creation_time', 'creation_ttl', 'display_name', 'entity_id', 'expire_time', 'explicit_max_ttl', 'id', 'issue_time', 'meta', 'num_uses', 'orphan', 'path', 'policies', 'renewable', 'ttl', 'type']) {
      expect(data, `lookup data has ${key}`).toHaveProperty(key);
    }
    expect(data).toMatchObject({
      accessor: t.accessor,
      creation_ttl: 3600,
      display_name: 'token-svc',
      entity_id: '',
      explicit_max_ttl: 10800,
      id: t.client_token,
      meta: { app: 'web' },
      num_uses: 0,
      orphan: false,
      path: 'auth/token/create',
      policies: ['default', 'reader'],
      renewable: true,
      ttl: 3600,
      type: 'service',
    });
    expect(data.creation_time).toBe(Math.floor(clock.now() / 1000));
    expect(data.issue_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z$/);
    expect(Math.abs(Date.parse(data.expire_time as string) - (clock.now() + 3_600_000))).toBeLessThan(1000);

    const viaPost = await call('POST', 'auth/token/lookup', root, { token: t.client_token });
    expect(viaPost.status).toBe(200);
    expect(viaPost.body?.data).toMatchObject({ id: t.client_token, accessor: t.accessor, policies: ['default', 'reader'] });
    const viaGet = await api(srv.addr, 'GET', `/v1/auth/token/lookup?token=${encodeURIComponent(t.client_token)}`, { token: root });
    expect(viaGet.status).toBe(200);
    expect(viaGet.body?.data).toMatchObject({ accessor: t.accessor });

    const viaAccessor = await lookupAccessor(t.accessor);
    expect(viaAccessor.status).toBe(200);
    expect(viaAccessor.body?.data).toMatchObject({ id: '', accessor: t.accessor, display_name: 'token-svc', policies: ['default', 'reader'] });

    // Root's own lookup: never expires.
    const rootData = await lookupData(root);
    expect(rootData).toMatchObject({ policies: ['root'], ttl: 0, expire_time: null, display_name: 'root', path: 'auth/token/root', orphan: true });
  });

  it('lookup errors: unknown token 403, unknown accessor 400, missing token 400', async () => {
    expect((await call('POST', 'auth/token/lookup', root, { token: 'hvs.nope' })).status).toBe(403);
    expect((await lookupAccessor('NoSuchAccessor0000000000')).status).toBe(400);
    const missing = await call('POST', 'auth/token/lookup', root, {});
    expect(missing.status).toBe(400);
    expect(errorsOf(missing)).toMatch(/missing token/);
  });

  it('batch tokens: hvb. prefix, no accessor, cannot be renewed or create children', async () => {
    const b = await create(root, { policies: ['token-maker'], type: 'batch', ttl: '1h' });
    expect(b.client_token).toMatch(/^hvb\./);
    expect(b.token_type).toBe('batch');
    expect(b.renewable).toBe(false);
    expect((await call('GET', 'secret/data/tok/one', b.client_token)).status).toBe(200);
    expect((await lookupData(b.client_token)).type).toBe('batch');
    expect((await call('POST', 'auth/token/renew', root, { token: b.client_token })).status).toBe(400);
    expect((await call('POST', 'auth/token/renew-self', b.client_token, {})).status).toBe(400);
    expect((await call('POST', 'auth/token/create', b.client_token, {})).status).toBe(400);
    // Batch tokens cannot be periodic, use-limited or have an explicit max.
    expect((await call('POST', 'auth/token/create', root, { type: 'batch', period: '1h' })).status).toBe(400);
    expect((await call('POST', 'auth/token/create', root, { type: 'batch', num_uses: 3 })).status).toBe(400);
    expect((await call('POST', 'auth/token/create', root, { type: 'batch', explicit_max_ttl: '1h' })).status).toBe(400);
  });

  it('token roles: allowed_policies, orphan, path, and create/<role> by a non-root caller', async () => {
    expect((await call('POST', 'auth/token/roles/app', root, { allowed_policies: 'reader, other', orphan: true, token_explicit_max_ttl: '2h', renewable: true })).status).toBe(204);
    const read = await call('GET', 'auth/token/roles/app', root);
    expect(read.status).toBe(200);
    expect(read.body?.data).toMatchObject({ name: 'app', orphan: true, renewable: true, token_explicit_max_ttl: 7200 });
    expect([...((read.body?.data as { allowed_policies: string[] }).allowed_policies)].sort()).toEqual(['other', 'reader']);
    const list = await call('LIST', 'auth/token/roles', root);
    expect((list.body?.data as { keys: string[] }).keys).toContain('app');

    // No policies asked: the role's allowed policies (+ default).
    const t = await create(root, {}, 'auth/token/create/app');
    expect(t.policies).toEqual(['default', 'other', 'reader']);
    expect(t.orphan).toBe(true);
    const data = await lookupData(t.client_token);
    expect(data).toMatchObject({ path: 'auth/token/create/app', role: 'app', explicit_max_ttl: 7200 });
    // A subset is fine; anything outside the role is 400.
    expect((await create(root, { policies: ['reader'] }, 'auth/token/create/app')).policies).toEqual(['default', 'reader']);
    expect((await call('POST', 'auth/token/create/app', root, { policies: ['token-maker'] })).status).toBe(400);
    // A caller whose own policies do not include the role's can still use the role: the role, not the parent, decides.
    const maker = await create(root, { policies: ['token-maker'] });
    const viaRole = await create(maker.client_token, { policies: ['other'] }, 'auth/token/create/app');
    expect(viaRole.policies).toEqual(['default', 'other']);
    // …but not make those policies without the role.
    expect((await call('POST', 'auth/token/create', maker.client_token, { policies: ['other'] })).status).toBe(400);
    // An unknown role is 400; a deleted role too.
    expect((await call('POST', 'auth/token/create/nope', root, {})).status).toBe(400);
    expect((await call('DELETE', 'auth/token/roles/app', root)).status).toBe(204);
    expect((await call('GET', 'auth/token/roles/app', root)).status).toBe(404);
    expect((await call('POST', 'auth/token/create/app', root, {})).status).toBe(400);
  });

  it('role policy lists are sanitised as Vault does: trimmed, lowercased, deduplicated, sorted', async () => {
    expect((await call('POST', 'auth/token/roles/sorted', root, { allowed_policies: ' Reader, other ,reader', disallowed_policies: ['Zeta', 'alpha'] })).status).toBe(204);
    const read = await call('GET', 'auth/token/roles/sorted', root);
    expect(read.body?.data).toMatchObject({ allowed_policies: ['other', 'reader'], disallowed_policies: ['alpha', 'zeta'] });
  });

  it('display names: token-<sanitised>, or token', async () => {
    expect((await lookupData((await create(root, { display_name: 'my app!' })).client_token)).display_name).toBe('token-my-app');
    expect((await lookupData((await create(root, { display_name: 'web.prod/eu' })).client_token)).display_name).toBe('token-web-prod-eu');
    expect((await lookupData((await create(root, {})).client_token)).display_name).toBe('token');
  });

  it('refuses impossible or privileged requests with a 400', async () => {
    const cases: Array<[string, string, Record<string, unknown>, RegExp?]> = [
      ['ttl above explicit_max_ttl', root, { ttl: '2h', explicit_max_ttl: '1h' }],
      ['period with num_uses', root, { period: '1h', num_uses: 3 }],
      ['negative num_uses', root, { num_uses: -1 }],
    ];
    const maker = await create(root, { policies: ['token-maker'] });
    cases.push(['id from a non-root parent', maker.client_token, { id: 'chosen-by-child' }]);
    cases.push(['policies not a subset of the parent', maker.client_token, { policies: ['other'] }, /subset/]);
    cases.push(['root policy from a non-root parent', maker.client_token, { policies: ['root'] }]);
    cases.push(['period from a non-root parent', maker.client_token, { period: '1h' }]);
    cases.push(['token id with a period', root, { id: 'has.dot' }]);
    for (const [what, token, body, message] of cases) {
      const r = await call('POST', 'auth/token/create', token, body);
      expect(r.status, `${what}: ${r.text}`).toBe(400);
      expect(errorsOf(r), what).not.toBe('');
      if (message) expect(errorsOf(r), what).toMatch(message);
    }
    // Root may choose the id; the chosen value is the token.
    const chosen = await create(root, { id: 'my-chosen-token', policies: ['reader'] });
    expect(chosen.client_token).toBe('my-chosen-token');
    expect((await call('GET', 'secret/data/tok/one', 'my-chosen-token')).status).toBe(200);
    expect((await call('POST', 'auth/token/create', root, { id: 'my-chosen-token' })).status).toBe(400);
  });

  it('LIST auth/token/accessors needs sudo', async () => {
    const noSudo = await create(root, { policies: ['token-maker'] });
    expect((await call('LIST', 'auth/token/accessors', noSudo.client_token)).status).toBe(403);
    const sudo = await create(root, { policies: ['sudo-accessors'] });
    const ok = await call('LIST', 'auth/token/accessors', sudo.client_token);
    expect(ok.status, ok.text).toBe(200);
    expect((ok.body?.data as { keys: string[] }).keys).toEqual(expect.arrayContaining([noSudo.accessor, sudo.accessor]));
    const viaRoot = await call('LIST', 'auth/token/accessors', root);
    expect((viaRoot.body?.data as { keys: string[] }).keys).toContain(noSudo.accessor);
  });

  it('a token\'s lease (and its children\'s) dies with it', async () => {
    const prefix = 'sys/leases/lookup/auth/token/create/';
    const keys = async (): Promise<string[]> => {
      const r = await call('LIST', prefix, root);
      return r.status === 404 ? [] : ((r.body?.data as { keys: string[] }).keys ?? []);
    };
    const before = new Set(await keys());
    const t = await create(root, { policies: ['token-maker', 'lease-reader'], ttl: '1h' });
    const afterParent = await keys();
    const parentKeys = afterParent.filter((k) => !before.has(k));
    expect(parentKeys).toHaveLength(1);
    const parentLease = `auth/token/create/${parentKeys[0]}`;
    const child = await create(t.client_token, { ttl: '30m' });
    const childKeys = (await keys()).filter((k) => !afterParent.includes(k));
    expect(childKeys).toHaveLength(1);
    const childLease = `auth/token/create/${childKeys[0]}`;

    const looked = await call('POST', 'sys/leases/lookup', root, { lease_id: parentLease });
    expect(looked.status, looked.text).toBe(200);
    expect(looked.body?.data).toMatchObject({ id: parentLease, ttl: 3600, renewable: true });
    expect((await call('POST', 'sys/leases/lookup', root, { lease_id: childLease })).body?.data).toMatchObject({ ttl: 1800 });
    // Renewing the token moves its lease.
    await call('POST', 'auth/token/renew-self', t.client_token, { increment: '2h' });
    expect((await call('POST', 'sys/leases/lookup', root, { lease_id: parentLease })).body?.data).toMatchObject({ ttl: 7200 });

    expect((await call('POST', 'auth/token/revoke', root, { token: t.client_token })).status).toBe(204);
    for (const id of [parentLease, childLease]) {
      const gone = await call('POST', 'sys/leases/lookup', root, { lease_id: id });
      expect(gone.status, `lease ${id} after revoke: ${gone.text}`).toBe(400);
      expect(errorsOf(gone)).toMatch(/invalid lease/);
    }
    const remaining = await keys();
    expect(remaining).not.toContain(parentKeys[0]);
    expect(remaining).not.toContain(childKeys[0]);
    expect((await lookupSelf(child.client_token)).status).toBe(403);
  });

  it('revoke-accessor and revoke-self revoke; revoking an unknown token is a quiet 204', async () => {
    const a = await create(root, { policies: ['reader'] });
    expect((await call('POST', 'auth/token/revoke-accessor', root, { accessor: a.accessor })).status).toBe(204);
    expect((await lookupSelf(a.client_token)).status).toBe(403);
    const b = await create(root, { policies: ['reader'] });
    expect((await call('POST', 'auth/token/revoke-self', b.client_token)).status).toBe(204);
    expect((await lookupSelf(b.client_token)).status).toBe(403);
    expect((await call('POST', 'auth/token/revoke', root, { token: 'hvs.never-existed' })).status).toBe(204);
  });

  it('no_default_policy leaves default out, and with it lookup-self', async () => {
    const t = await create(root, { policies: ['reader'], no_default_policy: true });
    expect(t.policies).toEqual(['reader']);
    expect((await lookupSelf(t.client_token)).status).toBe(403);
    expect((await call('GET', 'secret/data/tok/one', t.client_token)).status).toBe(200);
  });
});
