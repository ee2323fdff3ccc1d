import { rmSync } from 'node:fs';
import { fmt, freePort, load, spawnNode, startWard, stop, tempDir, waitForHttp } from './lib.js';

/**
 * Authenticated KV v2 reads/s through Ward over HTTP, against a bare Node HTTP server doing one SQLite point lookup
 * and one AES-GCM decrypt per request, measured in the same run. Goal: ratio ≥ 0.5.
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);

async function main(): Promise<void> {
  const baseDir = tempDir('ward-bench-baseline-');
  const basePort = await freePort();
  const baseline = spawnNode(['--import', 'tsx', 'bench/baseline-kv-server.ts', baseDir, String(basePort)]);
  await waitForHttp(`http://127.0.0.1:${basePort}/`);
  await load(`http://127.0.0.1:${basePort}`, '/', { seconds: 1, connections: CONNECTIONS });
  const raw = await load(`http://127.0.0.1:${basePort}`, '/', { seconds: SECONDS, connections: CONNECTIONS });
  await stop(baseline);
  rmSync(baseDir, { recursive: true, force: true });

  const ward = await startWard();
  const headers = { 'x-vault-token': ward.token, 'content-type': 'application/json' };
  await fetch(`${ward.url}/v1/sys/mounts/secret`, { method: 'POST', headers, body: JSON.stringify({ type: 'kv-v2' }) });
  const put = await fetch(`${ward.url}/v1/secret/data/bench`, { method: 'POST', headers, body: JSON.stringify({ data: { password: 'x'.repeat(32) } }) });
  if (put.status !== 200) throw new Error(`kv write failed: ${put.status}`);
  await load(ward.url, '/v1/secret/data/bench', { seconds: 1, connections: CONNECTIONS, headers: { 'x-vault-token': ward.token } });
  const kv = await load(ward.url, '/v1/secret/data/bench', { seconds: SECONDS, connections: CONNECTIONS, headers: { 'x-vault-token': ward.token } });
  await stop(ward.child);
  rmSync(ward.dir, { recursive: true, force: true });

  const ratio = kv.perSecond / raw.perSecond;
  console.log(`kv-read (${SECONDS}s, ${CONNECTIONS} connections)`);
  console.log(`  raw HTTP + SQLite lookup + AES-GCM decrypt: ${fmt(raw.perSecond)} req/s  p50 ${fmt(raw.p50ms, 2)} ms  p99 ${fmt(raw.p99ms, 2)} ms`);
  console.log(`  Ward authenticated kv v2 read:              ${fmt(kv.perSecond)} req/s  p50 ${fmt(kv.p50ms, 2)} ms  p99 ${fmt(kv.p99ms, 2)} ms  errors ${kv.errors}`);
  console.log(`  ratio Ward / raw: ${fmt(ratio, 2)} (goal ≥ 0.50) ${ratio >= 0.5 ? 'MET' : 'NOT MET'}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
