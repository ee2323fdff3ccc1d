import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/lib/clock.js';
import { api, startTestServer, type ApiResult, type TestServer } from '../helpers/server.js';

/** Auth methods (spec §2.2, §3.5, §4, §5) and identity on login, over HTTP against a real dev server. */

interface Auth {
  client_token: string;
  accessor: string;
  policies: string[];
  token_policies: string[];
  identity_policies?: string[];
  metadata: Record<string, string> | null;
  lease_duration: number;
  renewable: boolean;
  entity_id: string;
  token_type: string;
  orphan: boolean;
}

describe('auth methods over HTTP', () => {
  let srv: TestServer;
  let root: string;
  const clock = new ManualClock();

  const call = (method: string, path: string, token: string | undefined, body?: unknown): Promise<ApiResult> => api(srv.addr, method, `/v1/${path}`, { ...(token ? { token } : {}), ...(body !== undefined ? { body } : {}) });
  const errorsOf = (r: ApiResult): string[] => (r.body?.errors as string[] | undefined) ?? [];
  const ok = async (r: Promise<ApiResult>, status = 204): Promise<ApiResult> => {
    const res = await r;
    expect(res.status, res.text).toBe(status);
    return res;
  };
  const login = async (path: string, body: Record<string, unknown>): Promise<Auth> => {
    const r = await call('POST', path, undefined, body);
    expect(r.status, `${path}: ${r.text}`).toBe(200);
    return r.body?.auth as Auth;
  };
  const lookupSelf = async (token: string): Promise<Record<string, unknown>> => {
    const r = await call('GET', 'auth/token/lookup-self', token);
    expect(r.status, r.text).toBe(200);
    return r.body?.data as Record<string, unknown>;
  };
  const authMounts = async (): Promise<Record<string, { type: string; accessor: string; description: string }>> => {
    const r = await call('GET', 'sys/auth', root);
    expect(r.status).toBe(200);
    return r.body?.data as Record<string, { type: string; accessor: string; description: string }>;
  };

  beforeAll(async () => {
    srv = await startTestServer({ clock });
    root = srv.rootToken;
    await ok(call('PUT', 'sys/policies/acl/app-read', root, { policy: 'path "secret/data/app/*" { capabilities = ["read"] }' }));
    await ok(call('PUT', 'sys/policies/acl/group-read', root, { policy: 'path "secret/data/group/*" { capabilities = ["read"] }' }));
    await ok(call('POST', 'secret/data/app/config', root, { data: { v: 'app' } }), 200);
    await ok(call('POST', 'secret/data/group/config', root, { data: { v: 'group' } }), 200);
    await ok(call('POST', 'sys/auth/approle', root, { type: 'approle' }));
    await ok(call('POST', 'sys/auth/userpass', root, { type: 'userpass', description: 'people' }));
  });
  afterAll(async () => {
    await srv.stop();
  });

  describe('sys/auth', () => {
    it('lists the token, approle and userpass mounts with accessors, at top level too', async () => {
      const r = await call('GET', 'sys/auth', root);
      const data = r.body?.data as Record<string, { type: string; accessor: string; description: string; config: Record<string, unknown> }>;
      expect(data['token/']).toMatchObject({ type: 'token' });
      expect(data['approle/']).toMatchObject({ type: 'approle' });
      expect(data['userpass/']).toMatchObject({ type: 'userpass', description: 'people' });
      expect(data['approle/']?.accessor).toMatch(/^auth_approle_[0-9a-f]+$/);
      expect(data['userpass/']?.accessor).toMatch(/^auth_userpass_[0-9a-f]+$/);
      expect(r.body?.['approle/']).toBeDefined(); // §1.7
    });

    it('enables at a custom path, tunes, refuses duplicates and unknown types, disables', async () => {
      await ok(call('POST', 'sys/auth/team-roles', root, { type: 'approle', description: 'team' }));
      expect((await authMounts())['team-roles/']).toMatchObject({ type: 'approle', description: 'team' });
      expect((await call('POST', 'sys/auth/team-roles', root, { type: 'approle' })).status).toBe(400);
      expect((await call('POST', 'sys/auth/weird', root, { type: 'no-such-method' })).status).toBe(400);

      await ok(call('POST', 'sys/auth/team-roles/tune', root, { default_lease_ttl: '1h', max_lease_ttl: '2h', description: 'tuned' }));
      const tuned = await call('GET', 'sys/auth/team-roles/tune', root);
      expect(tuned.status).toBe(200);
      expect(tuned.body?.data).toMatchObject({ default_lease_ttl: 3600, max_lease_ttl: 7200 });
      expect((await authMounts())['team-roles/']?.description).toBe('tuned');

      // The tuned TTLs apply to logins through the mount.
      await ok(call('POST', 'auth/team-roles/role/r', root, { token_policies: 'app-read' }));
      const roleId = ((await call('GET', 'auth/team-roles/role/r/role-id', root)).body?.data as { role_id: string }).role_id;
      const secretId = ((await call('POST', 'auth/team-roles/role/r/secret-id', root, {})).body?.data as { secret_id: string }).secret_id;
      const a = await login('auth/team-roles/login', { role_id: roleId, secret_id: secretId });
      expect(a.lease_duration).toBe(3600);
      expect((await lookupSelf(a.client_token)).display_name).toBe('team-roles');

      await ok(call('DELETE', 'sys/auth/team-roles', root));
      expect((await authMounts())['team-roles/']).toBeUndefined();
      expect((await call('POST', 'auth/team-roles/login', undefined, { role_id: roleId, secret_id: secretId })).status).toBe(404);
      await ok(call('DELETE', 'sys/auth/team-roles', root)); // absent: still 204
    });

    it('the token method cannot be disabled', async () => {
      expect((await call('DELETE', 'sys/auth/token', root)).status).toBe(400);
      expect((await authMounts())['token/']).toBeDefined();
    });

    it('enabling auth methods needs sudo', async () => {
      await ok(call('PUT', 'sys/policies/acl/auth-no-sudo', root, { policy: 'path "sys/auth/*" { capabilities = ["create", "update", "read", "delete"] }' }));
      const t = ((await call('POST', 'auth/token/create', root, { policies: ['auth-no-sudo'] })).body?.auth as Auth).client_token;
      expect((await call('POST', 'sys/auth/nosudo', t, { type: 'userpass' })).status).toBe(403);
    });
  });

  describe('AppRole', () => {
    it('the tutorial flow: role, role-id, secret-id, login → a token with the role\'s policies', async () => {
      await ok(call('POST', 'auth/approle/role/my-role', root, { token_policies: 'app-read', token_ttl: '20m', token_max_ttl: '30m', secret_id_ttl: '10m', secret_id_num_uses: 40 }));
      const role = await call('GET', 'auth/approle/role/my-role', root);
      expect(role.status).toBe(200);
      expect(role.body?.data).toMatchObject({ token_policies: ['app-read'], policies: ['app-read'], token_ttl: 1200, token_max_ttl: 1800, secret_id_ttl: 600, secret_id_num_uses: 40, bind_secret_id: true });
      expect(((await call('LIST', 'auth/approle/role', root)).body?.data as { keys: string[] }).keys).toContain('my-role');

      const roleId = ((await call('GET', 'auth/approle/role/my-role/role-id', root)).body?.data as { role_id: string }).role_id;
      expect(roleId).toMatch(/^[0-9a-f-]{36}$/);
      const sid = await call('POST', 'auth/approle/role/my-role/secret-id', root, { metadata: '{"env":"prod"}' });
      expect(sid.status, sid.text).toBe(200);
      const sidData = sid.body?.data as { secret_id: string; secret_id_accessor: string; secret_id_ttl: number; secret_id_num_uses: number };
      expect(sidData).toMatchObject({ secret_id_ttl: 600, secret_id_num_uses: 40 });
      expect(sidData.secret_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(((await call('LIST', 'auth/approle/role/my-role/secret-id', root)).body?.data as { keys: string[] }).keys).toContain(sidData.secret_id_accessor);

      const auth = await login('auth/approle/login', { role_id: roleId, secret_id: sidData.secret_id });
      expect(auth.policies).toEqual(['app-read', 'default']);
      expect(auth.token_policies).toEqual(['app-read', 'default']);
      expect(auth.metadata).toEqual({ role_name: 'my-role', env: 'prod' });
      expect(auth.lease_duration).toBe(1200);
      expect(auth.renewable).toBe(true);
      expect(auth.orphan).toBe(true);
      expect(auth.token_type).toBe('service');
      const data = await lookupSelf(auth.client_token);
      expect(data).toMatchObject({ display_name: 'approle', path: 'auth/approle/login', orphan: true, meta: { role_name: 'my-role', env: 'prod' }, ttl: 1200 });
      expect((await call('GET', 'secret/data/app/config', auth.client_token)).status).toBe(200);
      expect((await call('GET', 'secret/data/group/config', auth.client_token)).status).toBe(403);

      // The secret ID has one use fewer.
      const looked = await call('POST', 'auth/approle/role/my-role/secret-id/lookup', root, { secret_id: sidData.secret_id });
      expect(looked.status).toBe(200);
      expect(looked.body?.data).toMatchObject({ secret_id_accessor: sidData.secret_id_accessor, secret_id_num_uses: 39, metadata: { env: 'prod' } });

      // Renewal up to token_max_ttl.
      clock.advance(15 * 60_000);
      const renewed = await call('POST', 'auth/token/renew-self', auth.client_token, { increment: '1h' });
      expect(renewed.status, renewed.text).toBe(200);
      expect((renewed.body?.auth as Auth).lease_duration).toBe(900); // 30m max - 15m elapsed
    });

    it('a secret ID with num_uses=1 works once, then 400 invalid role or secret ID', async () => {
      await ok(call('POST', 'auth/approle/role/once', root, { token_policies: 'app-read' }));
      const roleId = ((await call('GET', 'auth/approle/role/once/role-id', root)).body?.data as { role_id: string }).role_id;
      const sid = ((await call('POST', 'auth/approle/role/once/secret-id', root, { num_uses: 1 })).body?.data as { secret_id: string; secret_id_accessor: string });
      await login('auth/approle/login', { role_id: roleId, secret_id: sid.secret_id });
      const again = await call('POST', 'auth/approle/login', undefined, { role_id: roleId, secret_id: sid.secret_id });
      expect(again.status).toBe(400);
      expect(errorsOf(again)).toEqual(['invalid role or secret ID']);
      // Used up: gone from the role.
      expect((await call('POST', 'auth/approle/role/once/secret-id-accessor/lookup', root, { secret_id_accessor: sid.secret_id_accessor })).status).not.toBe(200);
    });

    it('a wrong secret ID, an unknown role ID, a destroyed or expired secret ID: all 400 with the same message', async () => {
      await ok(call('POST', 'auth/approle/role/strict', root, { token_policies: 'app-read', secret_id_ttl: '10m' }));
      const roleId = ((await call('GET', 'auth/approle/role/strict/role-id', root)).body?.data as { role_id: string }).role_id;
      const sid = ((await call('POST', 'auth/approle/role/strict/secret-id', root, {})).body?.data as { secret_id: string; secret_id_accessor: string });
      const attempts: Array<[string, Record<string, unknown>]> = [
        ['wrong secret id', { role_id: roleId, secret_id: 'e5b6a2d4-0000-0000-0000-000000000000' }],
        ['unknown role id', { role_id: '00000000-1111-2222-3333-444444444444', secret_id: sid.secret_id }],
        ['role id of another role', { role_id: ((await call('GET', 'auth/approle/role/once/role-id', root)).body?.data as { role_id: string }).role_id, secret_id: sid.secret_id }],
      ];
      for (const [what, body] of attempts) {
        const r = await call('POST', 'auth/approle/login', undefined, body);
        expect(r.status, what).toBe(400);
        expect(errorsOf(r), what).toEqual(['invalid role or secret ID']);
      }
      // The right pair still works (failed attempts spent nothing).
      await login('auth/approle/login', { role_id: roleId, secret_id: sid.secret_id });

      // Expired: secret_id_ttl 10m.
      const sid2 = ((await call('POST', 'auth/approle/role/strict/secret-id', root, {})).body?.data as { secret_id: string });
      clock.advance(11 * 60_000);
      const expired = await call('POST', 'auth/approle/login', undefined, { role_id: roleId, secret_id: sid2.secret_id });
      expect(expired.status).toBe(400);
      expect(errorsOf(expired)).toEqual(['invalid role or secret ID']);

      // Destroyed by accessor.
      const sid3 = ((await call('POST', 'auth/approle/role/strict/secret-id', root, {})).body?.data as { secret_id: string; secret_id_accessor: string });
      await ok(call('POST', 'auth/approle/role/strict/secret-id-accessor/destroy', root, { secret_id_accessor: sid3.secret_id_accessor }));
      const destroyed = await call('POST', 'auth/approle/login', undefined, { role_id: roleId, secret_id: sid3.secret_id });
      expect(destroyed.status).toBe(400);
      expect(errorsOf(destroyed)).toEqual(['invalid role or secret ID']);
    });

    it('custom role-id and custom-secret-id', async () => {
      await ok(call('POST', 'auth/approle/role/custom', root, { token_policies: 'app-read' }));
      await ok(call('POST', 'auth/approle/role/custom/role-id', root, { role_id: 'my-custom-role-id' }));
      const sid = await call('POST', 'auth/approle/role/custom/custom-secret-id', root, { secret_id: 'my-custom-secret-id' });
      expect(sid.status, sid.text).toBe(200);
      expect((sid.body?.data as { secret_id: string }).secret_id).toBe('my-custom-secret-id');
      const a = await login('auth/approle/login', { role_id: 'my-custom-role-id', secret_id: 'my-custom-secret-id' });
      expect(a.metadata).toEqual({ role_name: 'custom' });
    });

    it('a login token cannot be renewed once its role is deleted (403)', async () => {
      await ok(call('POST', 'auth/approle/role/doomed', root, { token_policies: 'app-read', token_ttl: '1h' }));
      const roleId = ((await call('GET', 'auth/approle/role/doomed/role-id', root)).body?.data as { role_id: string }).role_id;
      const sid = ((await call('POST', 'auth/approle/role/doomed/secret-id', root, {})).body?.data as { secret_id: string });
      const a = await login('auth/approle/login', { role_id: roleId, secret_id: sid.secret_id });
      expect((await call('POST', 'auth/token/renew-self', a.client_token, {})).status).toBe(200);
      await ok(call('DELETE', 'auth/approle/role/doomed', root));
      expect((await call('GET', 'auth/approle/role/doomed', root)).status).toBe(404);
      expect((await call('POST', 'auth/token/renew-self', a.client_token, {})).status).toBe(403);
      expect((await call('POST', 'auth/token/renew', root, { token: a.client_token })).status).toBe(403);
    });

    it('bind_secret_id=false needs another constraint; with a CIDR it logs in on role_id alone', async () => {
      const refused = await call('POST', 'auth/approle/role/nosecret', root, { bind_secret_id: false });
      expect(refused.status).toBe(400);
      await ok(call('POST', 'auth/approle/role/nosecret', root, { bind_secret_id: false, secret_id_bound_cidrs: '127.0.0.0/8', token_policies: 'app-read' }));
      const roleId = ((await call('GET', 'auth/approle/role/nosecret/role-id', root)).body?.data as { role_id: string }).role_id;
      const a = await login('auth/approle/login', { role_id: roleId });
      expect(a.policies).toEqual(['app-read', 'default']);
      await ok(call('POST', 'auth/approle/role/elsewhere', root, { bind_secret_id: false, secret_id_bound_cidrs: '10.0.0.0/8' }));
      const elsewhereId = ((await call('GET', 'auth/approle/role/elsewhere/role-id', root)).body?.data as { role_id: string }).role_id;
      expect((await call('POST', 'auth/approle/login', undefined, { role_id: elsewhereId })).status).toBe(400);
    });
  });

  describe('userpass', () => {
    it('user CRUD: create, read without password, list, update password and policies, delete', async () => {
      await ok(call('POST', 'auth/userpass/users/alice', root, { password: 'alice-pass-1', token_policies: 'app-read', token_ttl: '1h' }));
      const read = await call('GET', 'auth/userpass/users/alice', root);
      expect(read.status).toBe(200);
      expect(read.body?.data).toMatchObject({ token_policies: ['app-read'], token_ttl: 3600 });
      expect(read.text).not.toMatch(/alice-pass-1/);
      expect(read.body?.data).not.toHaveProperty('password');
      expect(((await call('LIST', 'auth/userpass/users', root)).body?.data as { keys: string[] }).keys).toContain('alice');

      await ok(call('POST', 'auth/userpass/users/carol', root, { password: 'carol-pass-1' }));
      await ok(call('POST', 'auth/userpass/users/carol/password', root, { password: 'carol-pass-2' }));
      expect((await call('POST', 'auth/userpass/login/carol', undefined, { password: 'carol-pass-1' })).status).toBe(400);
      await login('auth/userpass/login/carol', { password: 'carol-pass-2' });
      await ok(call('POST', 'auth/userpass/users/carol/policies', root, { token_policies: 'group-read' }));
      expect((await login('auth/userpass/login/carol', { password: 'carol-pass-2' })).token_policies).toEqual(['default', 'group-read']);
      await ok(call('DELETE', 'auth/userpass/users/carol', root));
      expect((await call('GET', 'auth/userpass/users/carol', root)).status).toBe(404);
      const gone = await call('POST', 'auth/userpass/login/carol', undefined, { password: 'carol-pass-2' });
      expect(gone.status).toBe(400);
      expect(errorsOf(gone)).toEqual(['invalid username or password']);
      // Creating a user without a password is refused.
      expect((await call('POST', 'auth/userpass/users/nopass', root, { token_policies: 'app-read' })).status).toBe(400);
    });

    it('login: token with the user\'s policies, metadata username, display name userpass-alice', async () => {
      const a = await login('auth/userpass/login/alice', { password: 'alice-pass-1' });
      expect(a.policies).toEqual(['app-read', 'default']);
      expect(a.metadata).toEqual({ username: 'alice' });
      expect(a.orphan).toBe(true);
      expect(a.lease_duration).toBe(3600);
      const data = await lookupSelf(a.client_token);
      expect(data).toMatchObject({ display_name: 'userpass-alice', path: 'auth/userpass/login/alice', meta: { username: 'alice' } });
      expect((await call('GET', 'secret/data/app/config', a.client_token)).status).toBe(200);
      // Usernames match case-insensitively.
      expect((await login('auth/userpass/login/Alice', { password: 'alice-pass-1' })).metadata).toEqual({ username: 'alice' });
    });

    it('bad password and unknown user: 400 invalid username or password', async () => {
      for (const [user, password] of [['alice', 'wrong'], ['nobody', 'whatever'], ['alice', '']]) {
        const r = await call('POST', `auth/userpass/login/${user}`, undefined, { password });
        expect(r.status, `${user}/${password}`).toBe(400);
        if (password !== '') expect(errorsOf(r)).toEqual(['invalid username or password']);
      }
    });
  });

  describe('identity', () => {
    it('the first login creates an entity with an alias on the mount; the second reuses it', async () => {
      await ok(call('POST', 'auth/userpass/users/dave', root, { password: 'dave-pass-1', token_policies: 'app-read' }));
      const first = await login('auth/userpass/login/dave', { password: 'dave-pass-1' });
      expect(first.entity_id).toMatch(/^[0-9a-f-]{36}$/);
      expect((await lookupSelf(first.client_token)).entity_id).toBe(first.entity_id);
      const accessor = (await authMounts())['userpass/']?.accessor;
      const entity = await call('GET', `identity/entity/id/${first.entity_id}`, root);
      expect(entity.status, entity.text).toBe(200);
      const data = entity.body?.data as { id: string; name: string; aliases: Array<{ mount_accessor: string; name: string; canonical_id: string; mount_type?: string }> };
      expect(data.id).toBe(first.entity_id);
      expect(data.name).toMatch(/^entity_/);
      expect(data.aliases).toHaveLength(1);
      expect(data.aliases[0]).toMatchObject({ mount_accessor: accessor, name: 'dave', canonical_id: first.entity_id });

      const second = await login('auth/userpass/login/dave', { password: 'dave-pass-1' });
      expect(second.entity_id).toBe(first.entity_id);
      // The default policy lets an entity read its own record.
      expect((await call('GET', `identity/entity/id/${first.entity_id}`, second.client_token)).status).toBe(200);

      // AppRole logins make entities too, aliased by role id.
      const roleId = ((await call('GET', 'auth/approle/role/once/role-id', root)).body?.data as { role_id: string }).role_id;
      const sid = ((await call('POST', 'auth/approle/role/once/secret-id', root, {})).body?.data as { secret_id: string });
      const app = await login('auth/approle/login', { role_id: roleId, secret_id: sid.secret_id });
      expect(app.entity_id).not.toBe('');
      expect(app.entity_id).not.toBe(first.entity_id);
    });

    it('a group\'s policies are added to its member\'s token as identity_policies', async () => {
      await ok(call('POST', 'auth/userpass/users/erin', root, { password: 'erin-pass-1', token_policies: 'app-read' }));
      const first = await login('auth/userpass/login/erin', { password: 'erin-pass-1' });
      expect((await call('GET', 'secret/data/group/config', first.client_token)).status).toBe(403);
      const group = await call('POST', 'identity/group', root, { name: 'readers', policies: ['group-read'], member_entity_ids: [first.entity_id] });
      expect(group.status, group.text).toBe(200);
      // Existing tokens gain the group's policies at once…
      expect((await call('GET', 'secret/data/group/config', first.client_token)).status).toBe(200);
      // …and new logins show them.
      const second = await login('auth/userpass/login/erin', { password: 'erin-pass-1' });
      expect(second.identity_policies).toEqual(['group-read']);
      expect(second.policies).toEqual(['app-read', 'default', 'group-read']);
      expect(second.token_policies).toEqual(['app-read', 'default']);
      expect((await lookupSelf(second.client_token)).identity_policies).toEqual(['group-read']);
      // Removing the member takes them away again.
      const groupId = (group.body?.data as { id: string }).id;
      await call('POST', `identity/group/id/${groupId}`, root, { member_entity_ids: [] });
      expect((await call('GET', 'secret/data/group/config', second.client_token)).status).toBe(403);
    });
  });

  it('disabling an auth mount revokes the tokens it issued', async () => {
    await ok(call('POST', 'sys/auth/temp-users', root, { type: 'userpass' }));
    await ok(call('POST', 'auth/temp-users/users/frank', root, { password: 'frank-pass-1', token_policies: 'app-read' }));
    const a = await login('auth/temp-users/login/frank', { password: 'frank-pass-1' });
    expect((await lookupSelf(a.client_token)).display_name).toBe('temp-users-frank');
    const other = await login('auth/userpass/login/alice', { password: 'alice-pass-1' });
    await ok(call('DELETE', 'sys/auth/temp-users', root));
    expect((await call('GET', 'auth/token/lookup-self', a.client_token)).status).toBe(403);
    expect((await call('GET', 'secret/data/app/config', a.client_token)).status).toBe(403);
    expect((await call('POST', 'auth/token/lookup-accessor', root, { accessor: a.accessor })).status).toBe(400);
    // Tokens of other mounts are untouched.
    expect((await call('GET', 'auth/token/lookup-self', other.client_token)).status).toBe(200);
  });
});
