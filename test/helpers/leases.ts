import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { Core } from '../../src/core/core.js';
import type { Clock } from '../../src/lib/clock.js';
import { type RunningServer, startServer } from '../../src/server/start.js';
import { api, type ApiResult } from './server.js';

/** Helpers for the lease tests: SQLite servers with an injected clock, expiry on demand, raw (unnormalised) paths. */

export interface SqliteServer {
  dir: string;
  addr: string;
  server: RunningServer;
  logs(): string;
  stop(): Promise<void>;
}

export function sqliteConfig(dir: string): string {
  return `storage "sqlite" { path = "${join(dir, 'ward.db')}" }\nlistener "tcp" {\n  address = "127.0.0.1:0"\n  tls_disable = true\n}\n`;
}

export function freshDir(prefix = 'ward-lease-test-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Starts a server on the SQLite file in `dir` (created on first use) with `clock`; it starts sealed. */
export async function startSqliteServer(dir: string, clock?: Clock): Promise<SqliteServer> {
  const configPath = join(dir, 'ward.hcl');
  writeFileSync(configPath, sqliteConfig(dir));
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  const server = await startServer({ configPath, logLevel: 'debug', logDestination: stream, ...(clock ? { clock } : {}) });
  return {
    dir,
    addr: server.addresses[0] as string,
    server,
    logs: () => Buffer.concat(chunks).toString('utf8'),
    stop: () => server.close(),
  };
}

/** sys/init with one share, then sys/unseal; returns the key and root token. */
export async function initAndUnseal(addr: string): Promise<{ key: string; rootToken: string }> {
  const init = await api(addr, 'PUT', '/v1/sys/init', { body: { secret_shares: 1, secret_threshold: 1 } });
  if (init.status !== 200) throw new Error(`init: ${init.status} ${init.text}`);
  const key = (init.body?.keys as string[])[0] as string;
  await unseal(addr, key);
  return { key, rootToken: init.body?.root_token as string };
}

export async function unseal(addr: string, key: string): Promise<void> {
  const r = await api(addr, 'PUT', '/v1/sys/unseal', { body: { key } });
  if (r.status !== 200 || r.body?.sealed !== false) throw new Error(`unseal: ${r.status} ${r.text}`);
}

/**
 * Runs the expiration worker now (with a manual clock moved forward): a fresh tick — the first call may join a tick
 * the background worker started before the clock moved — then waits for every revocation it started.
 */
export async function runExpiry(core: Core): Promise<void> {
  await core.expiration.tick();
  await core.expiration.tick();
  await core.expiration.drain();
}

/** An HTTP call whose path is sent byte for byte (no `..` folding, unlike URL-based clients). */
export function rawApi(addr: string, method: string, path: string, opts: { token?: string; body?: unknown } = {}): Promise<ApiResult> {
  const url = new URL(addr);
  const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        headers: {
          ...(opts.token ? { 'x-vault-token': opts.token } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: Record<string, unknown> | undefined;
          try {
            parsed = text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>);
          } catch {
            parsed = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed, text });
        });
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}
