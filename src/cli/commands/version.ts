import type { CommandSpec } from '../command.js';
import { wardVersion } from '../version.js';

/** `ward version`. */
export const versionCommand: CommandSpec = {
  path: ['version'],
  synopsis: 'Prints the Ward CLI version',
  help: `Usage: ward version

  Prints the version of this Ward CLI. This does not print the target Ward
  server version.

      $ ward version

  The version is also printed when "-v", "-version" or "--version" is given
  without a command.`,
  flags: [],
  async run(ctx) {
    ctx.ui.out(`Ward v${wardVersion()}`);
    return 0;
  },
};
