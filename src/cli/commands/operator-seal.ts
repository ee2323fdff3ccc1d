import type { CommandSpec } from '../command.js';
import { checkArgs, errorText } from '../command.js';
import { flagSet } from '../flagsets.js';

/** `ward operator seal`. */
export const operatorSealCommand: CommandSpec = {
  path: ['operator', 'seal'],
  synopsis: 'Seals the Ward server',
  help: `Usage: ward operator seal [options]

  Seals the Ward server. Sealing tells the Ward server to stop responding to
  any operations until it is unsealed. When sealed, the Ward server discards
  its in-memory root key to unlock the data, so it is physically blocked from
  responding to operations unsealed.

  Seal the Ward server:

      $ ward operator seal`,
  flags: flagSet({}),
  async run(ctx) {
    const bad = checkArgs(ctx.args, 0);
    if (bad) {
      ctx.ui.err(bad);
      return 1;
    }
    try {
      await ctx.client().call('PUT', 'sys/seal');
    } catch (e) {
      ctx.ui.err(`Error sealing: ${errorText(e)}`);
      return 2;
    }
    ctx.ui.out('Success! Ward is sealed.');
    return 0;
  },
};
