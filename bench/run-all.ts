/** Runs every benchmark in turn (npm run bench). Each prints its own figures and ratios. */
import { spawnSync } from 'node:child_process';

const benches = ['bench/kv-read.ts', 'bench/login.ts', 'bench/leases.ts', 'bench/db-creds.ts', 'bench/db-creds-mariadb.ts'];
let failed = 0;
for (const b of benches) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', b], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
