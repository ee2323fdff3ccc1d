import type { CommandSpec } from '../command.js';
import { errorText, sanitizePath } from '../command.js';
import { ResponseError } from '../client.js';
import { outputSecret } from '../format/output.js';
import { flagSet } from '../flagsets.js';
import { KvArgError, parseArgsDataStringLists } from '../kv-args.js';

/** `ward delete PATH [K=V...]`: DELETE (pairs become query parameters). */
export const deleteCommand: CommandSpec = {
  path: ['delete'],
  synopsis: 'Delete secrets and configuration',
  help: `Usage: ward delete [options] PATH

  Deletes secrets and configuration from Ward at the given path. The behavior
  of "delete" is delegated to the backend corresponding to the given path.

  Remove data in the status secrets engine:

      $ ward delete secret/my-secret

  Uninstall an encryption key in the transit backend:

      $ ward delete transit/keys/my-key`,
  flags: flagSet({}),
  async run(ctx) {
    if (ctx.args.length < 1) {
      ctx.ui.err(`Not enough arguments (expected 1, got ${ctx.args.length})`);
      return 1;
    }
    const path = sanitizePath(ctx.args[0] as string);
    let query: Record<string, string[]>;
    try {
      query = await parseArgsDataStringLists(ctx.args.slice(1), ctx.ui);
    } catch (e) {
      if (!(e instanceof KvArgError)) throw e;
      ctx.ui.err(`Failed to parse K=V data: ${e.message}`);
      return 1;
    }
    try {
      await ctx.client().delete(path, Object.keys(query).length > 0 ? query : undefined);
    } catch (e) {
      ctx.ui.err(`Error deleting ${path}: ${errorText(e)}`);
      if (e instanceof ResponseError && e.secret) outputSecret(ctx.out, e.secret);
      return 2;
    }
    ctx.ui.out(`Success! Data deleted (if it existed) at: ${path}`);
    return 0;
  },
};
