import type { CommandSpec } from '../command.js';
import { checkArgs, ensureTrailingSlash, errorText, sanitizePath } from '../command.js';
import { flagSet } from '../flagsets.js';

/** `ward secrets disable PATH`. */
export const secretsDisableCommand: CommandSpec = {
  path: ['secrets', 'disable'],
  synopsis: 'Disable a secrets engine',
  help: `Usage: ward secrets disable [options] PATH

  Disables a secrets engine at the given PATH. The argument corresponds to the
  enabled PATH of the engine, not the TYPE! All secrets created by this engine
  are revoked and its Ward data is removed.

  Disable the secrets engine enabled at aws/:

      $ ward secrets disable aws/`,
  flags: flagSet({}),
  async run(ctx) {
    const bad = checkArgs(ctx.args, 1);
    if (bad) {
      ctx.ui.err(bad);
      return 1;
    }
    const path = ensureTrailingSlash(sanitizePath(ctx.args[0] as string));
    try {
      await ctx.client().call('DELETE', `sys/mounts/${path}`);
    } catch (e) {
      ctx.ui.err(`Error disabling secrets engine at ${path}: ${errorText(e)}`);
      return 2;
    }
    ctx.ui.out(`Success! Disabled the secrets engine (if it existed) at: ${path}`);
    return 0;
  },
};
