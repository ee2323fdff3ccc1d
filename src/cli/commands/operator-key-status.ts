import type { CommandSpec } from '../command.js';
import { checkArgs, errorText } from '../command.js';
import { outputData } from '../format/output.js';
import { flagSet } from '../flagsets.js';
import { fetchKeyStatus, keyStatusColumns, keyStatusStruct } from '../key-status.js';

/** `ward operator key-status`. */
export const operatorKeyStatusCommand: CommandSpec = {
  path: ['operator', 'key-status'],
  synopsis: 'Provides information about the active encryption key',
  help: `Usage: ward operator key-status [options]

  Provides information about the active encryption key. Specifically, the
  current key term and the key installation time.

      $ ward operator key-status`,
  flags: flagSet({ format: true }),
  async run(ctx) {
    const bad = checkArgs(ctx.args, 0);
    if (bad) {
      ctx.ui.err(bad);
      return 1;
    }
    let ks;
    try {
      ks = await fetchKeyStatus(ctx.client());
    } catch (e) {
      ctx.ui.err(`Error reading key status: ${errorText(e)}`);
      return 2;
    }
    if (ctx.out.format === 'table') {
      ctx.ui.out(keyStatusColumns(ks));
      return 0;
    }
    return outputData(ctx.out, keyStatusStruct(ks));
  },
};
