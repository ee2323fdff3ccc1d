import type { CommandSpec } from '../command.js';
import { errorText } from '../command.js';
import { flagSet, mountFlag } from '../flagsets.js';
import { kvApiPath, resolveKvTarget } from '../kv-helpers.js';
import type { Secret } from '../secret.js';
import { printListResult } from './list.js';

/** `ward kv list PATH`: lists keys (v2 through `metadata/`). */
export const kvListCommand: CommandSpec = {
  path: ['kv', 'list'],
  synopsis: 'List data or secrets',
  help: `Usage: ward kv list [options] PATH

  Lists data from Ward's key-value store at the given path.

  List values under the "my-app" folder of the key-value store:

      $ ward kv list -mount=secret my-app/

  The deprecated path-like syntax can also be used:

      $ ward kv list secret/my-app/`,
  flags: flagSet({ format: true }, mountFlag('metadata'), { name: 'detailed', kind: 'bool', env: ['WARD_DETAILED_LISTS', 'VAULT_DETAILED_LISTS'], section: 'List Options', usage: 'Enables additional metadata during some LIST operations' }),
  async run(ctx) {
    const mount = ctx.flags.str('mount');
    let args = ctx.args;
    if (args.length < 1) {
      if (mount === '') {
        ctx.ui.err(`Not enough arguments (expected 1, got ${args.length})`);
        return 1;
      }
      args = [''];
    }
    if (args.length > 1) {
      ctx.ui.err(`Too many arguments (expected 1, got ${args.length})`);
      return 1;
    }
    const client = ctx.client();
    let target;
    try {
      target = await resolveKvTarget(client, args[0] as string, mount);
    } catch (e) {
      ctx.ui.err(errorText(e));
      return 2;
    }
    const fullPath = kvApiPath(target, 'metadata');
    let secret: Secret | null;
    try {
      secret = await client.list(fullPath);
    } catch (e) {
      ctx.ui.err(`Error listing ${fullPath}: ${errorText(e)}`);
      return 2;
    }
    return printListResult(ctx, fullPath, secret);
  },
};
