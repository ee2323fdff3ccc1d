import type { CommandSpec } from '../command.js';
import { errorText, sanitizePath } from '../command.js';
import { outputSecret, printRawField } from '../format/output.js';
import { flagSet } from '../flagsets.js';
import { KvArgError, parseArgsDataStringLists } from '../kv-args.js';

/** `ward read PATH [K=V...]`: reads a path (extra pairs become query parameters). */
export const readCommand: CommandSpec = {
  path: ['read'],
  synopsis: 'Read data and retrieves secrets',
  help: `Usage: ward read [options] PATH

  Reads data from Ward at the given path. This can be used to read secrets,
  generate dynamic credentials, get configuration details, and more.

  Read details of your own token:

      $ ward read auth/token/lookup-self

  Generate credentials for my-role in a database secrets engine:

      $ ward read database/creds/my-role

  For a full list of examples and paths, please see the documentation that
  corresponds to the secrets engine in use.`,
  flags: flagSet({ format: true, field: true }),
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
    const hasQuery = Object.keys(query).length > 0;
    const client = ctx.client();
    if (ctx.out.format === 'raw') {
      let res;
      try {
        res = await client.call('GET', path, hasQuery ? { query } : {});
      } catch (e) {
        ctx.ui.err(`Error reading: ${path}: ${errorText(e)}`);
        return 2;
      }
      if (res.text === '') {
        ctx.ui.err(`No value found at ${path}`);
        return 2;
      }
      ctx.ui.out(res.text);
      return 0;
    }
    let secret;
    try {
      secret = await client.read(path, hasQuery ? query : undefined);
    } catch (e) {
      ctx.ui.err(`Error reading ${path}: ${errorText(e)}`);
      return 2;
    }
    if (!secret) {
      ctx.ui.err(`No value found at ${path}`);
      return 2;
    }
    const field = ctx.flags.str('field');
    if (field !== '') return printRawField(ctx.out, { secret }, field);
    return outputSecret(ctx.out, secret);
  },
};

