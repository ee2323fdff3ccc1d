import type { CommandSpec } from '../command.js';
import { checkArgs, ensureTrailingSlash, errorText, sanitizePath } from '../command.js';
import { flagSet } from '../flagsets.js';

/** `ward auth disable PATH`: DELETE sys/auth/<path>. */
export const authDisableCommand: CommandSpec = {
  path: ['auth', 'disable'],
  synopsis: 'Disables an auth method',
  help: `Usage: ward auth disable [options] PATH

  Disables an existing auth method at the given PATH. The argument corresponds
  to the PATH of the mount, not the TYPE!. Once the auth method is disabled its
  path can no longer be used to authenticate.

  All access tokens generated via the disabled auth method are immediately
  revoked. This command will block until all tokens are revoked.

  Disable the auth method at userpass/:

      $ ward auth disable userpass/`,
  flags: flagSet({}),
  async run(ctx) {
    const bad = checkArgs(ctx.args, 1);
    if (bad) {
      ctx.ui.err(bad);
      return 1;
    }
    const path = ensureTrailingSlash(sanitizePath(ctx.args[0] as string));
    try {
      await ctx.client().call('DELETE', `sys/auth/${path}`);
    } catch (e) {
      ctx.ui.err(`Error disabling auth method at ${path}: ${errorText(e)}`);
      return 2;
    }
    ctx.ui.out(`Success! Disabled the auth method (if it existed) at: ${path}`);
    return 0;
  },
};
