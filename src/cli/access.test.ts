import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from './main.js';
import { memoryUi } from './memory-ui.js';

/**
 * The access and lease commands against a stand-in server: what they send (method, path, body, token header) is
 * what Vault's Go client sends, and what they print is what `vault` prints.
 */

interface Seen {
  method: string;
  path: string;
  token: string | undefined;
  wrapTTL: string | undefined;
  body: unknown;
}

const seen: Seen[] = [];
let server: Server;
let addr = '';
let home = '';

function reply(res: ServerResponse, status: number, body?: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(body === undefined ? '' : JSON.stringify(body));
}

const authBlock = (token: string, meta: Record<string, string> | null) => ({
  request_id: 'r',
  lease_id: '',
  renewable: false,
  lease_duration: 0,
  data: null,
  wrap_info: null,
  warnings: null,
  auth: { client_token: token, accessor: 'acc', policies: ['app', 'default'], token_policies: ['app', 'default'], metadata: meta, lease_duration: 1200, renewable: true, entity_id: '', token_type: 'service', orphan: true },
});

function route(req: IncomingMessage, body: unknown, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x');
  const key = `${req.method} ${url.pathname}`;
  switch (key) {
    case 'PUT /v1/auth/userpass/login/alice':
    case 'PUT /v1/auth/people/login/bob':
      return reply(res, 200, authBlock('hvs.user', { username: url.pathname.split('/').pop() as string }));
    case 'PUT /v1/auth/approle/login':
      if (req.headers['x-vault-wrap-ttl']) {
        return reply(res, 200, { request_id: 'r', lease_id: '', renewable: false, lease_duration: 0, data: null, auth: null, warnings: null, wrap_info: { token: 'hvs.wrapping', accessor: 'wacc', ttl: 300, creation_time: '2024-01-02T03:04:05.123456789Z', creation_path: 'auth/approle/login', wrapped_accessor: 'acc' } });
      }
      return reply(res, 200, authBlock('hvs.approle', { role_name: 'web' }));
    case 'PUT /v1/sys/wrapping/unwrap':
      if (req.headers['x-vault-token'] === 'hvs.wrapping') return reply(res, 200, authBlock('hvs.unwrapped', { role_name: 'web' }));
      if (req.headers['x-vault-token'] === 'hvs.empty') return reply(res, 204);
      return reply(res, 200, { request_id: 'r', lease_id: '', renewable: false, lease_duration: 0, data: { keys: ['b', 'a'] }, auth: null, wrap_info: null, warnings: null });
    case 'POST /v1/auth/token/create':
    case 'POST /v1/auth/token/create/ci':
      return reply(res, 200, authBlock('hvs.created', { team: 'ops' }));
    case 'POST /v1/sys/capabilities-self':
      return reply(res, 200, { data: { capabilities: ['update', 'read'] } });
    case 'POST /v1/sys/capabilities':
      return reply(res, 200, { data: { 'secret/x': ['list', 'create'], capabilities: ['list', 'create'] } });
    case 'GET /v1/sys/policies/acl/gone':
      return reply(res, 404, { errors: [] });
    case 'GET /v1/sys/policies/acl/app':
      return reply(res, 200, { data: { name: 'app', policy: 'path "a" {}\n' } });
    case 'PUT /v1/sys/leases/renew':
      return reply(res, 200, { request_id: 'r', lease_id: 'db/creds/x/1', renewable: true, lease_duration: 3600, data: null, warnings: null, auth: null, wrap_info: null });
    default:
      if (req.method === 'GET' && url.pathname === '/v1/auth/token/lookup-self') return reply(res, 200, { data: { id: req.headers['x-vault-token'], policies: ['root'], ttl: 0 } });
      return reply(res, 204);
  }
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'ward-access-test-'));
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      const body = text === '' ? undefined : (JSON.parse(text) as unknown);
      const header = (name: string): string | undefined => {
        const v = req.headers[name];
        return typeof v === 'string' ? v : undefined;
      };
      seen.push({ method: req.method ?? '', path: req.url ?? '', token: header('x-vault-token'), wrapTTL: header('x-vault-wrap-ttl'), body });
      route(req, body, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  addr = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(home, { recursive: true, force: true });
});

beforeEach(() => {
  seen.length = 0;
});

const run = async (args: string[], opts: { stdin?: string; env?: Record<string, string>; tty?: boolean; hidden?: string } = {}) => {
  const ui = memoryUi({
    env: { WARD_ADDR: addr, WARD_TOKEN: 'tok', HOME: home, ...opts.env },
    ...(opts.stdin !== undefined ? { stdin: opts.stdin } : {}),
    ...(opts.tty !== undefined ? { tty: opts.tty } : {}),
    ...(opts.hidden !== undefined ? { hidden: opts.hidden } : {}),
  });
  const code = await main(args, ui);
  return { code, out: ui.stdout(), err: ui.stderr() };
};

describe('ward login -method=userpass|approle', () => {
  it('userpass prompts for the password, never sends the local token, and prints Vault\'s table', async () => {
    const r = await run(['login', '-method=userpass', 'username=alice'], { tty: true, hidden: 'pw', env: { WARD_TOKEN: '' } });
    expect(r.code).toBe(0);
    expect(r.err).toBe('Password (will be hidden): \n');
    expect(seen).toEqual([{ method: 'PUT', path: '/v1/auth/userpass/login/alice', token: undefined, wrapTTL: undefined, body: { password: 'pw' } }]);
    expect(r.out).toBe(`Success! You are now authenticated. The token information displayed below is
already stored in the token helper. You do NOT need to run "ward login" again.
Future Ward requests will automatically use this token.

Key                    Value
---                    -----
token                  hvs.user
token_accessor         acc
token_duration         20m
token_renewable        true
token_policies         ["app" "default"]
identity_policies      []
policies               ["app" "default"]
token_meta_username    alice
`);
    expect(readFileSync(join(home, '.ward-token'), 'utf8')).toBe('hvs.user');
    expect(statSync(join(home, '.ward-token')).mode & 0o777).toBe(0o600);
  });

  it('userpass -path selects the mount; a `mount=` pair does too; WARD_TOKEN set → warning', async () => {
    const r = await run(['login', '-method=userpass', '-path=people', 'username=bob', 'password=pw']);
    expect(r.code).toBe(0);
    expect(seen[0]).toMatchObject({ path: '/v1/auth/people/login/bob', token: undefined });
    expect(r.err).toContain('WARNING! The WARD_TOKEN environment variable is set!');
    await run(['login', '-method=userpass', '-no-store', 'mount=people', 'username=bob', 'password=pw']);
    expect(seen[1]?.path).toBe('/v1/auth/people/login/bob');
  });

  it('userpass without a password and without a terminal explains how to pass one', async () => {
    const r = await run(['login', '-method=userpass', 'username=alice']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^Password \(will be hidden\): Error authenticating: An error occurred attempting to ask for a password\./);
    expect(r.err).toContain('pass "password=-" to read it from stdin');
    expect(seen).toEqual([]);
  });

  it('approle sends role_id and secret_id (secret_id only when given)', async () => {
    const r = await run(['login', '-method=approle', '-token-only', 'role_id=rid', 'secret_id=sid']);
    expect(r).toEqual({ code: 0, out: 'hvs.approle', err: '' });
    expect(seen[0]).toMatchObject({ method: 'PUT', path: '/v1/auth/approle/login', token: undefined, body: { role_id: 'rid', secret_id: 'sid' } });
    await run(['login', '-method=approle', '-no-store', 'role_id=rid']);
    expect(seen[1]?.body).toEqual({ role_id: 'rid' });
    expect(await run(['login', '-method=approle', '-no-store'])).toMatchObject({ code: 2, err: "Error authenticating: 'role_id' must be specified\n" });
  });

  it('a wrapped login is unwrapped with the wrapping token (not rewrapped); -token-only prints the wrapping token', async () => {
    const r = await run(['login', '-wrap-ttl=5m', '-method=approle', '-field=token', 'role_id=rid', 'secret_id=sid']);
    expect(r).toMatchObject({ code: 0, out: 'hvs.unwrapped' });
    expect(seen.map((s) => [s.path, s.token, s.wrapTTL])).toEqual([
      ['/v1/auth/approle/login', undefined, '5m0s'],
      ['/v1/sys/wrapping/unwrap', 'hvs.wrapping', undefined],
    ]);
    expect(await run(['login', '-wrap-ttl=5m', '-method=approle', '-token-only', 'role_id=rid', 'secret_id=sid'])).toEqual({ code: 0, out: 'hvs.wrapping', err: '' });
    const noStore = await run(['login', '-wrap-ttl=5m', '-method=approle', '-no-store', 'role_id=rid', 'secret_id=sid']);
    expect(noStore.out).toMatch(/^wrapping_token: +hvs\.wrapping$/m);
    expect(noStore.out).toMatch(/^wrapped_accessor: +acc$/m);
  });

  it('unknown methods exit 1 with Vault\'s explanation', async () => {
    const r = await run(['login', '-method=github']);
    expect(r.code).toBe(1);
    expect(r.err).toBe('Unknown auth method: github. Use "ward auth list" to see the complete list of\nauth methods. Additionally, some auth methods are only available via the HTTP\nAPI.\n');
  });
});

describe('ward token ...', () => {
  it('token create sends Vault\'s TokenCreateRequest JSON', async () => {
    await run(['token', 'create']);
    expect(seen[0]).toMatchObject({ method: 'POST', path: '/v1/auth/token/create', token: 'tok' });
    expect(JSON.stringify(seen[0]?.body)).toBe('{"ttl":"0s","explicit_max_ttl":"0s","period":"0s","display_name":"","num_uses":0,"renewable":true,"type":"service","entity_alias":""}');
    const r = await run(['token', 'create', '-role=ci', '-policy=a', '-policy', 'b', '-metadata=team=ops', '-ttl=90m', '-explicit-max-ttl=2h', '-period=3600', '-orphan', '-no-default-policy', '-use-limit=3', '-display-name=ci', '-renewable=false', '-id=custom']);
    expect(r.code).toBe(0);
    expect(seen[1]?.path).toBe('/v1/auth/token/create/ci');
    expect(seen[1]?.body).toEqual({ id: 'custom', policies: ['a', 'b'], meta: { team: 'ops' }, ttl: '1h30m0s', explicit_max_ttl: '2h0m0s', period: '1h0m0s', no_parent: true, no_default_policy: true, display_name: 'ci', num_uses: 3, renewable: false, type: 'service', entity_alias: '' });
    await run(['token', 'create', '-type=batch']);
    expect(seen[2]?.body).toMatchObject({ type: 'batch', renewable: false });
    expect((await run(['token', 'create', '-field=token_meta_team'])).code).toBe(1);
    expect(await run(['token', 'create', '-field=token_policies', '-format=json'])).toMatchObject({ code: 0, out: '[\n  "app",\n  "default"\n]' });
  });

  it('token lookup / renew / revoke use the endpoints Vault\'s client uses', async () => {
    await run(['token', 'lookup']);
    await run(['token', 'lookup', 'hvs.other']);
    await run(['token', 'lookup', '-accessor', 'acc1']);
    await run(['token', 'renew']);
    await run(['token', 'renew', '-increment=1h', 'hvs.other']);
    await run(['token', 'renew', '-accessor', '-i=90s', 'acc1']);
    await run(['token', 'revoke', 'hvs.other']);
    await run(['token', 'revoke', '-self']);
    await run(['token', 'revoke', '-accessor', 'acc1']);
    await run(['token', 'revoke', '-mode=orphan', 'hvs.other']);
    await run(['token', 'revoke', '-mode=path', 'auth/userpass/']);
    expect(seen.map((s) => [s.method, s.path, s.body])).toEqual([
      ['GET', '/v1/auth/token/lookup-self', undefined],
      ['POST', '/v1/auth/token/lookup', { token: 'hvs.other' }],
      ['POST', '/v1/auth/token/lookup-accessor', { accessor: 'acc1' }],
      ['PUT', '/v1/auth/token/renew-self', { increment: 0 }],
      ['PUT', '/v1/auth/token/renew', { token: 'hvs.other', increment: 3600 }],
      ['POST', '/v1/auth/token/renew-accessor', { accessor: 'acc1', increment: 90 }],
      ['PUT', '/v1/auth/token/revoke', { token: 'hvs.other' }],
      ['PUT', '/v1/auth/token/revoke-self', undefined],
      ['POST', '/v1/auth/token/revoke-accessor', { accessor: 'acc1' }],
      ['PUT', '/v1/auth/token/revoke-orphan', { token: 'hvs.other' }],
      ['PUT', '/v1/sys/leases/revoke-prefix/auth/userpass', undefined],
    ]);
  });

  it('token lookup prints the data table with durations, and usage errors match Vault', async () => {
    const r = await run(['token', 'lookup']);
    expect(r.out).toBe('Key         Value\n---         -----\nid          tok\npolicies    [root]\nttl         0s\n');
    expect(await run(['token', 'lookup', 'a', 'b'])).toEqual({ code: 1, out: '', err: 'Too many arguments (expected 0-1, got 2)\n' });
    expect(await run(['token', 'lookup', '-accessor'])).toEqual({ code: 1, out: '', err: 'Not enough arguments with -accessor (expected 1, got 0)\n' });
    expect(await run(['token', 'renew', 'a', 'b'])).toEqual({ code: 1, out: '', err: 'Too many arguments (expected 1, got 2)\n' });
    expect(await run(['token', 'revoke', '-self', 'x'])).toEqual({ code: 1, out: '', err: 'Too many arguments with -self (expected 0, got 1)\n' });
    expect(await run(['token', 'revoke', '-self', '-mode=orphan'])).toEqual({ code: 1, out: '', err: 'Cannot use -self with -mode!\n' });
    expect(await run(['token', 'revoke', '-accessor', '-mode=path', 'x'])).toEqual({ code: 1, out: '', err: 'Cannot use -accessor with -mode=path!\n' });
    expect(await run(['token', 'revoke', 'a', 'b'])).toEqual({ code: 1, out: '', err: 'Too many arguments (expected 1 or -self, got 2)\n' });
    expect(seen.map((s) => s.path)).toEqual(['/v1/auth/token/lookup-self']);
  });

  it('token capabilities: -self for the local token, sys/capabilities for another; sorted and joined', async () => {
    expect(await run(['token', 'capabilities', 'secret/x'])).toEqual({ code: 0, out: 'read, update\n', err: '' });
    expect(seen[0]).toMatchObject({ method: 'POST', path: '/v1/sys/capabilities-self', body: { path: 'secret/x' } });
    expect(await run(['token', 'capabilities', 'hvs.other', 'secret/x'])).toEqual({ code: 0, out: 'create, list\n', err: '' });
    expect(seen[1]).toMatchObject({ method: 'POST', path: '/v1/sys/capabilities', body: { token: 'hvs.other', path: 'secret/x' } });
    expect((await run(['token', 'capabilities', 'tok', 'secret/x'])).out).toBe('read, update\n');
    expect(seen[2]?.path).toBe('/v1/sys/capabilities-self');
    expect(JSON.parse((await run(['token', 'capabilities', '-format=json', 'hvs.other', 'secret/x'])).out)).toEqual(['list', 'create']);
    expect((await run(['token', 'capabilities', '-format=yaml', 'secret/x'])).out).toBe('- update\n- read\n');
    expect(await run(['token', 'capabilities', 'a', 'b', 'c'])).toEqual({ code: 1, out: '', err: 'Too many arguments (expected 1-2, got 3)\n' });
  });
});

describe('ward policy / auth / lease / unwrap requests', () => {
  it('policy read: 404 is "No policy named"; json prints {"policy": ...}', async () => {
    expect(await run(['policy', 'read', 'gone'])).toEqual({ code: 2, out: '', err: 'No policy named: gone\n' });
    expect(await run(['policy', 'read', 'App'])).toEqual({ code: 0, out: 'path "a" {}\n', err: '' });
    expect(await run(['policy', 'read', '-format=json', 'app'])).toEqual({ code: 0, out: '{\n  "policy": "path \\"a\\" {}\\n"\n}\n', err: '' });
  });

  it('policy write sends the text as `policy`; list reads sys/policies/acl?list=true', async () => {
    await run(['policy', 'write', 'p', '-'], { stdin: 'path "x" {}\n' });
    await run(['policy', 'list']);
    await run(['policy', 'delete', 'P']);
    expect(seen.map((s) => [s.method, s.path, s.body])).toEqual([
      ['PUT', '/v1/sys/policies/acl/p', { policy: 'path "x" {}\n' }],
      ['GET', '/v1/sys/policies/acl?list=true', undefined],
      ['DELETE', '/v1/sys/policies/acl/p', undefined],
    ]);
  });

  it('auth enable / tune / disable send the mount input to sys/auth and sys/mounts/auth/<path>/tune', async () => {
    expect((await run(['auth', 'enable', '-path=people', '-description=humans', '-default-lease-ttl=1h', '-token-type=batch', '-listing-visibility=unauth', 'userpass'])).out).toBe('Success! Enabled userpass auth method at: people/\n');
    expect(seen[0]).toMatchObject({ method: 'POST', path: '/v1/sys/auth/people' });
    expect(seen[0]?.body).toEqual({
      type: 'userpass',
      description: 'humans',
      config: { default_lease_ttl: '1h0m0s', max_lease_ttl: '0s', force_no_cache: false, listing_visibility: 'unauth', token_type: 'batch' },
      local: false,
      seal_wrap: false,
      external_entropy_access: false,
      options: null,
    });
    expect((await run(['auth', 'tune', '-max-lease-ttl=2h', '-description=', '/people/'])).out).toBe('Success! Tuned the auth method at: people/\n');
    expect(seen[1]).toMatchObject({ method: 'POST', path: '/v1/sys/mounts/auth/people/tune', body: { max_lease_ttl: '2h0m0s', description: '' } });
    expect((await run(['auth', 'disable', 'people'])).out).toBe('Success! Disabled the auth method (if it existed) at: people/\n');
    expect(seen[2]).toMatchObject({ method: 'DELETE', path: '/v1/sys/auth/people' });
  });

  it('lease renew / lookup / revoke send what Vault\'s client sends', async () => {
    const renew = await run(['lease', 'renew', '-increment=1h', 'db/creds/x/1']);
    expect(renew.out).toBe('Key                Value\n---                -----\nlease_id           db/creds/x/1\nlease_duration     1h\nlease_renewable    true\n');
    await run(['lease', 'lookup', 'db/creds/x/1']);
    await run(['lease', 'revoke', 'db/creds/x/1']);
    await run(['lease', 'revoke', '-sync', '-prefix', 'db/creds']);
    await run(['lease', 'revoke', '-f', '-prefix', 'db/creds']);
    expect(seen.map((s) => [s.method, s.path, s.body])).toEqual([
      ['PUT', '/v1/sys/leases/renew', { increment: 3600, lease_id: 'db/creds/x/1' }],
      ['PUT', '/v1/sys/leases/lookup', { lease_id: 'db/creds/x/1' }],
      ['PUT', '/v1/sys/leases/revoke/db/creds/x/1', { sync: false }],
      ['PUT', '/v1/sys/leases/revoke-prefix/db/creds', { sync: true }],
      ['PUT', '/v1/sys/leases/revoke-force/db/creds', undefined],
    ]);
    expect(await run(['lease', 'renew', 'a', 'b'])).toEqual({ code: 1, out: '', err: 'Too many arguments (expected 1-2, got 2)\n' });
  });

  it('unwrap: a given token goes in the body; with no local token it is the request token; lists print as lists', async () => {
    const list = await run(['unwrap', 'hvs.wrapped']);
    expect(seen[0]).toMatchObject({ method: 'PUT', path: '/v1/sys/wrapping/unwrap', token: 'tok', body: { token: 'hvs.wrapped' } });
    expect(list.out).toBe('Keys\n----\na\nb\n');
    const noLocal = await run(['unwrap', '-field=token', 'hvs.wrapping'], { env: { WARD_TOKEN: '', HOME: '/nonexistent' } });
    expect(seen[1]).toMatchObject({ token: 'hvs.wrapping', body: undefined });
    expect(noLocal.out).toBe('hvs.unwrapped');
    expect(await run(['unwrap'], { env: { WARD_TOKEN: 'hvs.empty' } })).toEqual({ code: 0, out: 'Successfully unwrapped. There was no data in the wrapped secret.\n', err: '' });
    expect(seen[2]).toMatchObject({ token: 'hvs.empty', body: undefined });
    expect(await run(['unwrap', '-format=json'], { env: { WARD_TOKEN: 'hvs.empty' } })).toEqual({ code: 0, out: '', err: '' });
  });
});
