import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startConfiguredServer, startTestServer, type TestServer } from '../helpers/server.js';

/**
 * The real `ward` binary (bin/ward.js over dist/, so `npm run build` first) against a real Ward server. Each run
 * gets its own HOME so the token helper file never touches the developer's.
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
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
    child.stdin.end(stdin ?? '');
  });
}

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) throw new Error('dist/cli/main.js is missing: run `npm run build` before the CLI e2e tests');
});

describe('ward CLI against a dev server', () => {
  let srv: TestServer;
  let home: string;
  let env: Record<string, string>;
  const run = (args: string[], stdin?: string, extra: Record<string, string | undefined> = {}) => ward(args, { ...env, ...extra }, stdin);

  beforeAll(async () => {
    srv = await startTestServer();
    home = mkdtempSync(join(tmpdir(), 'ward-cli-home-'));
    env = { WARD_ADDR: srv.addr, WARD_TOKEN: srv.rootToken, HOME: home };
  });
  afterAll(async () => {
    await srv.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('status: Vault\'s table, exit 0 while unsealed', async () => {
    const r = await run(['status']);
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines.slice(0, 6)).toEqual(['Key             Value', '---             -----', 'Seal Type       shamir', 'Initialized     true', 'Sealed          false', 'Total Shares    1']);
    expect(lines).toContain('HA Enabled      false');
    const json = JSON.parse((await run(['status', '-format=json'])).out) as Record<string, unknown>;
    expect(Object.keys(json).slice(0, 6)).toEqual(['type', 'initialized', 'sealed', 't', 'n', 'progress']);
    expect(json).toMatchObject({ type: 'shamir', initialized: true, sealed: false, t: 1, n: 1 });
  });

  it('kv put / get on the dev kv v2 mount prints the Secret Path, Metadata and Data sections', async () => {
    const put = await run(['kv', 'put', 'secret/app', 'user=admin', 'pass=s3cr3t']);
    expect(put.code).toBe(0);
    expect(put.out.split('\n').slice(0, 3)).toEqual(['= Secret Path =', 'secret/data/app', '']);
    expect(put.out).toMatch(/^version\s{12}1$/m);
    const get = await run(['kv', 'get', '-mount=secret', 'app']);
    expect(get.code).toBe(0);
    expect(get.out).toContain('\n==== Data ====\nKey     Value\n---     -----\npass    s3cr3t\nuser    admin\n');
    expect(get.out).toContain('======= Metadata =======\nKey                Value\n---                -----\ncreated_time       ');
    expect(get.out).toMatch(/^deletion_time {6}n\/a$/m);
  });

  it('-field prints the bare value with no newline when piped; -format=json and yaml print the envelope', async () => {
    expect(await run(['kv', 'get', '-field=pass', 'secret/app'])).toEqual({ code: 0, out: 's3cr3t', err: '' });
    const json = JSON.parse((await run(['kv', 'get', '-format=json', 'secret/app'])).out) as Record<string, unknown>;
    expect(Object.keys(json).slice(0, 6)).toEqual(['request_id', 'lease_id', 'lease_duration', 'renewable', 'data', 'warnings']);
    expect(json.data).toMatchObject({ data: { pass: 's3cr3t', user: 'admin' }, metadata: { version: 1, destroyed: false } });
    const yaml = (await run(['read', '-format=yaml', 'secret/data/app'])).out;
    expect(yaml).toMatch(/^data:\n {2}data:\n {4}pass: s3cr3t\n {4}user: admin\n {2}metadata:\n/);
    expect(yaml).toContain('\nlease_id: ""\n');
  });

  it('kv patch, versions, delete / undelete / destroy and metadata', async () => {
    expect((await run(['kv', 'patch', 'secret/app', 'pass=n3w'])).code).toBe(0);
    expect((await run(['kv', 'get', '-field=pass', '-version=1', 'secret/app'])).out).toBe('s3cr3t');
    expect((await run(['kv', 'get', '-field=user', 'secret/app'])).out).toBe('admin');
    expect(await run(['kv', 'delete', 'secret/app'])).toMatchObject({ code: 0, out: 'Success! Data deleted (if it existed) at: secret/data/app\n' });
    const deleted = await run(['kv', 'get', 'secret/app']);
    expect(deleted.code).toBe(0);
    expect(deleted.out).not.toContain('=== Data ===');
    expect(deleted.out).toMatch(/^deletion_time {6}\d{4}-/m);
    expect((await run(['kv', 'undelete', '-versions=2', 'secret/app'])).out).toBe('Success! Data written to: secret/undelete/app\n');
    expect((await run(['kv', 'get', '-field=pass', 'secret/app'])).out).toBe('n3w');
    expect((await run(['kv', 'destroy', '-versions=1', 'secret/app'])).out).toBe('Success! Data written to: secret/destroy/app\n');
    const meta = await run(['kv', 'metadata', 'get', 'secret/app']);
    expect(meta.out.split('\n').slice(0, 2)).toEqual(['== Metadata Path ==', 'secret/metadata/app']);
    expect(meta.out).toContain('\n====== Version 1 ======\nKey              Value\n---              -----\ncreated_time     ');
    expect(meta.out).toMatch(/Version 1 =+\n(?:.*\n){3}deletion_time +n\/a\ndestroyed +true/);
    expect((await run(['kv', 'metadata', 'put', '-max-versions=3', '-custom-metadata=owner=ops', 'secret/app'])).code).toBe(0);
    const metaJson = JSON.parse((await run(['kv', 'metadata', 'get', '-format=json', 'secret/app'])).out) as { data: Record<string, unknown> };
    expect(metaJson.data).toMatchObject({ max_versions: 3, custom_metadata: { owner: 'ops' }, current_version: 2 });
    expect((await run(['kv', 'list', 'secret/'])).out).toBe('Keys\n----\napp\n');
    expect(JSON.parse((await run(['kv', 'list', '-format=json', 'secret'])).out)).toEqual(['app']);
    expect((await run(['kv', 'metadata', 'delete', 'secret/app'])).code).toBe(0);
    expect(await run(['kv', 'get', 'secret/app'])).toEqual({ code: 2, out: '', err: 'No value found at secret/data/app\n' });
    expect(await run(['kv', 'list', 'secret/'])).toEqual({ code: 2, out: '', err: 'No value found at secret/metadata\n' });
  });

  it('kv put -cas enforces check-and-set and shows the API error', async () => {
    expect((await run(['kv', 'put', '-cas=0', 'secret/cas', 'a=1'])).code).toBe(0);
    const again = await run(['kv', 'put', '-cas=0', 'secret/cas', 'a=2']);
    expect(again.code).toBe(2);
    expect(again.err).toBe(`Error writing data to secret/data/cas: Error making API request.\n\nURL: PUT ${srv.addr}/v1/secret/data/cas\nCode: 400. Errors:\n\n* check-and-set parameter did not match the current version\n`);
  });

  it('secrets enable / list / tune / move / disable and the kv v1 flow', async () => {
    expect(await run(['secrets', 'enable', '-path=kv1', '-description=first store', 'kv'])).toMatchObject({ code: 0, out: 'Success! Enabled the kv secrets engine at: kv1/\n' });
    expect((await run(['secrets', 'enable', '-path=kv2', '-version=2', 'kv'])).code).toBe(0);
    const list = await run(['secrets', 'list']);
    expect(list.out).toMatch(/^Path +Type +Accessor +Description\n-{4} +-{4} +-{8} +-{11}\n/);
    expect(list.out).toMatch(/^kv1\/ +kv +kv_[0-9a-f]+ +first store$/m);
    const detailed = await run(['secrets', 'list', '-detailed']);
    expect(detailed.out).toMatch(/^kv2\/ +kv +kv_[0-9a-f]+ +system +system +false +replicated +false +false +map\[version:2\] +n\/a +[0-9a-f-]{36}$/m);
    const mounts = JSON.parse((await run(['secrets', 'list', '-format=json'])).out) as Record<string, Record<string, unknown>>;
    expect(mounts['kv1/']).toMatchObject({ type: 'kv', description: 'first store' });
    expect(Object.keys(mounts['kv1/'] ?? {}).slice(0, 5)).toEqual(['uuid', 'type', 'description', 'accessor', 'config']);

    expect((await run(['write', 'kv1/cfg', 'a=1', 'b=two'])).out).toBe('Success! Data written to: kv1/cfg\n');
    expect((await run(['read', 'kv1/cfg'])).out).toBe('Key                 Value\n---                 -----\nrefresh_interval    768h\na                   1\nb                   two\n');
    expect((await run(['kv', 'get', 'kv1/cfg'])).out).toBe('== Data ==\nKey    Value\n---    -----\na      1\nb      two\n');
    expect((await run(['kv', 'put', '-mount=kv1', 'other', 'x=y'])).out).toBe('Success! Data written to: kv1/other\n');
    expect((await run(['list', 'kv1'])).out).toBe('Keys\n----\ncfg\nother\n');
    expect((await run(['delete', 'kv1/other'])).out).toBe('Success! Data deleted (if it existed) at: kv1/other\n');
    expect((await run(['kv', 'patch', 'kv1/cfg', 'a=2'])).err).toBe('KV engine mount must be version 2 for patch support\n');

    expect((await run(['secrets', 'tune', '-default-lease-ttl=1h', '-description=tuned', 'kv1'])).out).toBe('Success! Tuned the secrets engine at: kv1/\n');
    const tune = await api(srv.addr, 'GET', '/v1/sys/mounts/kv1/tune', { token: srv.rootToken });
    expect(tune.body?.data).toMatchObject({ default_lease_ttl: 3600, description: 'tuned' });
    expect((await run(['read', 'kv1/cfg'])).out).toContain('refresh_interval    1h\n');

    const move = await run(['secrets', 'move', 'kv1', 'kv1-moved']);
    expect(move.code).toBe(0);
    expect(move.out).toMatch(/^Success! Finished moving secrets engine kv1\/ to kv1-moved\/, with migration ID \S+$/m);
    expect((await run(['read', '-field=b', 'kv1-moved/cfg'])).out).toBe('two');
    expect((await run(['secrets', 'disable', 'kv1-moved'])).out).toBe('Success! Disabled the secrets engine (if it existed) at: kv1-moved/\n');
    expect((await run(['read', 'kv1-moved/cfg'])).code).toBe(2);
  });

  it('write takes @file, key=- and - (JSON) from stdin, and -force with no data', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ward-cli-data-'));
    try {
      const file = join(dir, 'v.txt');
      await import('node:fs').then((fs) => fs.writeFileSync(file, 'from-file'));
      expect((await run(['write', 'kv2/data/f', `-`], '{"data":{"k":"json"}}')).code).toBe(0);
      expect((await run(['kv', 'get', '-field=k', 'kv2/f'])).out).toBe('json');
      expect((await run(['kv', 'put', 'kv2/f', `k=@${file}`, 'p=-'], 'piped'))).toMatchObject({ code: 0 });
      expect((await run(['kv', 'get', '-field=k', 'kv2/f'])).out).toBe('from-file');
      expect((await run(['kv', 'get', '-field=p', 'kv2/f'])).out).toBe('piped');
      expect(await run(['write', 'kv2/data/f'])).toEqual({ code: 1, out: '', err: 'Must supply data or use -force\n' });
      expect(await run(['write', '-f', 'sys/rotate'])).toMatchObject({ code: 0, out: 'Success! Data written to: sys/rotate\n' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('operator rotate and key-status', async () => {
    const before = await run(['operator', 'key-status', '-format=json']);
    const term = (JSON.parse(before.out) as { term: number }).term;
    const rot = await run(['operator', 'rotate']);
    expect(rot.code).toBe(0);
    expect(rot.out).toMatch(new RegExp(`^Success! Rotated key\\n\\nKey Term            ${term + 1}\\nInstall Time        \\d\\d [A-Z][a-z]{2} \\d\\d \\d\\d:\\d\\d UTC\\nEncryption Count    \\d+\\n$`));
  });

  it('path-help prints the help text', async () => {
    const r = await run(['path-help', 'secret/data/x']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('data');
    expect(r.out.length).toBeGreaterThan(20);
  });

  it('API errors are Vault\'s "Error making API request" block, exit 2, and never show the token', async () => {
    const r = await run(['read', 'secret/data/anything'], undefined, { WARD_TOKEN: 'hvs.not-a-real-token-0123456789' });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`^Error reading secret/data/anything: Error making API request\\.\\n\\nURL: GET ${srv.addr.replace(/\./g, '\\.')}/v1/secret/data/anything\\nCode: 403\\. Errors:\\n\\n\\* 2 errors occurred:\\n\\t\\* permission denied\\n\\t\\* invalid token`));
    expect(r.err).not.toContain('not-a-real-token');
    expect(r.out).toBe('');
  });

  it('usage errors exit 1 with Vault\'s messages', async () => {
    expect(await run(['kv', 'get'])).toEqual({ code: 1, out: '', err: 'Not enough arguments (expected 1, got 0)\n' });
    expect(await run(['kv', 'get', '-bogus', 'secret/x'])).toEqual({ code: 1, out: '', err: 'flag provided but not defined: -bogus\n' });
    expect(await run(['write', 'secret/data/x', 'novalue'])).toEqual({ code: 1, out: '', err: 'Failed to parse K=V data: invalid key/value pair "novalue": format must be key=value\n' });
    expect((await run(['nope'])).code).toBe(127);
  });

  it('login stores the token in ~/.ward-token (0600) and later commands use it', async () => {
    const lookup = await api(srv.addr, 'GET', '/v1/auth/token/lookup-self', { token: srv.rootToken });
    const r = await run(lookup.status === 200 ? ['login', srv.rootToken] : ['login', `token=${srv.rootToken}`, 'lookup=false'], undefined, { WARD_TOKEN: undefined });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Success! You are now authenticated\./);
    expect(r.out).toMatch(/^token_policies +\[.*\]$/m);
    const file = join(home, '.ward-token');
    expect(readFileSync(file, 'utf8')).toBe(srv.rootToken);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect((await run(['kv', 'put', 'secret/via-helper', 'a=1'], undefined, { WARD_TOKEN: undefined })).code).toBe(0);
    const noStore = await run(['login', '-no-store', `token=${srv.rootToken}`, 'lookup=false'], undefined, { WARD_TOKEN: undefined });
    expect(noStore.err).toContain('The token was not stored in token helper.');
  });

  it('login -token-only with lookup prints only the token (needs auth/token/lookup-self)', async () => {
    const lookup = await api(srv.addr, 'GET', '/v1/auth/token/lookup-self', { token: srv.rootToken });
    expect(lookup.status).toBe(200);
    expect(await run(['login', '-token-only', srv.rootToken])).toEqual({ code: 0, out: srv.rootToken, err: '' });
    const bad = await run(['login', '-no-store', 'hvs.bogus-token-value']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^Error authenticating: error looking up token: Error making API request\./);
    expect(bad.err).not.toContain('bogus-token-value');
  });

  it('operator seal, then status exits 2, then operator unseal with the dev key', async () => {
    const unsealKey = srv.server.unsealKey as string;
    expect(await run(['operator', 'seal'])).toMatchObject({ code: 0, out: 'Success! Ward is sealed.\n' });
    const sealed = await run(['status']);
    expect(sealed.code).toBe(2);
    expect(sealed.out).toMatch(/^Sealed {13}true$/m);
    expect(sealed.out).toMatch(/^Unseal Progress {4}0\/1$/m);
    const unseal = await run(['operator', 'unseal', unsealKey]);
    expect(unseal.code).toBe(0);
    expect(unseal.out).toMatch(/^Sealed {10}false$/m);
    expect((await run(['status'])).code).toBe(0);
  });
});

describe('ward operator init / unseal against a fresh server', () => {
  it('initialises with `-key-shares=5 -key-threshold=3` exactly as written and unseals with three keys', async () => {
    const srv = await startConfiguredServer();
    const env = { WARD_ADDR: srv.addr, HOME: srv.dir };
    try {
      expect((await ward(['operator', 'init', '-status'], env)).code).toBe(2);
      const init = await ward(['operator', 'init', '-key-shares=5', '-key-threshold=3'], env);
      expect(init.code).toBe(0);
      const keys = [...init.out.matchAll(/^Unseal Key (\d): (\S+)$/gm)].map((m) => m[2] as string);
      expect(keys).toHaveLength(5);
      expect(init.out).toMatch(/^Initial Root Token: hvs\.\S+$/m);
      expect(init.out).toContain(
        '\nWard initialized with 5 key shares and a key threshold of 3. Please securely\ndistribute the key shares printed above. When the Ward is re-sealed,\nrestarted, or stopped, you must supply at least 3 of these keys to unseal it\nbefore it can start servicing requests.\n',
      );
      expect((await ward(['operator', 'init', '-status'], env)).out).toBe('Ward is initialized\n');
      expect((await ward(['status'], env)).code).toBe(2);
      const first = await ward(['operator', 'unseal', keys[0] as string], env);
      expect(first.out).toMatch(/^Unseal Progress {4}1\/3$/m);
      expect((await ward(['operator', 'unseal', '-reset'], env)).out).toMatch(/^Unseal Progress {4}0\/3$/m);
      for (const k of keys.slice(1, 4)) expect((await ward(['operator', 'unseal', k], env)).code).toBe(0);
      expect((await ward(['status'], env)).code).toBe(0);
      const again = await ward(['operator', 'init'], env);
      expect(again.code).toBe(2);
      expect(again.err).toContain('* Vault is already initialized');
    } finally {
      await srv.stop();
      srv.cleanup();
    }
  });

  it('operator unseal without a key and without a terminal explains how to pass one', async () => {
    const r = await ward(['operator', 'unseal'], { WARD_ADDR: 'http://127.0.0.1:1', HOME: tmpdir() });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^An error occurred attempting to ask for an unseal key\./);
  });
});

describe('ward server', () => {
  it('starts a dev server, prints the banner, stores the root token, and exits 0 on SIGTERM', async () => {
    const home = mkdtempSync(join(tmpdir(), 'ward-cli-server-'));
    try {
      const child = spawn(process.execPath, [BIN, 'server', '-dev', '-dev-root-token-id=devroot', '-dev-listen-address=127.0.0.1:0', '-log-level=error'], {
        cwd: ROOT,
        env: { PATH: process.env.PATH, HOME: home },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let err = '';
      const started = new Promise<string>((resolve, reject) => {
        child.stderr.on('data', (c: Buffer) => {
          err += c.toString();
          const m = /Api Address: (http:\/\/\S+)/.exec(err);
          if (m && err.includes('==> Ward server started! Log data will stream in below:')) resolve(m[1] as string);
        });
        child.on('exit', (code) => reject(new Error(`server exited early (${code}): ${err}`)));
      });
      const addr = await started;
      expect(err).toContain('Root Token: devroot');
      expect(readFileSync(join(home, '.ward-token'), 'utf8')).toBe('devroot');
      const st = await ward(['status'], { WARD_ADDR: addr, HOME: home });
      expect(st.code).toBe(0);
      expect((await ward(['kv', 'put', 'secret/x', 'a=b'], { WARD_ADDR: addr, HOME: home })).code).toBe(0);
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('refuses to start without -config or -dev', async () => {
    expect(await ward(['server'], { HOME: tmpdir() })).toEqual({ code: 1, out: '', err: 'Must specify at least one config path using -config\n' });
  });
});

const hasOpenssl = ((): boolean => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!hasOpenssl)('ward over TLS (needs the openssl binary to make a certificate)', () => {
  it('refuses an unknown CA like Go, and trusts -ca-cert, WARD_CACERT or -tls-skip-verify', async () => {
    let tlsDir = '';
    const srv = await startConfiguredServer((dir) => {
      tlsDir = dir;
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
      return `storage "sqlite" { path = "${join(dir, 'ward.db')}" }\nlistener "tcp" {\n  address = "127.0.0.1:0"\n  tls_cert_file = "${join(dir, 'cert.pem')}"\n  tls_key_file = "${join(dir, 'key.pem')}"\n}\n`;
    });
    try {
      expect(srv.addr).toMatch(/^https:\/\//);
      const env = { WARD_ADDR: srv.addr, HOME: tlsDir };
      const untrusted = await ward(['status'], env);
      expect(untrusted.code).toBe(1);
      expect(untrusted.err).toBe(`Error checking seal status: Get "${srv.addr}/v1/sys/seal-status": tls: failed to verify certificate: x509: certificate signed by unknown authority\n`);
      const ca = join(tlsDir, 'cert.pem');
      expect((await ward(['status', `-ca-cert=${ca}`], env)).code).toBe(2);
      expect((await ward(['status'], { ...env, WARD_CACERT: ca })).code).toBe(2);
      expect((await ward(['status', '-tls-skip-verify'], env)).code).toBe(2);
      expect((await ward(['status'], { ...env, VAULT_SKIP_VERIFY: 'true' })).code).toBe(2);
      const missing = await ward(['status', '-ca-cert=/nonexistent/ca.pem'], env);
      expect(missing.err).toBe('Error loading CA File: open /nonexistent/ca.pem: no such file or directory\n');
    } finally {
      await srv.stop();
      srv.cleanup();
    }
  });
});
