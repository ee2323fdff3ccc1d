import type { CommandSpec } from '../command.js';
import { errorText } from '../command.js';
import { compareGoStrings } from '../format/gofmt.js';
import { outputData } from '../format/output.js';
import { flagSet } from '../flagsets.js';

/** The capabilities Vault's client reads from a capabilities response: `data[path]`, else `data.capabilities`. */
export function capabilitiesOf(data: Record<string, unknown> | null, path: string): string[] | null {
  if (!data) throw new Error('data from server response is empty');
  const asList = (v: unknown): string[] | null => (Array.isArray(v) ? v.map((x) => String(x)) : null);
  const forPath = asList(data[path]);
  if (forPath && forPath.length > 0) return forPath;
  return asList(data.capabilities) ?? forPath;
}

/** `ward token capabilities [TOKEN] PATH`: sys/capabilities-self, or sys/capabilities for a given token. */
export const tokenCapabilitiesCommand: CommandSpec = {
  path: ['token', 'capabilities'],
  synopsis: 'Print capabilities of a token on a path',
  help: `Usage: ward token capabilities [options] [TOKEN] PATH

  Fetches the capabilities of a token for a given path. If a TOKEN is provided
  as an argument, the "/sys/capabilities" endpoint and permission is used. If
  no TOKEN is provided, the "/sys/capabilities-self" endpoint and permission
  is used with the locally authenticated token.

  List capabilities for the local token on the "secret/foo" path:

      $ ward token capabilities secret/foo

  List capabilities for a token on the "cubbyhole/foo" path:

      $ ward token capabilities 96ddf4bc-d217-f3ba-f9bd-017055595017 cubbyhole/foo

  For a full list of examples, please see the documentation.`,
  flags: flagSet({ format: true }),
  async run(ctx) {
    const args = ctx.args;
    if (args.length === 0) {
      ctx.ui.err('Not enough arguments (expected 1-2, got 0)');
      return 1;
    }
    if (args.length > 2) {
      ctx.ui.err(`Too many arguments (expected 1-2, got ${args.length})`);
      return 1;
    }
    const [token, path] = args.length === 1 ? ['', args[0] as string] : [args[0] as string, args[1] as string];
    const client = ctx.client();
    let capabilities: string[] | null;
    try {
      // As Vault's client: the token's own capabilities go to capabilities-self (the token is then not in the body).
      const self = token === '' || token === client.token;
      const secret = self ? await client.send('POST', 'sys/capabilities-self', { path }) : await client.send('POST', 'sys/capabilities', { token, path });
      capabilities = capabilitiesOf(secret?.data ?? null, path);
    } catch (e) {
      ctx.ui.err(`Error listing capabilities: ${errorText(e)}`);
      return 2;
    }
    if (capabilities === null) {
      ctx.ui.err('No capabilities found');
      return 1;
    }
    if (ctx.out.format === 'table') {
      ctx.ui.out([...capabilities].sort(compareGoStrings).join(', '));
      return 0;
    }
    return outputData(ctx.out, capabilities);
  },
};
