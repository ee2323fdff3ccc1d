import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';

/** Shared helpers for the benchmarks: free ports, child servers, a fixed-duration HTTP load loop. */

export async function freePort(): Promise<number> {
  const srv = createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const port = (srv.address() as { port: number }).port;
  srv.close();
  return port;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function waitForHttp(url: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export function spawnNode(args: string[], env: Record<string, string> = {}): ChildProcess {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ...env } });
  return child;
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await Promise.race([once(child, 'exit'), new Promise((r) => setTimeout(r, 5000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

/** Starts `ward server` from an HCL config on SQLite, initialises and unseals it; returns its URL and root token. */
export async function startWard(extraHcl = ''): Promise<{ url: string; token: string; child: ChildProcess; dir: string }> {
  const dir = tempDir('ward-bench-');
  const port = await freePort();
  const config = join(dir, 'ward.hcl');
  writeFileSync(config, `storage "sqlite" { path = "${join(dir, 'ward.db')}" }\nlistener "tcp" {\n  address = "127.0.0.1:${port}"\n  tls_disable = true\n}\nlog_level = "error"\n${extraHcl}`);
  // The built server (npm run bench builds first), started the way `ward server -config` starts it.
  const boot = `const { startServer } = await import('./dist/server/start.js'); const s = await startServer({ configPath: ${JSON.stringify(config)} }); process.on('SIGTERM', () => s.close().then(() => process.exit(0)));`;
  // Extra flags for the server's node (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`): BENCH_SERVE_NODE_ARGS, as
  // bench/leases.ts names it, or the older BENCH_NODE_ARGS.
  const nodeArgs = process.env.BENCH_SERVE_NODE_ARGS ?? process.env.BENCH_NODE_ARGS;
  const child = spawnNode([...(nodeArgs ? nodeArgs.split(' ') : []), '--input-type=module', '-e', boot]);
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/v1/sys/health`);
  const post = async (path: string, body: unknown, token?: string) => {
    const res = await fetch(`${url}/v1/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { 'x-vault-token': token } : {}) }, body: JSON.stringify(body) });
    const text = await res.text();
    if (res.status >= 400) throw new Error(`${path}: ${res.status} ${text}`);
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  };
  const init = await post('sys/init', { secret_shares: 1, secret_threshold: 1 });
  await post('sys/unseal', { key: (init.keys as string[])[0] });
  return { url, token: init.root_token as string, child, dir };
}

export interface LoadResult {
  requests: number;
  seconds: number;
  perSecond: number;
  p50ms: number;
  p99ms: number;
  errors: number;
}

/** Sends `path` requests with `connections` in flight for `seconds`; counts only 2xx answers. */
export async function load(url: string, path: string, opts: { seconds: number; connections: number; headers?: Record<string, string>; method?: string }): Promise<LoadResult> {
  const pool = new Pool(url, { connections: opts.connections, pipelining: 1 });
  const latencies: number[] = [];
  let errors = 0;
  const start = performance.now();
  const end = start + opts.seconds * 1000;
  const worker = async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      const res = await pool.request({ path, method: (opts.method ?? 'GET') as 'GET', headers: opts.headers ?? {} });
      await res.body.arrayBuffer();
      if (res.statusCode >= 200 && res.statusCode < 300) latencies.push(performance.now() - t0);
      else errors++;
    }
  };
  await Promise.all(Array.from({ length: opts.connections }, worker));
  const seconds = (performance.now() - start) / 1000;
  await pool.close();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? Number.NaN;
  return { requests: latencies.length, seconds, perSecond: latencies.length / seconds, p50ms: pct(0.5), p99ms: pct(0.99), errors };
}

/**
 * CPU seconds (user + system, every thread) a process has used so far, from /proc (Linux); NaN elsewhere. Read
 * before and after a load phase, it gives the server's CPU per request, which unlike requests/s does not depend on
 * how much of the machine the load client takes.
 */
export function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces), 1-based as in proc(5): utime is 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ is 100 on every Linux ABI Node runs on
  } catch {
    return Number.NaN;
  }
}

export const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
