import type { CommandSpec } from '../command.js';
import { checkArgs, errorText } from '../command.js';
import { outputData } from '../format/output.js';
import { flagSet } from '../flagsets.js';
import { fetchKeyStatus, keyStatusColumns, keyStatusStruct } from '../key-status.js';

/** `ward operator rotate`: installs a new barrier key term and prints the new key status. */
export const operatorRotateCommand: CommandSpec = {
  path: ['operator', 'rotate'],
  synopsis: 'Rotates the underlying encryption key',
  help: `Usage: ward operator rotate [options]

  Rotates the underlying encryption key which is used to secure data written
  to the storage backend. This installs a new key in the key ring. This new
  key is used to encrypt new data, while older keys in the ring are used to
  decrypt older data.

  This is an online operation and does not cause downtime. This command is run
  per-cluster (not per-server), since Ward servers in HA mode share the same
  storage backend.

  Rotate Ward's encryption key:

      $ ward operator rotate`,
  flags: flagSet({ format: true }),
  async run(ctx) {
    const bad = checkArgs(ctx.args, 0);
    if (bad) {
      ctx.ui.err(bad);
      return 1;
    }
    const client = ctx.client();
    try {
      await client.call('PUT', 'sys/rotate');
    } catch (e) {
      ctx.ui.err(`Error rotating key: ${errorText(e)}`);
      return 2;
    }
    let ks;
    try {
      ks = await fetchKeyStatus(client);
    } catch (e) {
      ctx.ui.err(`Error reading key status: ${errorText(e)}`);
      return 2;
    }
    if (ctx.out.format === 'table') {
      ctx.ui.out('Success! Rotated key');
      ctx.ui.out('');
      ctx.ui.out(keyStatusColumns(ks));
      return 0;
    }
    return outputData(ctx.out, keyStatusStruct(ks));
  },
};
