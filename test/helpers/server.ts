import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { request } from 'undici';
import { type RunningServer, startServer } from '../../src/server/start.js';
import type { Clock } from '../../src/lib/clock.js';

export interface TestServer {
  addr: string;
  rootToken: string;
  server: RunningServer;
  /** Everything the server logged, as text. */
  logs(): string;
  stop(): Promise<void>;
}

function captureLogs(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

/** A dev-mode server in this process on a free port: in memory, unsealed, kv v2 at `secret/`. */
export async function startTestServer(opts: { dev?: boolean; rootTokenId?: string; clock?: Clock } = {}): Promise<TestServer> {
  const logs = captureLogs();
  const server = await startServer({
    dev: opts.dev ?? true,
    devListenAddress: '127.0.0.1:0',
    logLevel: 'debug',
    logDestination: logs.stream,
    ...(opts.rootTokenId ? { devRootTokenId: opts.rootTokenId } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  return {
    addr: server.addresses[0] as string,
    rootToken: server.rootToken as string,
    server,
    logs: logs.text,
    stop: () => server.close(),
  };
}

/** A server started from an HCL config written into a fresh temp dir (sqlite storage there unless `hcl` says otherwise). */
export async function startConfiguredServer(hcl?: (dir: string) => string): Promise<{ dir: string; server: RunningServer; addr: string; logs(): string; stop(): Promise<void>; cleanup(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'ward-test-'));
  const text = hcl ? hcl(dir) : `storage "sqlite" { path = "${join(dir, 'ward.db')}" }\nlistener "tcp" {\n  address = "127.0.0.1:0"\n  tls_disable = true\n}\n`;
  const configPath = join(dir, 'ward.hcl');
  writeFileSync(configPath, text);
  const logs = captureLogs();
  const server = await startServer({ configPath, logLevel: 'debug', logDestination: logs.stream });
  return {
    dir,
    server,
    addr: server.addresses[0] as string,
    logs: logs.text,
    stop: () => server.close(),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface ApiResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON, or undefined for an empty body. */
  body: Record<string, unknown> | undefined;
  text: string;
}

/** One raw HTTP call, as a Vault client would make it. */
export async function api(addr: string, method: string, path: string, opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<ApiResult> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers['x-vault-token'] = opts.token;
  let body: string | undefined;
  if (opts.body !== undefined) {
    body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await request(`${addr}${path}`, { method: method as 'GET', headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.body.text();
  let parsed: Record<string, unknown> | undefined;
  if (text !== '') {
    try {
      parsed = JSON.parse(text) as Record<string, unknown>;
    } catch {
      parsed = undefined;
    }
  }
  return { status: res.statusCode, headers: res.headers, body: parsed, text };
}
