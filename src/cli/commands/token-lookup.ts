import type { CommandSpec } from '../command.js';
import { errorText } from '../command.js';
import { outputSecret } from '../format/output.js';
import { flagSet } from '../flagsets.js';
import type { Secret } from '../secret.js';

/** `ward token lookup [TOKEN | -accessor ACCESSOR]`: lookup-self, lookup or lookup-accessor. */
export const tokenLookupCommand: CommandSpec = {
  path: ['token', 'lookup'],
  synopsis: 'Display information about a token',
  help: `Usage: ward token lookup [options] [TOKEN | ACCESSOR]

  Displays information about a token or accessor. If a TOKEN is not provided,
  the locally authenticated token is used.

  Get information about the locally authenticated token (this uses the
  /auth/token/lookup-self endpoint and permission):

      $ ward token lookup

  Get information about a particular token (this uses the /auth/token/lookup
  endpoint and permission):

      $ ward token lookup 96ddf4bc-d217-f3ba-f9bd-017055595017

  Get information about a token via its accessor:

      $ ward token lookup -accessor 9793c9b3-e04a-46f3-e7b8-748d7da248da

  For a full list of examples, please see the documentation.`,
  flags: flagSet(
    { format: true },
    { name: 'accessor', kind: 'bool', section: 'Command Options', usage: 'Treat the argument as an accessor instead of a token. When this option is selected, the output will NOT include the token.' },
  ),
  async run(ctx) {
    const args = ctx.args;
    const accessor = ctx.flags.bool('accessor');
    if (accessor && args.length < 1) {
      ctx.ui.err(`Not enough arguments with -accessor (expected 1, got ${args.length})`);
      return 1;
    }
    if (accessor && args.length > 1) {
      ctx.ui.err(`Too many arguments with -accessor (expected 1, got ${args.length})`);
      return 1;
    }
    if (args.length > 1) {
      ctx.ui.err(`Too many arguments (expected 0-1, got ${args.length})`);
      return 1;
    }
    const token = args.length === 1 ? (args[0] as string).trim() : '';
    const client = ctx.client();
    let secret: Secret | null;
    try {
      if (token === '') secret = await client.send('GET', 'auth/token/lookup-self');
      else if (accessor) secret = await client.send('POST', 'auth/token/lookup-accessor', { accessor: token });
      else secret = await client.send('POST', 'auth/token/lookup', { token });
    } catch (e) {
      ctx.ui.err(`Error looking up token: ${errorText(e)}`);
      return 2;
    }
    if (!secret) return 0;
    return outputSecret(ctx.out, secret);
  },
};
