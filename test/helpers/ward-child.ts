/**
 * Entry point of a Ward server in a child process, run from the sources (`node --import tsx`), so crash tests need
 * no prior build: `node --import tsx test/helpers/ward-child.ts <config.hcl>`. Prints one JSON line
 * `{"addr": "http://127.0.0.1:<port>"}` on stdout once listening. Set WARD_TEST_ENGINES=1 in its environment to get
 * the lease-test engine.
 */
import { startServer } from '../../src/server/start.js';

const configPath = process.argv[2];
if (!configPath) throw new Error('usage: ward-child.ts <config.hcl>');
const server = await startServer({ configPath });
process.stdout.write(`${JSON.stringify({ addr: server.addresses[0] })}\n`);
process.on('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
