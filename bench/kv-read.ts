import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fmt, freePort, load, spawnNode, startWard, stop, tempDir, waitForHttp } from './lib.js';

/**
 * Authenticated KV v2 reads/s through Ward over HTTP, against a bare Node HTTP server doing one SQLite point lookup
 * and one AES-GCM decrypt per request, measured in the same run. Goal: ratio ≥ 0.5.
 *
 * Then, on the same Ward server, the same reads with a file audit device enabled (the log in the benchmark's temp
 * dir): every read writes a request and a response entry, HMAC'd, before it is answered. Goal: audited / plain ≥ 0.6.
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
  const readOpts = { seconds: SECONDS, connections: CONNECTIONS, headers: { 'x-vault-token': ward.token } };
  await load(ward.url, '/v1/secret/data/bench', { ...readOpts, seconds: 1 });
  const kv = await load(ward.url, '/v1/secret/data/bench', readOpts);

  // The same reads with a file audit device: two entries (request, response) written per read.
  const auditFile = join(ward.dir, 'audit.log');
  const enable = await fetch(`${ward.url}/v1/sys/audit/file`, { method: 'PUT', headers, body: JSON.stringify({ type: 'file', options: { file_path: auditFile } }) });
  if (enable.status !== 204) throw new Error(`enabling the file audit device failed: ${enable.status} ${await enable.text()}`);
  await load(ward.url, '/v1/secret/data/bench', { ...readOpts, seconds: 1 });
  const entriesBefore = countLines(auditFile);
  const audited = await load(ward.url, '/v1/secret/data/bench', readOpts);
  const entries = countLines(auditFile) - entriesBefore;
  await stop(ward.child);
  rmSync(ward.dir, { recursive: true, force: true });
  // Every answered read (2xx or not) has its two entries; fewer means entries were lost.
  if (entries < 2 * (audited.requests + audited.errors)) throw new Error(`audit log has ${entries} entries for ${audited.requests + audited.errors} reads`);

  const ratio = kv.perSecond / raw.perSecond;
  const auditRatio = audited.perSecond / kv.perSecond;
  console.log(`kv-read (${SECONDS}s, ${CONNECTIONS} connections)`);
  console.log(`  raw HTTP + SQLite lookup + AES-GCM decrypt: ${fmt(raw.perSecond)} req/s  p50 ${fmt(raw.p50ms, 2)} ms  p99 ${fmt(raw.p99ms, 2)} ms`);
  console.log(`  Ward authenticated kv v2 read:              ${fmt(kv.perSecond)} req/s  p50 ${fmt(kv.p50ms, 2)} ms  p99 ${fmt(kv.p99ms, 2)} ms  errors ${kv.errors}`);
  console.log(`  the same with a file audit device:          ${fmt(audited.perSecond)} req/s  p50 ${fmt(audited.p50ms, 2)} ms  p99 ${fmt(audited.p99ms, 2)} ms  errors ${audited.errors}  (${fmt(entries)} audit entries)`);
  console.log(`  ratio Ward / raw: ${fmt(ratio, 2)} (goal ≥ 0.50) ${ratio >= 0.5 ? 'MET' : 'NOT MET'}`);
  console.log(`  ratio audited / Ward: ${fmt(auditRatio, 2)} (goal ≥ 0.60) ${auditRatio >= 0.6 ? 'MET' : 'NOT MET'}`);
}

function countLines(path: string): number {
  const buf = readFileSync(path);
  let n = 0;
  for (let i = buf.indexOf(0x0a); i >= 0; i = buf.indexOf(0x0a, i + 1)) n++;
  return n;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
