import type { CommandSpec } from '../command.js';
import { checkArgs, ensureTrailingSlash, errorText, sanitizePath } from '../command.js';
import { flagSet } from '../flagsets.js';

/** `ward audit disable PATH`: DELETE sys/audit/<path>. */
export const auditDisableCommand: CommandSpec = {
  path: ['audit', 'disable'],
  synopsis: 'Disables an audit device',
  help: `Usage: ward audit disable [options] PATH

  Disables an audit device. Once an audit device is disabled, no future audit
  logs are dispatched to it. The data associated with the audit device is not
  affected.

  The argument corresponds to the PATH of audit device, not the TYPE!

  Disable the audit device enabled at "file/":

      $ ward audit disable file/`,
  flags: flagSet({}),
  async run(ctx) {
    const bad = checkArgs(ctx.args, 1);
    if (bad) {
      ctx.ui.err(bad);
      return 1;
    }
    const path = ensureTrailingSlash(sanitizePath(ctx.args[0] as string));
    try {
      await ctx.client().call('DELETE', `sys/audit/${path}`);
    } catch (e) {
      ctx.ui.err(`Error disabling audit device: ${errorText(e)}`);
      return 2;
    }
    ctx.ui.out(`Success! Disabled audit device (if it was enabled) at: ${path}`);
    return 0;
  },
};
