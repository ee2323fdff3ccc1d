import type { CommandSpec } from '../command.js';
import { checkArgs, errorText } from '../command.js';
import { flagSet } from '../flagsets.js';
import { fetchSealStatus, outputSealStatus } from '../seal-status.js';

/** `ward status`: seal status; exit 0 unsealed, 2 sealed, 1 on error. */
export const statusCommand: CommandSpec = {
  path: ['status'],
  synopsis: 'Print seal and HA status',
  help: `Usage: ward status [options]

  Prints the current state of Ward including whether it is sealed and if HA
  mode is enabled. This command prints regardless of whether the Ward is
  sealed.

  The exit code reflects the seal status:

      - 0 - unsealed
      - 1 - error
      - 2 - sealed`,
  flags: flagSet({ format: true }),
  async run(ctx) {
    const bad = checkArgs(ctx.args, 0);
    if (bad) {
      ctx.ui.err(bad);
      return 1;
    }
    let client;
    try {
      client = ctx.client();
    } catch (e) {
      // Exit 2 means "sealed" here, so client errors exit 1.
      ctx.ui.err(errorText(e));
      return 1;
    }
    let status: Record<string, unknown>;
    try {
      status = await fetchSealStatus(client);
    } catch (e) {
      ctx.ui.err(`Error checking seal status: ${errorText(e)}`);
      return 1;
    }
    const code = await outputSealStatus(ctx.out, client, status);
    return status.sealed === true ? 2 : code;
  },
};
