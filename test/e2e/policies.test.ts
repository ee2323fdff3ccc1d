import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startTestServer, type ApiResult, type TestServer } from '../helpers/server.js';

/** Policies (spec §2.3, §2.4, §6): CRUD over sys/policy and sys/policies/acl, and enforcement end to end. */
describe('policies over HTTP', () => {
  let srv: TestServer;
  let root: string;

  const call = (method: string, path: string, token: string, body?: unknown): Promise<ApiResult> => api(srv.addr, method, `/v1/${path}`, { token, ...(body !== undefined ? { body } : {}) });
  const errorsOf = (r: ApiResult): string => ((r.body?.errors as string[] | undefined) ?? []).join('; ');
  const putPolicy = async (name: string, policy: string): Promise<void> => {
    const r = await call('PUT', `sys/policies/acl/${name}`, root, { policy });
    expect(r.status, `policy ${name}: ${r.text}`).toBe(204);
  };
  /** A token holding exactly `policies` (plus default). */
  const tokenWith = async (...policies: string[]): Promise<{ token: string; accessor: string }> => {
    const r = await call('POST', 'auth/token/create', root, { policies });
    expect(r.status, r.text).toBe(200);
    const auth = r.body?.auth as { client_token: string; accessor: string };
    return { token: auth.client_token, accessor: auth.accessor };
  };
  const writeKv2 = async (path: string, data: Record<string, unknown>): Promise<void> => {
    expect((await call('POST', `secret/data/${path}`, root, { data })).status).toBe(200);
  };

  beforeAll(async () => {
    srv = await startTestServer();
    root = srv.rootToken;
    for (const p of ['app/db', 'app/api', 'elsewhere/x', 'shared/a', 'app/secret', 'teama/config', 'teama/deep/config', 'prefix-one', 'pre/sub/x', 'cache/x']) {
      await writeKv2(p, { value: p });
    }
  });
  afterAll(async () => {
    await srv.stop();
  });

  describe('CRUD', () => {
    const hcl = 'path "secret/data/crud/*" {\n  capabilities = ["read", "list"]\n}\n';
    const json = '{"path": {"secret/data/crud-json/*": {"capabilities": ["read"]}}}';

    it('writes, reads, lists and deletes an HCL policy through sys/policy (legacy) with the raw text kept', async () => {
      expect((await call('PUT', 'sys/policy/Crud-HCL', root, { policy: hcl })).status).toBe(204);
      const read = await call('GET', 'sys/policy/crud-hcl', root);
      expect(read.status).toBe(200);
      expect(read.body?.data).toEqual({ name: 'crud-hcl', rules: hcl });
      expect(read.body?.rules).toBe(hcl); // §1.7 injection: node-vault reads top-level keys
      const list = await call('GET', 'sys/policy', root);
      expect(list.status).toBe(200);
      const data = list.body?.data as { keys: string[]; policies: string[] };
      expect(data.keys).toEqual(expect.arrayContaining(['crud-hcl', 'default', 'root']));
      expect(data.policies).toEqual(data.keys);
      expect(list.body?.policies).toEqual(data.keys);
      expect((await call('DELETE', 'sys/policy/crud-hcl', root)).status).toBe(204);
      expect((await call('GET', 'sys/policy/crud-hcl', root)).status).toBe(404);
      expect((await call('DELETE', 'sys/policy/crud-hcl', root)).status).toBe(204); // idempotent
      expect(((await call('GET', 'sys/policy', root)).body?.data as { keys: string[] }).keys).not.toContain('crud-hcl');
    });

    it('writes, reads, lists and deletes a JSON policy through sys/policies/acl', async () => {
      expect((await call('PUT', 'sys/policies/acl/crud-json', root, { policy: json })).status).toBe(204);
      const read = await call('GET', 'sys/policies/acl/crud-json', root);
      expect(read.status).toBe(200);
      expect(read.body?.data).toEqual({ name: 'crud-json', policy: json });
      const list = await call('LIST', 'sys/policies/acl', root);
      expect(list.status).toBe(200);
      expect((list.body?.data as { keys: string[] }).keys).toEqual(expect.arrayContaining(['crud-json', 'default']));
      // The same policy is visible through the legacy endpoint too.
      expect((await call('GET', 'sys/policy/crud-json', root)).body?.data).toEqual({ name: 'crud-json', rules: json });
      // And it works.
      await writeKv2('crud-json/x', { v: 1 });
      const t = await tokenWith('crud-json');
      expect((await call('GET', 'secret/data/crud-json/x', t.token)).status).toBe(200);
      expect((await call('DELETE', 'sys/policies/acl/crud-json', root)).status).toBe(204);
      expect((await call('GET', 'sys/policies/acl/crud-json', root)).status).toBe(404);
      expect((await call('GET', 'secret/data/crud-json/x', t.token)).status).toBe(403);
    });

    it('accepts the legacy `rules` key with a deprecation warning (200)', async () => {
      const r = await call('PUT', 'sys/policy/legacy-rules', root, { rules: hcl });
      expect(r.status, r.text).toBe(200);
      expect((r.body?.warnings as string[] | null)?.length ?? 0).toBeGreaterThan(0);
      expect((await call('GET', 'sys/policy/legacy-rules', root)).body?.data).toEqual({ name: 'legacy-rules', rules: hcl });
    });

    it('parses node-vault\'s legacy JSON example ({"policy": "write"})', async () => {
      expect((await call('PUT', 'sys/policy/legacy-json', root, { rules: '{"path": {"secret/data/legacy/*": {"policy": "write"}}}' })).status).toBe(200);
      const t = await tokenWith('legacy-json');
      expect((await call('POST', 'secret/data/legacy/x', t.token, { data: { a: 1 } })).status).toBe(200);
      expect((await call('GET', 'secret/data/legacy/x', t.token)).status).toBe(200);
      expect((await call('DELETE', 'secret/data/legacy/x', t.token)).status).toBe(204);
    });

    it('refuses to delete default and root, and to write root (400)', async () => {
      for (const name of ['default', 'root']) {
        const r = await call('DELETE', `sys/policy/${name}`, root);
        expect(r.status, `delete ${name}`).toBe(400);
        expect(errorsOf(r)).not.toBe('');
        expect((await call('DELETE', `sys/policies/acl/${name}`, root)).status, `delete ${name} via acl`).toBe(400);
      }
      expect((await call('GET', 'sys/policy/default', root)).status).toBe(200);
      expect((await call('PUT', 'sys/policy/root', root, { policy: hcl })).status).toBe(400);
      // default is editable.
      const before = (await call('GET', 'sys/policies/acl/default', root)).body?.data as { policy: string };
      expect(before.policy).toMatch(/auth\/token\/lookup-self/);
    });

    it('a malformed policy is a 400 naming the line and column', async () => {
      const bad = 'path "secret/*" {\n  capabilities = ["read"\n}\n';
      const r = await call('PUT', 'sys/policies/acl/broken', root, { policy: bad });
      expect(r.status).toBe(400);
      expect(errorsOf(r)).toMatch(/(\b\d+:\d+\b)|(line\s*\d+.*col(umn)?\s*\d+)/i);
      expect((await call('GET', 'sys/policies/acl/broken', root)).status).toBe(404);
      const bad2 = 'path "secret/*" {\n  capabilities = ["read"]\n}\npath "x" {\n  capabilities = ["read"]\n  bogus = = 1\n}\n';
      const r2 = await call('PUT', 'sys/policy/broken2', root, { policy: bad2 });
      expect(r2.status).toBe(400);
      expect(errorsOf(r2)).toMatch(/(\b6:\d+\b)|(line\s*6\b)/i);
    });

    it('an unknown capability is a 400 naming it; an empty policy body is 400', async () => {
      const r = await call('PUT', 'sys/policies/acl/typo', root, { policy: 'path "secret/*" { capabilities = ["reed"] }' });
      expect(r.status).toBe(400);
      expect(errorsOf(r)).toMatch(/reed/);
      const legacy = await call('PUT', 'sys/policies/acl/typo2', root, { policy: 'path "secret/*" { policy = "writ" }' });
      expect(legacy.status).toBe(400);
      expect((await call('PUT', 'sys/policies/acl/empty', root, {})).status).toBe(400);
    });

    it('a `*` anywhere but the end of a pattern is refused', async () => {
      const r = await call('PUT', 'sys/policies/acl/midstar', root, { policy: 'path "secret/*/x" { capabilities = ["read"] }' });
      expect(r.status).toBe(400);
    });
  });

  describe('enforcement', () => {
    it('read on secret/data/app/*: reads there, 403 elsewhere and on write', async () => {
      await putPolicy('app-read', 'path "secret/data/app/*" { capabilities = ["read"] }');
      const { token } = await tokenWith('app-read');
      const ok = await call('GET', 'secret/data/app/db', token);
      expect(ok.status).toBe(200);
      expect((ok.body?.data as { data: unknown }).data).toEqual({ value: 'app/db' });
      const elsewhere = await call('GET', 'secret/data/elsewhere/x', token);
      expect(elsewhere.status).toBe(403);
      expect(elsewhere.body).toEqual({ errors: ['permission denied'] });
      expect((await call('POST', 'secret/data/app/db', token, { data: { value: 'changed' } })).status).toBe(403);
      expect((await call('DELETE', 'secret/data/app/db', token)).status).toBe(403);
      expect((await call('GET', 'secret/metadata/app/db', token)).status).toBe(403);
      expect((await call('GET', 'sys/mounts', token)).status).toBe(403);
      // Nothing was written by the refused call.
      expect(((await call('GET', 'secret/data/app/db', root)).body?.data as { data: unknown }).data).toEqual({ value: 'app/db' });
    });

    it('create vs update: create alone may write a new key but not overwrite one', async () => {
      await putPolicy('app-create', 'path "secret/data/create-only/*" { capabilities = ["create"] }');
      const { token } = await tokenWith('app-create');
      expect((await call('POST', 'secret/data/create-only/new', token, { data: { a: 1 } })).status).toBe(200);
      expect((await call('POST', 'secret/data/create-only/new', token, { data: { a: 2 } })).status).toBe(403);
    });

    it('deny wins: over a grant of the same pattern in another policy, and on a more specific path', async () => {
      await putPolicy('shared-read', 'path "secret/data/shared/*" { capabilities = ["read", "list", "update"] }');
      await putPolicy('shared-deny', 'path "secret/data/shared/*" { capabilities = ["deny"] }');
      await putPolicy('app-all', 'path "secret/data/app/*" { capabilities = ["read", "sudo"] }\npath "secret/data/app/secret" { capabilities = ["deny"] }');
      const both = await tokenWith('shared-read', 'shared-deny');
      expect((await call('GET', 'secret/data/shared/a', both.token)).status).toBe(403);
      const onlyRead = await tokenWith('shared-read');
      expect((await call('GET', 'secret/data/shared/a', onlyRead.token)).status).toBe(200);
      const app = await tokenWith('app-all');
      expect((await call('GET', 'secret/data/app/db', app.token)).status).toBe(200);
      expect((await call('GET', 'secret/data/app/secret', app.token)).status).toBe(403);
    });

    it('the highest-priority matching pattern alone decides (no union across different patterns)', async () => {
      // `secret/data/app/api` (exact) beats `secret/data/app/*`: only `update` there, not read.
      await putPolicy('prio', 'path "secret/data/app/*" { capabilities = ["read"] }\npath "secret/data/app/api" { capabilities = ["update"] }');
      const { token } = await tokenWith('prio');
      expect((await call('GET', 'secret/data/app/db', token)).status).toBe(200);
      expect((await call('GET', 'secret/data/app/api', token)).status).toBe(403);
      expect((await call('POST', 'secret/data/app/api', token, { data: { value: 'app/api' } })).status).toBe(200);
    });

    it('`+` matches exactly one segment; `*` is a prefix match', async () => {
      await putPolicy('plus', 'path "secret/data/+/config" { capabilities = ["read"] }');
      const plus = await tokenWith('plus');
      expect((await call('GET', 'secret/data/teama/config', plus.token)).status).toBe(200);
      expect((await call('GET', 'secret/data/teama/deep/config', plus.token)).status).toBe(403);
      expect((await call('GET', 'secret/data/config', plus.token)).status).toBe(403);

      await putPolicy('prefix', 'path "secret/data/pre*" { capabilities = ["read"] }');
      const prefix = await tokenWith('prefix');
      expect((await call('GET', 'secret/data/prefix-one', prefix.token)).status).toBe(200);
      expect((await call('GET', 'secret/data/pre/sub/x', prefix.token)).status).toBe(200);
      expect((await call('GET', 'secret/data/app/db', prefix.token)).status).toBe(403);
    });

    it('list is checked against the path with a trailing slash (an exact rule without it also counts, as in Vault)', async () => {
      await putPolicy('list-slash', 'path "secret/metadata/app/" { capabilities = ["list"] }');
      await putPolicy('list-noslash', 'path "secret/metadata/app" { capabilities = ["list"] }');
      const slash = await tokenWith('list-slash');
      for (const [method, path] of [['LIST', 'secret/metadata/app'], ['LIST', 'secret/metadata/app/']] as const) {
        const r = await call(method, path, slash.token);
        expect(r.status, `${method} ${path}`).toBe(200);
        expect((r.body?.data as { keys: string[] }).keys).toEqual(expect.arrayContaining(['api', 'db']));
      }
      const q = await api(srv.addr, 'GET', '/v1/secret/metadata/app?list=true', { token: slash.token });
      expect(q.status).toBe(200);
      // list grants no read of the metadata itself.
      expect((await call('GET', 'secret/metadata/app/db', slash.token)).status).toBe(403);
      const noSlash = await tokenWith('list-noslash');
      expect((await call('LIST', 'secret/metadata/app', noSlash.token)).status).toBe(200);
      // The rule is exact: nothing below it, and no read.
      expect((await call('LIST', 'secret/metadata/app/deeper', noSlash.token)).status).toBe(403);
      expect((await call('GET', 'secret/metadata/app', noSlash.token)).status).toBe(403);
      // A list grant on a folder does not reach a sibling folder.
      expect((await call('LIST', 'secret/metadata/teama', slash.token)).status).toBe(403);
    });

    it('allowed_parameters, denied_parameters and required_parameters on a kv v1 mount → 403 on violation', async () => {
      expect((await call('POST', 'sys/mounts/kv', root, { type: 'kv', options: { version: '1' } })).status).toBe(204);
      await putPolicy('params', [
        'path "kv/params/*" {',
        '  capabilities = ["create", "update", "read"]',
        '  allowed_parameters = {',
        '    "color" = ["red", "blue"]',
        '    "size" = []',
        '    "secret" = []',
        '    "tag" = ["team-*"]',
        '  }',
        '  denied_parameters = {',
        '    "secret" = []',
        '  }',
        '  required_parameters = ["color"]',
        '}',
      ].join('\n'));
      const { token } = await tokenWith('params');
      const w = (data: Record<string, unknown>) => call('POST', 'kv/params/x', token, data);
      expect((await w({ color: 'red', size: 10 })).status).toBe(204);
      expect((await w({ color: 'blue', tag: 'team-ops' })).status).toBe(204);
      expect((await w({ color: 'green' })).status, 'value not in the allowed list').toBe(403);
      expect((await w({ color: 'red', other: 1 })).status, 'key not allowed').toBe(403);
      expect((await w({ color: 'red', secret: 'x' })).status, 'denied key beats allowed').toBe(403);
      expect((await w({ size: 1 })).status, 'required key missing').toBe(403);
      expect((await w({ color: 'red', tag: 'ops' })).status, 'glob not matched').toBe(403);
      const stored = await call('GET', 'kv/params/x', root);
      expect(stored.body?.data).toEqual({ color: 'blue', tag: 'team-ops' });

      await putPolicy('params-deny-value', 'path "kv/deny/*" {\n  capabilities = ["create", "update"]\n  denied_parameters = { "env" = ["prod", "prod-*"] }\n}');
      const d = await tokenWith('params-deny-value');
      expect((await call('POST', 'kv/deny/x', d.token, { env: 'dev' })).status).toBe(204);
      expect((await call('POST', 'kv/deny/x', d.token, { env: 'prod' })).status).toBe(403);
      expect((await call('POST', 'kv/deny/x', d.token, { env: 'prod-eu' })).status).toBe(403);
    });

    it('a policy change takes effect on the next request', async () => {
      await putPolicy('cache', 'path "secret/data/cache/*" { capabilities = ["read"] }');
      const { token } = await tokenWith('cache');
      expect((await call('GET', 'secret/data/cache/x', token)).status).toBe(200);
      await putPolicy('cache', 'path "secret/data/nothing/*" { capabilities = ["read"] }');
      expect((await call('GET', 'secret/data/cache/x', token)).status).toBe(403);
      await putPolicy('cache', 'path "secret/data/cache/*" { capabilities = ["read"] }');
      expect((await call('GET', 'secret/data/cache/x', token)).status).toBe(200);
      expect((await call('DELETE', 'sys/policy/cache', root)).status).toBe(204);
      expect((await call('GET', 'secret/data/cache/x', token)).status).toBe(403);
      // Written again through the legacy endpoint: effective again at once.
      expect((await call('PUT', 'sys/policy/cache', root, { policy: 'path "secret/data/cache/*" { capabilities = ["read"] }' })).status).toBe(204);
      expect((await call('GET', 'secret/data/cache/x', token)).status).toBe(200);
    });

    it('editing the default policy changes what every token may do', async () => {
      const { token } = await tokenWith('app-read');
      expect((await call('GET', 'secret/data/elsewhere/x', token)).status).toBe(403);
      const original = ((await call('GET', 'sys/policies/acl/default', root)).body?.data as { policy: string }).policy;
      await putPolicy('default', `${original}\npath "secret/data/elsewhere/*" { capabilities = ["read"] }\n`);
      expect((await call('GET', 'secret/data/elsewhere/x', token)).status).toBe(200);
      await putPolicy('default', original);
      expect((await call('GET', 'secret/data/elsewhere/x', token)).status).toBe(403);
    });
  });

  describe('capabilities', () => {
    let token: string;
    let accessor: string;
    beforeAll(async () => {
      await putPolicy('caps', 'path "secret/data/caps/*" { capabilities = ["update", "read", "create"] }\npath "secret/data/caps/locked" { capabilities = ["deny"] }\npath "sys/capabilities" { capabilities = ["update"] }');
      ({ token, accessor } = await tokenWith('caps'));
    });

    it('sys/capabilities answers per path, sorted, with `capabilities` for one path and top-level injection', async () => {
      const one = await call('POST', 'sys/capabilities', root, { token, paths: ['secret/data/caps/x'] });
      expect(one.status, one.text).toBe(200);
      expect(one.body?.data).toMatchObject({ 'secret/data/caps/x': ['create', 'read', 'update'], capabilities: ['create', 'read', 'update'] });
      expect(one.body?.capabilities).toEqual(['create', 'read', 'update']);
      expect(one.body?.['secret/data/caps/x']).toEqual(['create', 'read', 'update']);
      const many = await call('POST', 'sys/capabilities', root, { token, paths: 'secret/data/caps/x, secret/data/caps/locked, secret/data/nowhere' });
      expect(many.status).toBe(200);
      expect(many.body?.data).toMatchObject({
        'secret/data/caps/x': ['create', 'read', 'update'],
        'secret/data/caps/locked': ['deny'],
        'secret/data/nowhere': ['deny'],
      });
      const legacy = await call('POST', 'sys/capabilities', root, { token, path: 'secret/data/caps/y' });
      expect(legacy.body?.capabilities).toEqual(['create', 'read', 'update']);
      const ofRoot = await call('POST', 'sys/capabilities', root, { token: root, paths: ['anything/at/all'] });
      expect(ofRoot.body?.capabilities).toEqual(['root']);
    });

    it('capabilities-self works with only the default policy', async () => {
      const self = await call('POST', 'sys/capabilities-self', token, { paths: ['secret/data/caps/x'] });
      expect(self.status, self.text).toBe(200);
      expect(self.body?.capabilities).toEqual(['create', 'read', 'update']);
      const plain = await tokenWith('default');
      const cubby = await call('POST', 'sys/capabilities-self', plain.token, { paths: ['cubbyhole/x', 'secret/data/caps/x'] });
      expect(cubby.status).toBe(200);
      expect(cubby.body?.data).toMatchObject({ 'cubbyhole/x': ['create', 'delete', 'list', 'read', 'update'], 'secret/data/caps/x': ['deny'] });
    });

    it('capabilities-accessor answers for the token behind an accessor; a bad accessor is 400', async () => {
      const r = await call('POST', 'sys/capabilities-accessor', root, { accessor, paths: ['secret/data/caps/x'] });
      expect(r.status, r.text).toBe(200);
      expect(r.body?.capabilities).toEqual(['create', 'read', 'update']);
      expect((await call('POST', 'sys/capabilities-accessor', root, { accessor: 'NoSuchAccessor0000000000', paths: ['x'] })).status).toBe(400);
      // A token without a grant on sys/capabilities-accessor cannot ask.
      expect((await call('POST', 'sys/capabilities-accessor', token, { accessor, paths: ['x'] })).status).toBe(403);
    });

    it('answers follow policy changes', async () => {
      await putPolicy('caps2', 'path "secret/data/caps2/*" { capabilities = ["list"] }');
      const t = await tokenWith('caps2');
      expect((await call('POST', 'sys/capabilities-self', t.token, { paths: ['secret/data/caps2/a'] })).body?.capabilities).toEqual(['list']);
      await putPolicy('caps2', 'path "secret/data/caps2/*" { capabilities = ["list", "delete"] }');
      expect((await call('POST', 'sys/capabilities-self', t.token, { paths: ['secret/data/caps2/a'] })).body?.capabilities).toEqual(['delete', 'list']);
    });
  });

  describe('templated paths', () => {
    it('{{identity.entity.id}} resolves to the caller\'s entity', async () => {
      expect((await call('POST', 'sys/auth/userpass', root, { type: 'userpass' })).status).toBe(204);
      await putPolicy('per-entity', 'path "secret/data/users/{{identity.entity.id}}/*" { capabilities = ["create", "update", "read"] }');
      expect((await call('POST', 'auth/userpass/users/tmpl', root, { password: 'tmpl-pass-1', token_policies: 'per-entity' })).status).toBe(204);
      const login = await api(srv.addr, 'POST', '/v1/auth/userpass/login/tmpl', { body: { password: 'tmpl-pass-1' } });
      expect(login.status, login.text).toBe(200);
      const auth = login.body?.auth as { client_token: string; entity_id: string };
      expect(auth.entity_id, 'login must return the entity id').not.toBe('');
      const mine = await call('POST', `secret/data/users/${auth.entity_id}/notes`, auth.client_token, { data: { n: 1 } });
      expect(mine.status, mine.text).toBe(200);
      expect((await call('GET', `secret/data/users/${auth.entity_id}/notes`, auth.client_token)).status).toBe(200);
      expect((await call('POST', 'secret/data/users/someone-else/notes', auth.client_token, { data: { n: 1 } })).status).toBe(403);
      // An unresolved template (token without entity) matches nothing.
      const noEntity = await tokenWith('per-entity');
      expect((await call('POST', 'secret/data/users//notes', noEntity.token, { data: { n: 1 } })).status).toBe(403);
      expect((await call('POST', 'secret/data/users/{{identity.entity.id}}/notes', noEntity.token, { data: { n: 1 } })).status).toBe(403);
    });
  });
});
