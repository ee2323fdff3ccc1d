import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from './main.js';
import { memoryUi } from './memory-ui.js';

/** A stand-in server that answers like Vault and records what the CLI sent. */
interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

const seen: Seen[] = [];
let server: Server;
let addr = '';

function reply(res: ServerResponse, status: number, body?: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(body === undefined ? '' : JSON.stringify(body));
}

const creds = {
  request_id: '8b0d4ae8-7a5c-6a4e-4b0a-6d8c2a1b3c4d',
  lease_id: '',
  renewable: false,
  lease_duration: 0,
  data: {
    data: { passcode: 'my-long-passcode' },
    metadata: { created_time: '2022-06-15T20:14:17.107852Z', custom_metadata: null, deletion_time: '', destroyed: false, version: 1 },
  },
  wrap_info: null,
  warnings: null,
  auth: null,
  mount_type: 'kv',
};

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const url = new URL(req.url ?? '/', 'http://x');
      if (req.headers['x-vault-token'] !== 'tok') return reply(res, 403, { errors: ['permission denied'] });
      switch (`${req.method} ${url.pathname}`) {
        case 'GET /v1/sys/internal/ui/mounts/secret/creds':
        case 'GET /v1/sys/internal/ui/mounts/secret':
          return reply(res, 200, { data: { path: 'secret/', type: 'kv', options: { version: '2' } } });
        case 'GET /v1/secret/data/creds':
          return reply(res, 200, creds);
        case 'GET /v1/secret/data/gone':
          return reply(res, 404, { errors: [] });
        case 'GET /v1/sys/internal/ui/mounts/old/thing':
          return reply(res, 404, { errors: [] });
        case 'PUT /v1/old/thing':
          return reply(res, 204);
        case 'GET /v1/secret/metadata':
          return url.searchParams.get('list') === 'true' ? reply(res, 200, { data: { keys: ['b', 'a/'] } }) : reply(res, 405, { errors: ['unsupported operation'] });
        case 'PUT /v1/sys/init':
          return reply(res, 200, { keys: ['aa', 'bb', 'cc'], keys_base64: ['qg==', 'uw==', 'zA=='], root_token: 'hvs.root' });
        default:
          return reply(res, 404, { errors: [] });
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  addr = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
});

const run = async (args: string[], opts: { stdin?: string; env?: Record<string, string> } = {}) => {
  const ui = memoryUi({ env: { WARD_ADDR: addr, WARD_TOKEN: 'tok', HOME: '/nonexistent', ...opts.env }, ...(opts.stdin !== undefined ? { stdin: opts.stdin } : {}) });
  const code = await main(args, ui);
  return { code, out: ui.stdout(), err: ui.stderr() };
};

describe('ward main', () => {
  it('prints kv v2 secrets exactly like the `vault kv get` documentation example', async () => {
    const r = await run(['kv', 'get', '-mount=secret', 'creds']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toBe(`== Secret Path ==
secret/data/creds

======= Metadata =======
Key                Value
---                -----
created_time       2022-06-15T20:14:17.107852Z
custom_metadata    <nil>
deletion_time      n/a
destroyed          false
version            1

====== Data ======
Key         Value
---         -----
passcode    my-long-passcode
`);
  });

  it('sends X-Vault-Request and the token, and preflights with sys/internal/ui/mounts', async () => {
    seen.length = 0;
    await run(['kv', 'get', 'secret/creds']);
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual(['GET /v1/sys/internal/ui/mounts/secret/creds', 'GET /v1/secret/data/creds']);
    expect(seen[1]?.headers['x-vault-request']).toBe('true');
    expect(seen[1]?.headers['x-vault-token']).toBe('tok');
  });

  it('treats a 404 preflight as kv v1 and writes to the plain path', async () => {
    seen.length = 0;
    const r = await run(['kv', 'put', 'old/thing', 'a=1']);
    expect(r.out).toBe('Success! Data written to: old/thing\n');
    expect(seen[1]).toMatchObject({ method: 'PUT', url: '/v1/old/thing', body: '{"a":"1"}' });
  });

  it('lists with GET ?list=true', async () => {
    seen.length = 0;
    const r = await run(['list', 'secret/metadata/']);
    expect(seen[0]?.url).toBe('/v1/secret/metadata?list=true');
    expect(r.out).toBe('Keys\n----\na/\nb\n');
  });

  it('reports "No value found" with exit 2 for a 404 read', async () => {
    const r = await run(['read', 'secret/data/gone']);
    expect(r).toEqual({ code: 2, out: '', err: 'No value found at secret/data/gone\n' });
  });

  it('formats API errors as the Go client does, without the token', async () => {
    const r = await run(['read', 'secret/data/creds'], { env: { WARD_TOKEN: 'wrong-token-value' } });
    expect(r.code).toBe(2);
    expect(r.err).toBe(`Error reading secret/data/creds: Error making API request.\n\nURL: GET ${addr}/v1/secret/data/creds\nCode: 403. Errors:\n\n* permission denied\n`);
    expect(r.err).not.toContain('wrong-token-value');
  });

  it('runs `operator init -key-shares=3 -key-threshold=2` as written', async () => {
    seen.length = 0;
    const r = await run(['operator', 'init', '-key-shares=3', '-key-threshold=2']);
    expect(r.code).toBe(0);
    expect(JSON.parse(seen[0]?.body ?? '{}')).toEqual({ secret_shares: 3, secret_threshold: 2 });
    expect(r.out.split('\n').slice(0, 5)).toEqual(['Unseal Key 1: qg==', 'Unseal Key 2: uw==', 'Unseal Key 3: zA==', '', 'Initial Root Token: hvs.root']);
    expect(r.out).toContain('Ward initialized with 3 key shares and a key threshold of 2.');
  });

  it('prints operator init as JSON with -format=json', async () => {
    const r = await run(['operator', 'init', '-format=json']);
    expect(JSON.parse(r.out)).toEqual({
      unseal_keys_b64: ['qg==', 'uw==', 'zA=='],
      unseal_keys_hex: ['aa', 'bb', 'cc'],
      unseal_shares: 5,
      unseal_threshold: 3,
      recovery_keys_b64: [],
      recovery_keys_hex: [],
      recovery_keys_shares: 0,
      recovery_keys_threshold: 0,
      root_token: 'hvs.root',
    });
  });

  it('exits 1 for usage errors and 127 for no command', async () => {
    expect((await run(['read'])).err).toBe('Not enough arguments (expected 1, got 0)\n');
    expect((await run(['write', 'secret/x'])).code).toBe(1);
    expect(await run(['read', '-nope', 'x'])).toMatchObject({ code: 1, err: 'flag provided but not defined: -nope\n' });
    expect(await run(['read', '-format=xml', 'x'])).toMatchObject({ code: 1, err: 'Invalid output format: xml\n' });
    expect((await run([])).code).toBe(127);
    expect((await run(['frobnicate'])).code).toBe(127);
    expect((await run(['kv'])).code).toBe(1);
    expect((await run(['kv', 'get', '-h'])).code).toBe(0);
  });

  it('reads JSON for write - from stdin', async () => {
    seen.length = 0;
    await run(['write', 'old/thing', '-'], { stdin: '{"x":{"y":1}}' });
    expect(seen.at(-1)).toMatchObject({ method: 'PUT', url: '/v1/old/thing', body: '{"x":{"y":1}}' });
  });

  it('reports a refused connection like Go\'s url.Error', async () => {
    const r = await run(['status'], { env: { WARD_ADDR: 'http://127.0.0.1:1' } });
    expect(r.code).toBe(1);
    expect(r.err).toBe('Error checking seal status: Get "http://127.0.0.1:1/v1/sys/seal-status": dial tcp 127.0.0.1:1: connect: connection refused\n');
  });
});
