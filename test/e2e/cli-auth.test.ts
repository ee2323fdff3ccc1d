import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startTestServer, type TestServer } from '../helpers/server.js';

/**
 * The access and lease commands of the real `ward` binary (bin/ward.js over dist/, so `npm run build` first)
 * against a real dev server: auth methods, policies, logins with each method, tokens, capabilities, leases of tokens
 * and unwrapping. Every run gets its own HOME, so the token helper file is the test's own.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin', 'ward.js');

interface Run {
  code: number | null;
  out: string;
  err: string;
}

function ward(args: string[], env: Record<string, string | undefined>, stdin?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const clean = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) as Record<string, string>;
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { PATH: process.env.PATH, ...clean }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
    child.stdin.end(stdin ?? '');
  });
}

/** The value column of a `Key  Value` table row. */
function cell(table: string, key: string): string | undefined {
  const re = new RegExp(`^${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} +(.*)$`, 'm');
  return re.exec(table)?.[1];
}

const APP_POLICY = `# the app's secrets
path "secret/data/app/*" {
  capabilities = ["read", "list"]
}
`;

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) throw new Error('dist/cli/main.js is missing: run `npm run build` before the CLI e2e tests');
});

describe('ward auth, policy, token, lease and unwrap commands against a dev server', () => {
  let srv: TestServer;
  let home: string;
  let env: Record<string, string | undefined>;
  const run = (args: string[], stdin?: string, extra: Record<string, string | undefined> = {}) => ward(args, { ...env, ...extra }, stdin);
  /** Runs as the given token, with no token helper fallback in play. */
  const as = (token: string, args: string[], stdin?: string) => {
    // An empty token would silently fall back to the token helper file.
    if (token === '') throw new Error(`no token to run ward ${args.join(' ')} with`);
    return run(args, stdin, { WARD_TOKEN: token });
  };
  const tokenFile = () => join(home, '.ward-token');

  beforeAll(async () => {
    srv = await startTestServer();
    home = mkdtempSync(join(tmpdir(), 'ward-cli-auth-home-'));
    env = { WARD_ADDR: srv.addr, WARD_TOKEN: srv.rootToken, HOME: home };
  });
  afterAll(async () => {
    await srv.stop();
    rmSync(home, { recursive: true, force: true });
  });

  describe('auth enable / list / tune / disable', () => {
    it('enables methods and prints Vault\'s messages', async () => {
      expect(await run(['auth', 'enable', 'userpass'])).toEqual({ code: 0, out: 'Success! Enabled userpass auth method at: userpass/\n', err: '' });
      expect(await run(['auth', 'enable', 'approle'])).toEqual({ code: 0, out: 'Success! Enabled approle auth method at: approle/\n', err: '' });
      const custom = await run(['auth', 'enable', '-path=apps', '-description=app logins', '-default-lease-ttl=30m', '-max-lease-ttl=2h', 'approle']);
      expect(custom).toEqual({ code: 0, out: 'Success! Enabled approle auth method at: apps/\n', err: '' });
      const again = await run(['auth', 'enable', 'userpass']);
      expect(again.code).toBe(2);
      expect(again.err).toMatch(new RegExp(`^Error enabling userpass auth: Error making API request\\.\\n\\nURL: POST ${srv.addr}/v1/sys/auth/userpass\\nCode: 400\\. Errors:\\n\\n\\* .*path is already in use`));
      expect(await run(['auth', 'enable'])).toEqual({ code: 1, out: '', err: 'Not enough arguments (expected 1, got 0)\n' });
    });

    it('auth list prints the Path/Type/Accessor/Description/Version table, -detailed and -format=json', async () => {
      const list = await run(['auth', 'list']);
      expect(list.code).toBe(0);
      expect(list.out).toMatch(/^Path +Type +Accessor +Description +Version\n-{4} +-{4} +-{8} +-{11} +-{7}\n/);
      expect(list.out).toMatch(/^apps\/ +approle +auth_approle_\w+ +app logins +n\/a$/m);
      expect(list.out).toMatch(/^token\/ +token +auth_token_\w+ +token based credentials +n\/a$/m);
      expect(list.out).toMatch(/^userpass\/ +userpass +auth_userpass_\w+ +n\/a +n\/a$/m);
      const paths = list.out.split('\n').slice(2).filter(Boolean).map((l) => l.split(/ +/)[0]);
      expect(paths).toEqual([...paths].sort());

      const detailed = await run(['auth', 'list', '-detailed']);
      expect(detailed.out).toMatch(/^Path +Plugin +Accessor +Default TTL +Max TTL +Token Type +Replication +Seal Wrap +External Entropy Access +Options +Description +UUID +Version +Running Version +Running SHA256 +Deprecation Status\n/);
      expect(detailed.out).toMatch(/^apps\/ +approle +auth_approle_\w+ +1800 +7200 +\S+ +replicated +false +false +map\[\] +app logins +[0-9a-f-]{36} /m);
      expect(detailed.out).toMatch(/^userpass\/ +userpass +auth_userpass_\w+ +system +system /m);

      const json = JSON.parse((await run(['auth', 'list', '-format=json'])).out) as Record<string, Record<string, unknown>>;
      expect(Object.keys(json['apps/'] ?? {}).slice(0, 5)).toEqual(['uuid', 'type', 'description', 'accessor', 'config']);
      expect(json['apps/']).toMatchObject({ type: 'approle', description: 'app logins', config: { default_lease_ttl: 1800, max_lease_ttl: 7200 } });
      const yaml = (await run(['auth', 'list', '-format=yaml'])).out;
      expect(yaml).toMatch(/^apps\/:\n {2}accessor: auth_approle_\w+\n {2}config:\n {4}default_lease_ttl: 1800\n/m);
    });

    it('auth list shows each auth method\'s token type (Vault reports "default-service" unless tuned)', async () => {
      // Vault keeps token_type in every auth mount's config and returns it from sys/auth; `-detailed` prints it.
      const detailed = await run(['auth', 'list', '-detailed']);
      expect(detailed.out).toMatch(/^userpass\/ +userpass +auth_userpass_\w+ +system +system +default-service +replicated /m);
      const json = JSON.parse((await run(['auth', 'list', '-format=json'])).out) as Record<string, { config: Record<string, unknown> }>;
      expect(json['userpass/']?.config.token_type).toBe('default-service');
    });

    it('auth tune sends only the given settings; auth disable removes the mount', async () => {
      expect(await run(['auth', 'tune', '-default-lease-ttl=1h', '-description=tuned', 'apps'])).toEqual({ code: 0, out: 'Success! Tuned the auth method at: apps/\n', err: '' });
      const tune = await api(srv.addr, 'GET', '/v1/sys/auth/apps/tune', { token: srv.rootToken });
      expect(tune.body?.data).toMatchObject({ default_lease_ttl: 3600, max_lease_ttl: 7200, description: 'tuned' });
      const missing = await run(['auth', 'tune', '-default-lease-ttl=1h', 'nothing-here']);
      expect(missing.code).toBe(2);
      expect(missing.err).toMatch(/^Error tuning auth method nothing-here\/: Error making API request\./);
      expect(await run(['auth', 'disable', 'apps/'])).toEqual({ code: 0, out: 'Success! Disabled the auth method (if it existed) at: apps/\n', err: '' });
      expect((await run(['auth', 'list'])).out).not.toContain('apps/');
    });
  });

  describe('policy write / read / list / delete / fmt', () => {
    it('writes a policy from stdin (heredoc) and lowercases the name like Vault', async () => {
      // `ward policy write App - <<EOF ... EOF`
      const w = await run(['policy', 'write', 'App', '-'], APP_POLICY);
      expect(w).toEqual({ code: 0, out: 'Success! Uploaded policy: app\n', err: 'Policy name was converted from "App" to "app"\n' });
      expect(await run(['policy', 'read', 'app'])).toEqual({ code: 0, out: APP_POLICY.trim() + '\n', err: '' });
      expect(JSON.parse((await run(['policy', 'read', '-format=json', 'APP'])).out)).toEqual({ policy: APP_POLICY });
      const stored = await api(srv.addr, 'GET', '/v1/sys/policies/acl/app', { token: srv.rootToken });
      expect(stored.body?.data).toMatchObject({ name: 'app', policy: APP_POLICY });
    });

    it('writes from a file, lists, deletes, and reports errors as Vault', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ward-cli-policy-'));
      try {
        const file = join(dir, 'ops.hcl');
        writeFileSync(file, 'path "sys/leases/*" {\n  capabilities = ["sudo", "update"]\n}\n');
        expect(await run(['policy', 'write', 'ops', file])).toEqual({ code: 0, out: 'Success! Uploaded policy: ops\n', err: '' });
        const list = await run(['policy', 'list']);
        expect(list.code).toBe(0);
        expect(list.out.split('\n').filter(Boolean)).toEqual(expect.arrayContaining(['app', 'default', 'ops', 'root']));
        expect(JSON.parse((await run(['policy', 'list', '-format=json'])).out)).toEqual(expect.arrayContaining(['app', 'default', 'ops', 'root']));
        expect(await run(['policy', 'delete', 'OPS'])).toEqual({ code: 0, out: 'Success! Deleted policy: ops\n', err: '' });
        expect(await run(['policy', 'read', 'ops'])).toEqual({ code: 2, out: '', err: 'No policy named: ops\n' });
        expect(await run(['policy', 'write', 'x', join(dir, 'missing.hcl')])).toEqual({ code: 2, out: '', err: `Error opening policy file: open ${join(dir, 'missing.hcl')}: no such file or directory\n` });
        const bad = await run(['policy', 'write', 'broken', '-'], 'path "x" {\n  capabilities = [\n');
        expect(bad.code).toBe(2);
        expect(bad.err).toMatch(new RegExp(`^Error uploading policy: Error making API request\\.\\n\\nURL: PUT ${srv.addr}/v1/sys/policies/acl/broken\\nCode: 400\\.`));
        expect(await run(['policy', 'write', 'only-one'])).toEqual({ code: 1, out: '', err: 'Not enough arguments (expected 2, got 1)\n' });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('policy fmt rewrites the file with normalised layout, keeps comments, refuses invalid policies', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ward-cli-fmt-'));
      try {
        const file = join(dir, 'p.hcl');
        writeFileSync(file, '# app\npath "secret/data/app/*"   {\ncapabilities = ["read","list"]   # reads\n    min_wrapping_ttl="1s"\n max_wrapping_ttl   = "90s"\n\n\n}\npath "sys/*" { capabilities = [ "deny" ] }\n');
        expect(await run(['policy', 'fmt', file])).toEqual({ code: 0, out: `Success! Formatted policy: ${file}\n`, err: '' });
        expect(readFileSync(file, 'utf8')).toBe(
          '# app\npath "secret/data/app/*" {\n  capabilities     = ["read", "list"] # reads\n  min_wrapping_ttl = "1s"\n  max_wrapping_ttl = "90s"\n}\n\npath "sys/*" { capabilities = ["deny"] }\n',
        );
        const broken = join(dir, 'broken.hcl');
        writeFileSync(broken, 'path "x" {\n  capabilities = ["read"\n');
        const r = await run(['policy', 'fmt', broken]);
        expect(r.code).toBe(1);
        expect(r.err).toMatch(/^policy parse error/);
        expect(readFileSync(broken, 'utf8')).toBe('path "x" {\n  capabilities = ["read"\n');
        const json = join(dir, 'p.json');
        writeFileSync(json, '{"path": {"x": {"capabilities": ["read"]}}}');
        expect(await run(['policy', 'fmt', json])).toEqual({ code: 1, out: '', err: 'Error printing result: only HCL policies can be formatted; this file is JSON\n' });
        expect(await run(['policy', 'fmt', join(dir, 'none.hcl')])).toEqual({ code: 1, out: '', err: `Error reading source file: open ${join(dir, 'none.hcl')}: no such file or directory\n` });
        expect(await run(['policy', 'fmt', '-address=x', file])).toEqual({ code: 1, out: '', err: 'flag provided but not defined: -address\n' });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('login', () => {
    it('userpass: prints the token table, stores the token (0600) and later commands use it', async () => {
      expect((await run(['write', 'auth/userpass/users/alice', 'password=s3cret-pw', 'token_policies=app'])).code).toBe(0);
      const r = await run(['login', '-method=userpass', 'username=alice', 'password=s3cret-pw'], undefined, { WARD_TOKEN: undefined });
      expect(r.code).toBe(0);
      expect(r.err).toBe('');
      expect(r.out).toMatch(/^Success! You are now authenticated\. The token information displayed below is\nalready stored in the token helper\. You do NOT need to run "ward login" again\.\nFuture Ward requests will automatically use this token\.\n\nKey +Value\n-{3} +-{5}\n/);
      const rows = r.out.split('\n').slice(6).filter(Boolean).map((l) => l.split(/ +/)[0]);
      expect(rows).toEqual(['token', 'token_accessor', 'token_duration', 'token_renewable', 'token_policies', 'identity_policies', 'policies', 'token_meta_username']);
      expect(cell(r.out, 'token_policies')).toBe('["app" "default"]');
      expect(cell(r.out, 'policies')).toBe('["app" "default"]');
      expect(cell(r.out, 'token_meta_username')).toBe('alice');
      expect(cell(r.out, 'token_duration')).toBe('768h');
      expect(cell(r.out, 'token_renewable')).toBe('true');
      const token = cell(r.out, 'token') as string;
      expect(token).toMatch(/^hvs\./);
      expect(readFileSync(tokenFile(), 'utf8')).toBe(token);
      expect(statSync(tokenFile()).mode & 0o777).toBe(0o600);
      const self = await run(['token', 'lookup'], undefined, { WARD_TOKEN: undefined });
      expect(cell(self.out, 'display_name')).toBe('userpass-alice');
      expect(cell(self.out, 'path')).toBe('auth/userpass/login/alice');
      expect(await run(['token', 'capabilities', 'secret/data/app/x'], undefined, { WARD_TOKEN: undefined })).toEqual({ code: 0, out: 'list, read\n', err: '' });
    });

    it('userpass: password=- reads stdin, -token-only prints the bare token and does not store it', async () => {
      const before = readFileSync(tokenFile(), 'utf8');
      const r = await run(['login', '-method=userpass', '-token-only', 'username=alice', 'password=-'], 's3cret-pw', { WARD_TOKEN: undefined });
      expect(r.code).toBe(0);
      expect(r.err).toBe('');
      expect(r.out).toMatch(/^hvs\.\S+$/);
      expect(r.out).not.toBe(before);
      expect(readFileSync(tokenFile(), 'utf8')).toBe(before);
      const json = await run(['login', '-method=userpass', '-no-store', '-format=json', 'username=alice', 'password=s3cret-pw'], undefined, { WARD_TOKEN: undefined });
      expect(json.err).toContain('The token was not stored in token helper.');
      const parsed = JSON.parse(json.out) as { auth: Record<string, unknown> };
      expect(parsed.auth).toMatchObject({ token_policies: ['app', 'default'], metadata: { username: 'alice' }, renewable: true });
      expect(Object.keys(parsed.auth).slice(0, 3)).toEqual(['client_token', 'accessor', 'policies']);
    });

    it('userpass: -path for a non-default mount; prompts fail without a terminal; bad passwords exit 2', async () => {
      expect((await run(['auth', 'enable', '-path=people', 'userpass'])).code).toBe(0);
      expect((await run(['write', 'auth/people/users/bob', 'password=b0b-pw', 'token_policies=default'])).code).toBe(0);
      const r = await run(['login', '-method=userpass', '-path=people', '-no-store', 'username=bob', 'password=b0b-pw']);
      expect(r.code).toBe(0);
      expect(cell(r.out, 'token_meta_username')).toBe('bob');
      const noTty = await run(['login', '-method=userpass', 'username=alice']);
      expect(noTty.code).toBe(2);
      expect(noTty.err).toMatch(/^Error authenticating: An error occurred attempting to ask for a password\./);
      const bad = await run(['login', '-method=userpass', 'username=alice', 'password=wrong-pw']);
      expect(bad.code).toBe(2);
      expect(bad.err).toMatch(new RegExp(`^Error authenticating: Error making API request\\.\\n\\nURL: PUT ${srv.addr}/v1/auth/userpass/login/alice\\nCode: 400\\. Errors:\\n\\n\\* invalid username or password`));
      expect(bad.err).not.toContain('wrong-pw');
      expect(await run(['login', '-method=userpass'])).toMatchObject({ code: 2, err: "Error authenticating: 'username' must be specified\n" });
      expect((await run(['login', '-method=ldap', 'username=x'])).code).toBe(1);
    });

    it('approle: role_id and secret_id from the role; the token carries the role\'s TTL and metadata', async () => {
      expect((await run(['write', 'auth/approle/role/web', 'token_policies=app', 'token_ttl=20m', 'token_max_ttl=1h'])).code).toBe(0);
      const roleId = (await run(['read', '-field=role_id', 'auth/approle/role/web/role-id'])).out;
      const secretId = (await run(['write', '-f', '-field=secret_id', 'auth/approle/role/web/secret-id'])).out;
      expect(roleId).toMatch(/^[0-9a-f-]{36}$/);
      const r = await run(['login', '-method=approle', `role_id=${roleId}`, `secret_id=${secretId}`], undefined, { WARD_TOKEN: undefined });
      expect(r.code).toBe(0);
      expect(cell(r.out, 'token_duration')).toBe('20m');
      expect(cell(r.out, 'token_meta_role_name')).toBe('web');
      expect(cell(r.out, 'token_policies')).toBe('["app" "default"]');
      const token = cell(r.out, 'token') as string;
      expect(readFileSync(tokenFile(), 'utf8')).toBe(token);
      expect(statSync(tokenFile()).mode & 0o777).toBe(0o600);
      const self = await run(['token', 'lookup'], undefined, { WARD_TOKEN: undefined });
      expect(cell(self.out, 'display_name')).toBe('approle');
      expect(cell(self.out, 'path')).toBe('auth/approle/login');
      const bad = await run(['login', '-method=approle', `role_id=${roleId}`, 'secret_id=not-the-secret']);
      expect(bad.code).toBe(2);
      expect(bad.err).toMatch(/^Error authenticating: Error making API request\.\n\nURL: PUT \S+\/v1\/auth\/approle\/login\nCode: 400\./);
      expect(bad.err).not.toContain('not-the-secret');
    });
  });

  describe('token create / lookup / renew / revoke / capabilities', () => {
    it('token create takes Vault\'s flags and prints the auth table; -field and -format=json', async () => {
      const r = await run(['token', 'create', '-policy=app', '-ttl=30m', '-explicit-max-ttl=2h', '-metadata=team=ops', '-metadata=env=ci', '-display-name=ci bot']);
      expect(r.code).toBe(0);
      expect(r.out.split('\n').slice(0, 2)).toEqual(['Key                  Value', '---                  -----']);
      expect(r.out.split('\n').slice(2).filter(Boolean).map((l) => l.split(/ +/)[0])).toEqual(['token', 'token_accessor', 'token_duration', 'token_renewable', 'token_policies', 'identity_policies', 'policies', 'token_meta_env', 'token_meta_team']);
      expect(cell(r.out, 'token_duration')).toBe('30m');
      expect(cell(r.out, 'token_meta_team')).toBe('ops');
      const token = cell(r.out, 'token') as string;
      const accessor = cell(r.out, 'token_accessor') as string;
      const look = await run(['token', 'lookup', token]);
      expect(look.code).toBe(0);
      expect(cell(look.out, 'display_name')).toBe('token-ci-bot');
      expect(cell(look.out, 'creation_ttl')).toBe('30m');
      expect(cell(look.out, 'explicit_max_ttl')).toBe('2h');
      expect(cell(look.out, 'meta')).toBe('map[env:ci team:ops]');
      expect(cell(look.out, 'policies')).toBe('[app default]');
      expect(cell(look.out, 'path')).toBe('auth/token/create');
      expect(cell(look.out, 'id')).toBe(token);
      const byAccessor = await run(['token', 'lookup', '-accessor', accessor]);
      expect(cell(byAccessor.out, 'accessor')).toBe(accessor);
      expect(cell(byAccessor.out, 'id')).toBe('n/a');
      expect((await run(['token', 'create', '-policy=app', '-field=token'])).out).toMatch(/^hvs\.\S+$/);
      const json = JSON.parse((await run(['token', 'create', '-policy=app', '-format=json'])).out) as { auth: Record<string, unknown> };
      expect(json.auth).toMatchObject({ policies: ['app', 'default'], token_policies: ['app', 'default'], renewable: true, lease_duration: 2764800 });
      const root = await run(['token', 'lookup']);
      expect(cell(root.out, 'policies')).toBe('[root]');
      expect(cell(root.out, 'id')).toBe(srv.rootToken);
    });

    it('token create -orphan -period -no-default-policy -use-limit -type=batch -id -role', async () => {
      const periodic = JSON.parse((await run(['token', 'create', '-orphan', '-period=1h', '-no-default-policy', '-policy=app', '-format=json'])).out) as { auth: { client_token: string; orphan: boolean; policies: string[] } };
      expect(periodic.auth.orphan).toBe(true);
      expect(periodic.auth.policies).toEqual(['app']);
      const look = await run(['token', 'lookup', periodic.auth.client_token]);
      expect(cell(look.out, 'period')).toBe('1h');
      expect(cell(look.out, 'orphan')).toBe('true');
      expect(cell(look.out, 'policies')).toBe('[app]');
      const limited = (await run(['token', 'create', '-use-limit=5', '-policy=app', '-field=token'])).out;
      expect(cell((await run(['token', 'lookup', limited])).out, 'num_uses')).toBe('5');
      const batch = await run(['token', 'create', '-type=batch', '-ttl=10m', '-policy=app']);
      expect(batch.code).toBe(0);
      expect(cell(batch.out, 'token')).toMatch(/^hvb\./);
      expect(cell(batch.out, 'token_renewable')).toBe('false');
      expect((await run(['token', 'create', '-id=my-custom-token-id', '-policy=app', '-field=token'])).out).toBe('my-custom-token-id');
      expect((await run(['write', 'auth/token/roles/ci', 'allowed_policies=app'])).code).toBe(0);
      const byRole = await run(['token', 'create', '-role=ci', '-policy=app', '-field=token']);
      expect(byRole.code).toBe(0);
      const roleLook = await run(['token', 'lookup', byRole.out]);
      expect(cell(roleLook.out, 'role')).toBe('ci');
      expect(cell(roleLook.out, 'path')).toBe('auth/token/create/ci');
      expect(await run(['token', 'create', 'extra'])).toEqual({ code: 1, out: '', err: 'Too many arguments (expected 0, got 1)\n' });
      expect(await run(['token', 'create', '-use-limit=lots'])).toMatchObject({ code: 1 });
    });

    it('token renew: the token, -accessor, and the local token, with -increment', async () => {
      const token = (await run(['token', 'create', '-policy=app', '-ttl=10m', '-field=token'])).out;
      const r = await run(['token', 'renew', '-increment=1h', token]);
      expect(r.code).toBe(0);
      expect(cell(r.out, 'token')).toBe(token);
      expect(cell(r.out, 'token_duration')).toBe('1h');
      const accessor = cell((await run(['token', 'lookup', token])).out, 'accessor') as string;
      const viaAccessor = await run(['token', 'renew', '-accessor', '-i=30m', accessor]);
      expect(viaAccessor.code).toBe(0);
      expect(cell(viaAccessor.out, 'token_duration')).toBe('30m');
      const self = await as(token, ['token', 'renew', '-format=json']);
      expect((JSON.parse(self.out) as { auth: { client_token: string } }).auth.client_token).toBe(token);
      const nonRenewable = (await run(['token', 'create', '-policy=app', '-renewable=false', '-field=token'])).out;
      const refused = await run(['token', 'renew', nonRenewable]);
      expect(refused.code).toBe(2);
      expect(refused.err).toMatch(/^Error renewing token: Error making API request\.\n\nURL: PUT \S+\/v1\/auth\/token\/renew\nCode: 400\./);
      expect(refused.err).not.toContain(nonRenewable);
    });

    it('token revoke: the token (refused afterwards), -accessor, -self, -mode=orphan, -mode=path, usage errors', async () => {
      const token = (await run(['token', 'create', '-policy=app', '-field=token'])).out;
      expect((await as(token, ['token', 'lookup'])).code).toBe(0);
      expect(await run(['token', 'revoke', token])).toEqual({ code: 0, out: 'Success! Revoked token (if it existed)\n', err: '' });
      const refused = await as(token, ['token', 'lookup']);
      expect(refused.code).toBe(2);
      expect(refused.err).toMatch(/^Error looking up token: Error making API request\.\n\nURL: GET \S+\/v1\/auth\/token\/lookup-self\nCode: 403\./);
      expect((await as(token, ['token', 'capabilities', 'secret/data/app/x'])).code).toBe(2);
      const lookup = await run(['token', 'lookup', token]);
      expect(lookup.code).toBe(2);
      expect(lookup.err).not.toContain(token);

      const byAccessor = (await run(['token', 'create', '-policy=app', '-format=json'])).out;
      const { client_token: t2, accessor: a2 } = (JSON.parse(byAccessor) as { auth: { client_token: string; accessor: string } }).auth;
      expect((await run(['token', 'revoke', '-accessor', a2])).code).toBe(0);
      expect((await as(t2, ['token', 'lookup'])).code).toBe(2);

      const t3 = (await run(['token', 'create', '-policy=app', '-field=token'])).out;
      expect(await as(t3, ['token', 'revoke', '-self'])).toEqual({ code: 0, out: 'Success! Revoked token (if it existed)\n', err: '' });
      expect((await as(t3, ['token', 'lookup'])).code).toBe(2);

      expect((await run(['policy', 'write', 'issuer', '-'], 'path "auth/token/create" {\n  capabilities = ["update"]\n}\n')).code).toBe(0);
      const parent = (await run(['token', 'create', '-policy=app', '-policy=issuer', '-field=token'])).out;
      const child = (await as(parent, ['token', 'create', '-policy=app', '-field=token'])).out;
      const sibling = (await as(parent, ['token', 'create', '-policy=app', '-field=token'])).out;
      expect(cell((await as(child, ['token', 'lookup'])).out, 'orphan')).toBe('false');
      expect(await run(['token', 'revoke', '-mode=orphan', parent])).toMatchObject({ code: 0, out: 'Success! Revoked token (if it existed)\n' });
      expect((await as(parent, ['token', 'lookup'])).code).toBe(2);
      const orphaned = await as(child, ['token', 'lookup']);
      expect(orphaned.code).toBe(0);
      expect(cell(orphaned.out, 'orphan')).toBe('true');
      expect((await as(sibling, ['token', 'lookup'])).code).toBe(0);
      // Without -mode, revoking a parent revokes its children too.
      const parent2 = (await run(['token', 'create', '-policy=app', '-policy=issuer', '-field=token'])).out;
      const child2 = (await as(parent2, ['token', 'create', '-policy=app', '-field=token'])).out;
      expect((await run(['token', 'revoke', parent2])).code).toBe(0);
      expect((await as(child2, ['token', 'lookup'])).code).toBe(2);

      const viaRole = (await run(['token', 'create', '-role=ci', '-policy=app', '-field=token'])).out;
      expect((await as(viaRole, ['token', 'lookup'])).code).toBe(0);
      expect(await run(['token', 'revoke', '-mode=path', 'auth/token/create/ci'])).toMatchObject({ code: 0, out: 'Success! Revoked token (if it existed)\n' });
      expect((await as(viaRole, ['token', 'lookup'])).code).toBe(2);

      expect(await run(['token', 'revoke'])).toEqual({ code: 1, out: '', err: 'Not enough arguments (expected 1 or -self, got 0)\n' });
      expect(await run(['token', 'revoke', '-self', '-accessor'])).toEqual({ code: 1, out: '', err: 'Cannot use -self with -accessor!\n' });
      expect(await run(['token', 'revoke', '-mode=tree', 'x'])).toEqual({ code: 1, out: '', err: 'Invalid mode: tree\n' });
      expect(await run(['token', 'revoke', '-accessor', '-mode=orphan', 'x'])).toEqual({ code: 1, out: '', err: 'Cannot use -accessor with -mode=orphan!\n' });
    });

    it('token capabilities: of the local token (capabilities-self) and of a given token', async () => {
      const token = (await run(['token', 'create', '-policy=app', '-field=token'])).out;
      expect(await run(['token', 'capabilities', token, 'secret/data/app/x'])).toEqual({ code: 0, out: 'list, read\n', err: '' });
      expect(await as(token, ['token', 'capabilities', 'secret/data/app/x'])).toEqual({ code: 0, out: 'list, read\n', err: '' });
      expect(JSON.parse((await as(token, ['token', 'capabilities', '-format=json', 'secret/data/app/x'])).out)).toEqual(['list', 'read']);
      expect((await as(token, ['token', 'capabilities', 'secret/data/other'])).out).toBe('deny\n');
      expect((await run(['token', 'capabilities', 'sys/mounts'])).out).toBe('root\n');
      expect(await run(['token', 'capabilities'])).toEqual({ code: 1, out: '', err: 'Not enough arguments (expected 1-2, got 0)\n' });
    });
  });

  describe('lease lookup / renew / revoke of token leases', () => {
    /** Creates a token and finds its lease under sys/leases/lookup/auth/token/create/. */
    const tokenWithLease = async (): Promise<{ token: string; leaseId: string }> => {
      const listLeases = async (): Promise<string[]> => {
        const r = await run(['list', '-format=json', 'sys/leases/lookup/auth/token/create/']);
        return r.code === 0 ? (JSON.parse(r.out) as string[]) : [];
      };
      const before = new Set(await listLeases());
      const token = (await run(['token', 'create', '-policy=app', '-ttl=30m', '-field=token'])).out;
      const added = (await listLeases()).filter((k) => !before.has(k) && !k.endsWith('/'));
      expect(added).toHaveLength(1);
      return { token, leaseId: `auth/token/create/${added[0] as string}` };
    };

    it('lease lookup prints the lease; lease renew refuses token leases as Vault does', async () => {
      const { leaseId } = await tokenWithLease();
      const look = await run(['lease', 'lookup', leaseId]);
      expect(look.code).toBe(0);
      expect(cell(look.out, 'id')).toBe(leaseId);
      expect(cell(look.out, 'renewable')).toBe('true');
      expect(cell(look.out, 'ttl')).toMatch(/^(30m|29m\d+s)$/);
      expect(cell(look.out, 'issue_time')).toMatch(/^\d{4}-\d\d-\d\dT/);
      const json = JSON.parse((await run(['lease', 'lookup', '-format=json', leaseId])).out) as { data: Record<string, unknown> };
      expect(json.data).toMatchObject({ id: leaseId, renewable: true });
      // Vault: token leases are renewed through auth/token/renew, never sys/leases/renew ("tokens cannot be renewed through this endpoint").
      const renew = await run(['lease', 'renew', '-increment=1h', leaseId]);
      expect(renew.code).toBe(2);
      expect(renew.err).toMatch(new RegExp(`^Error renewing ${leaseId}: Error making API request\\.\\n\\nURL: PUT \\S+/v1/sys/leases/renew\\nCode: 400\\.`));
      expect(await run(['lease', 'renew'])).toEqual({ code: 1, out: '', err: 'Missing ID!\n' });
      expect(await run(['lease', 'lookup'])).toEqual({ code: 1, out: '', err: 'Missing ID!\n' });
      const unknown = await run(['lease', 'lookup', 'auth/token/create/nope']);
      expect(unknown.code).toBe(2);
      expect(unknown.err).toMatch(/^error looking up lease id auth\/token\/create\/nope: Error making API request\./);
    });

    it('lease revoke -sync revokes the token; the default queues it; -prefix and -force', async () => {
      const first = await tokenWithLease();
      expect(await run(['lease', 'revoke', '-sync', first.leaseId])).toEqual({ code: 0, out: `Success! Revoked lease: ${first.leaseId}\n`, err: '' });
      expect((await as(first.token, ['token', 'lookup'])).code).toBe(2);
      expect((await run(['lease', 'lookup', first.leaseId])).code).toBe(2);

      const second = await tokenWithLease();
      expect(await run(['lease', 'revoke', second.leaseId])).toEqual({ code: 0, out: 'All revocation operations queued successfully!\n', err: '' });
      let refused = false;
      for (let i = 0; i < 50 && !refused; i++) {
        refused = (await as(second.token, ['token', 'lookup'])).code === 2;
        if (!refused) await new Promise((r) => setTimeout(r, 100));
      }
      expect(refused).toBe(true);

      const third = await tokenWithLease();
      expect(await run(['lease', 'revoke', '-prefix', '-sync', 'auth/token/create/'])).toEqual({ code: 0, out: 'Success! Revoked any leases with prefix: auth/token/create/\n', err: '' });
      expect((await as(third.token, ['token', 'lookup'])).code).toBe(2);

      const fourth = await tokenWithLease();
      const forced = await run(['lease', 'revoke', '-force', '-prefix', 'auth/token/create']);
      expect(forced).toEqual({ code: 0, out: 'Success! Force revoked any leases with prefix: auth/token/create\n', err: 'Warning! Force-removing leases can cause Ward to become out of sync with\nsecret engines!\n' });
      expect((await as(fourth.token, ['token', 'lookup'])).code).toBe(2);
      expect(await run(['lease', 'revoke', '-force', 'x'])).toEqual({ code: 1, out: '', err: 'Specifying -force requires also specifying -prefix\n' });
      expect(await run(['lease', 'revoke'])).toEqual({ code: 1, out: '', err: 'Not enough arguments (expected 1, got 0)\n' });
    });
  });

  describe('unwrap', () => {
    let wrapping = true;
    beforeAll(async () => {
      const probe = await api(srv.addr, 'POST', '/v1/sys/wrapping/unwrap', { token: srv.rootToken, body: {} });
      wrapping = probe.status !== 404 && probe.status !== 405;
    });

    it('unwraps a wrapped response once, by argument or as the local token; -field', async () => {
      expect(wrapping, 'the server answers sys/wrapping/unwrap').toBe(true);
      const wrap = async (...pairs: string[]) => (await run(['write', '-wrap-ttl=5m', '-field=wrapping_token', 'sys/wrapping/wrap', ...pairs])).out;
      const wt = await wrap('user=admin', 'pass=p4ss');
      expect(await run(['unwrap', wt])).toEqual({ code: 0, out: 'Key     Value\n---     -----\npass    p4ss\nuser    admin\n', err: '' });
      const again = await run(['unwrap', wt]);
      expect(again.code).toBe(2);
      expect(again.err).toMatch(new RegExp(`^Error unwrapping: Error making API request\\.\\n\\nURL: PUT ${srv.addr}/v1/sys/wrapping/unwrap\\nCode: 400\\.`));
      expect(again.err).not.toContain(wt);
      expect((await run(['unwrap', '-field=pass', await wrap('pass=p4ss')])).out).toBe('p4ss');
      expect(await as(await wrap('k=v'), ['unwrap'])).toMatchObject({ code: 0, out: 'Key    Value\n---    -----\nk      v\n' });
      expect(JSON.parse((await run(['unwrap', '-format=json', await wrap('k=v')])).out)).toMatchObject({ data: { k: 'v' } });
    });

    it('unwraps a wrapped token; login unwraps a wrapped login, and -token-only prints the wrapping token', async () => {
      expect(wrapping, 'the server answers sys/wrapping/unwrap').toBe(true);
      const wrapped = await run(['token', 'create', '-policy=app', '-wrap-ttl=5m']);
      expect(wrapped.out).toMatch(/^wrapping_token: +hvs\.\S+$/m);
      expect(wrapped.out).toMatch(/^wrapping_token_creation_path: +auth\/token\/create$/m);
      const unwrapped = await run(['unwrap', cell(wrapped.out, 'wrapping_token:') as string]);
      expect(cell(unwrapped.out, 'token_policies')).toBe('["app" "default"]');

      const login = await run(['login', '-wrap-ttl=5m', '-method=userpass', 'username=alice', 'password=s3cret-pw'], undefined, { WARD_TOKEN: undefined });
      expect(login.code).toBe(0);
      expect(cell(login.out, 'token_meta_username')).toBe('alice');
      expect(readFileSync(tokenFile(), 'utf8')).toBe(cell(login.out, 'token'));
      const only = await run(['login', '-wrap-ttl=5m', '-token-only', '-method=userpass', 'username=alice', 'password=s3cret-pw']);
      expect(only.code).toBe(0);
      const unwrappedLogin = await run(['unwrap', '-field=token', only.out]);
      expect(unwrappedLogin.code).toBe(0);
      expect(unwrappedLogin.out).toMatch(/^hvs\./);
    });
  });

  describe('help and command groups', () => {
    it('lists the new groups and prints their help', async () => {
      const top = await run([]);
      expect(top.code).toBe(127);
      expect(top.err).toMatch(/^ {4}unwrap +Unwrap a wrapped secret$/m);
      for (const group of ['auth', 'lease', 'policy', 'token']) expect(top.err).toMatch(new RegExp(`^ {4}${group} +Interact with`, 'm'));
      const token = await run(['token']);
      expect(token.code).toBe(1);
      expect(token.err).toMatch(/^Usage: ward token <subcommand> \[options\] \[args\]/);
      expect(token.err).toMatch(/^ {4}capabilities +Print capabilities of a token on a path$/m);
      expect((await run(['auth', '-h'])).code).toBe(0);
      const help = await run(['token', 'create', '-h']);
      expect(help.code).toBe(0);
      expect(help.err).toContain('  -policy=<string>\n');
    });
  });
});
