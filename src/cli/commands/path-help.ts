import type { CommandSpec } from '../command.js';
import { checkArgs, errorText, sanitizePath } from '../command.js';
import { flagSet } from '../flagsets.js';
import { isRecord } from '../secret.js';

const SEALED_MESSAGE = `Error: Ward is sealed.

The "path-help" command requires the Ward to be unsealed so that the mount
points of the secret engines are known.`;

/** `ward path-help PATH`: GET `<path>?help=1` and print its `help` text. */
export const pathHelpCommand: CommandSpec = {
  path: ['path-help'],
  synopsis: 'Retrieve API help for paths',
  help: `Usage: ward path-help [options] PATH

  Retrieves API help for paths. All endpoints in Ward provide built-in help in
  markdown format. This includes system paths, secret engines, and auth
  methods.

  Get help for the thing mounted at database/:

      $ ward path-help database/

  The response object will return additional paths to retrieve help:

      $ ward path-help database/roles/

  Each secret engine produces different help output.`,
  flags: flagSet({}),
  async run(ctx) {
    const bad = checkArgs(ctx.args, 1);
    if (bad) {
      ctx.ui.err(bad);
      return 1;
    }
    const path = sanitizePath(ctx.args[0] as string);
    let help: string;
    try {
      const res = await ctx.client().call('GET', path, { query: { help: '1' } });
      // Vault answers `{"help": ...}`; an enveloped `{"data": {"help": ...}}` is accepted too.
      const body = isRecord(res.json) ? res.json : {};
      const data = isRecord(body.data) ? body.data : {};
      help = typeof body.help === 'string' ? body.help : typeof data.help === 'string' ? data.help : '';
    } catch (e) {
      const text = errorText(e);
      ctx.ui.err(text.includes('Vault is sealed') ? SEALED_MESSAGE : `Error retrieving help: ${text}`);
      return 2;
    }
    ctx.ui.out(help);
    return 0;
  },
};
