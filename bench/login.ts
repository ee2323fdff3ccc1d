import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { Pool } from 'undici';
import { cpuSeconds, fmt, load, startWard, stop, tempDir, type LoadResult } from './lib.js';

/**
 * AppRole logins/s and token lookups/s (`auth/token/lookup-self`) through Ward over HTTP on SQLite, against the raw
 * rate of durable single-row commits to a SQLite store with Ward's settings (WAL, synchronous=FULL, one
 * `INSERT OR REPLACE` per transaction), measured in the same run. A login writes a token, so it cannot be cheaper
 * than one durable commit. Goal: logins ≥ 0.5 × raw commits. The raw commits and the logins run in alternating
 * one-second slices, so a drifting disk affects both alike.
 *
 *   npm run build && node --import tsx bench/login.ts     (BENCH_SECONDS, BENCH_CONNECTIONS)
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);

/**
 * Durable single-row commits on a fresh file with Ward's SQLite settings and schema, each its own transaction (one
 * fsync of the WAL each). Run in slices interleaved with Ward's, so both see the same disk: shared disks drift a lot.
 */
class RawCommits {
  private readonly dir = tempDir('ward-bench-commits-');
  private readonly db = new Database(join(this.dir, 'raw.db'));
  private readonly put: Database.Statement<[string, Buffer]>;
  // Roughly the size of a sealed token entry; a new key each time, as a login makes a new token.
  private readonly value = randomBytes(512);
  commits = 0;
  seconds = 0;

  constructor() {
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec('CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID');
    this.put = this.db.prepare<[string, Buffer]>('INSERT OR REPLACE INTO entries (key, value) VALUES (?, ?)');
  }

  /** Commits for `seconds`; counted unless `warmup`. */
  run(seconds: number, warmup = false): void {
    let n = 0;
    const start = performance.now();
    const end = start + seconds * 1000;
    while (performance.now() < end) {
      this.put.run(`sys/token/id/${randomBytes(16).toString('hex')}`, this.value); // autocommit: one transaction
      n++;
    }
    if (warmup) return;
    this.commits += n;
    this.seconds += (performance.now() - start) / 1000;
  }

  get perSecond(): number {
    return this.commits / this.seconds;
  }

  close(): void {
    this.db.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Adds up per-slice load results. */
function combine(parts: LoadResult[], latencies: number[]): LoadResult {
  const requests = parts.reduce((a, p) => a + p.requests, 0);
  const seconds = parts.reduce((a, p) => a + p.seconds, 0);
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? Number.NaN;
  return { requests, seconds, perSecond: requests / seconds, p50ms: pct(0.5), p99ms: pct(0.99), errors: parts.reduce((a, p) => a + p.errors, 0) };
}

/** POSTs `body` to `path` with `connections` in flight for `seconds`; counts only 2xx answers. */
async function loadPost(url: string, path: string, body: string, opts: { seconds: number; connections: number; latencies?: number[] }): Promise<LoadResult> {
  const pool = new Pool(url, { connections: opts.connections, pipelining: 1 });
  const latencies: number[] = [];
  let errors = 0;
  let lastError = '';
  const start = performance.now();
  const end = start + opts.seconds * 1000;
  const worker = async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      const res = await pool.request({ path, method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const text = await res.body.text();
      if (res.statusCode >= 200 && res.statusCode < 300) latencies.push(performance.now() - t0);
      else {
        errors++;
        lastError = `${res.statusCode} ${text}`;
      }
    }
  };
  await Promise.all(Array.from({ length: opts.connections }, worker));
  const seconds = (performance.now() - start) / 1000;
  await pool.close();
  if (errors > 0) console.error(`  (${errors} failed logins; last: ${lastError.slice(0, 200)})`);
  opts.latencies?.push(...latencies);
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? Number.NaN;
  return { requests: latencies.length, seconds, perSecond: latencies.length / seconds, p50ms: pct(0.5), p99ms: pct(0.99), errors };
}

async function main(): Promise<void> {
  const raw = new RawCommits();
  const ward = await startWard();
  try {
    const call = async (method: string, path: string, body?: unknown, token: string = ward.token): Promise<Record<string, unknown>> => {
      const res = await fetch(`${ward.url}/v1/${path}`, { method, headers: { 'x-vault-token': token, 'content-type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
      const text = await res.text();
      if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${text}`);
      return text ? (JSON.parse(text) as Record<string, unknown>) : {};
    };
    await call('POST', 'sys/auth/approle', { type: 'approle' });
    await call('PUT', 'sys/policies/acl/bench', { policy: 'path "secret/data/bench/*" { capabilities = ["read"] }' });
    // Unlimited secret-ID uses and no secret-ID TTL, so every login in the run uses the same credentials.
    await call('POST', 'auth/approle/role/bench', { token_policies: 'bench', token_ttl: '1h', secret_id_num_uses: 0, secret_id_ttl: 0 });
    const roleId = ((await call('GET', 'auth/approle/role/bench/role-id')).data as { role_id: string }).role_id;
    const secretId = ((await call('POST', 'auth/approle/role/bench/secret-id', {})).data as { secret_id: string }).secret_id;
    const loginBody = JSON.stringify({ role_id: roleId, secret_id: secretId });
    const first = await fetch(`${ward.url}/v1/auth/approle/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: loginBody });
    if (first.status !== 200) throw new Error(`login failed: ${first.status} ${await first.text()}`);
    const appToken = ((await first.json()) as { auth: { client_token: string } }).auth.client_token;

    raw.run(0.5, true);
    await loadPost(ward.url, '/v1/auth/approle/login', loginBody, { seconds: 1, connections: CONNECTIONS });
    // One-second slices, alternating: raw commits, then Ward logins, SECONDS times each.
    const slices: LoadResult[] = [];
    const loginLatencies: number[] = [];
    // The server's CPU (all its threads) during the login slices only: CPU per login does not depend on how much
    // of the machine the load client and the raw commits take, so it compares runs on a busy machine.
    let loginCpu = 0;
    let clientCpu = 0;
    for (let i = 0; i < SECONDS; i++) {
      raw.run(1);
      const cpu0 = cpuSeconds(ward.child.pid);
      const client0 = process.cpuUsage();
      slices.push(await loadPost(ward.url, '/v1/auth/approle/login', loginBody, { seconds: 1, connections: CONNECTIONS, latencies: loginLatencies }));
      const client = process.cpuUsage(client0);
      clientCpu += (client.user + client.system) / 1e6;
      loginCpu += cpuSeconds(ward.child.pid) - cpu0;
    }
    const logins = combine(slices, loginLatencies);

    const lookupHeaders = { 'x-vault-token': appToken };
    await load(ward.url, '/v1/auth/token/lookup-self', { seconds: 1, connections: CONNECTIONS, headers: lookupHeaders });
    const lookupCpu0 = cpuSeconds(ward.child.pid);
    const lookups = await load(ward.url, '/v1/auth/token/lookup-self', { seconds: SECONDS, connections: CONNECTIONS, headers: lookupHeaders });
    const lookupCpu = cpuSeconds(ward.child.pid) - lookupCpu0;

    const loginRatio = logins.perSecond / raw.perSecond;
    const lookupRatio = lookups.perSecond / raw.perSecond;
    console.log(`login (${SECONDS}s, ${CONNECTIONS} connections)`);
    console.log(`  raw SQLite durable commits (WAL, synchronous=FULL, 1 INSERT OR REPLACE per txn): ${fmt(raw.perSecond)} commits/s (${fmt(raw.seconds, 1)} s, interleaved with the logins)`);
    console.log(`  Ward AppRole logins:          ${fmt(logins.perSecond)} logins/s   p50 ${fmt(logins.p50ms, 2)} ms  p99 ${fmt(logins.p99ms, 2)} ms  errors ${logins.errors}  server CPU ${fmt((loginCpu * 1000) / logins.requests, 3)} ms/login (load client ${fmt((clientCpu * 1000) / logins.requests, 3)} ms)`);
    console.log(`  Ward token lookup-self:       ${fmt(lookups.perSecond)} lookups/s  p50 ${fmt(lookups.p50ms, 2)} ms  p99 ${fmt(lookups.p99ms, 2)} ms  errors ${lookups.errors}  server CPU ${fmt((lookupCpu * 1000) / lookups.requests, 3)} ms/lookup`);
    console.log(`  ratio logins / raw commits:  ${fmt(loginRatio, 2)} (goal ≥ 0.50) ${loginRatio >= 0.5 ? 'MET' : 'NOT MET'}`);
    console.log(`  load average: ${loadavg().map((l) => fmt(l, 2)).join(' ')}`);
    console.log(`  ratio lookups / raw commits: ${fmt(lookupRatio, 2)} (a lookup commits nothing; shown for scale)`);
  } finally {
    raw.close();
    await stop(ward.child);
    rmSync(ward.dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
