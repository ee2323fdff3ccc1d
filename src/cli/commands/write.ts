import type { CommandSpec } from '../command.js';
import { sanitizePath } from '../command.js';
import { flagSet } from '../flagsets.js';
import { KvArgError, parseArgsData } from '../kv-args.js';
import { writeAndOutput } from '../write-output.js';

/** `ward write PATH [K=V...]`: PUT with the pairs (or `-`/`@file` JSON) as the body. */
export const writeCommand: CommandSpec = {
  path: ['write'],
  synopsis: 'Write data, configuration, and secrets',
  help: `Usage: ward write [options] PATH [DATA K=V...]

  Writes data to Ward at the given path. The data can be credentials, secrets,
  configuration, or arbitrary data. The specific behavior of this command is
  determined at the thing mounted at the path.

  Data is specified as "key=value" pairs. If the value begins with an "@", then
  it is loaded from a file. If the value is "-", Ward will read the value from
  stdin.

  Persist data in the generic secrets engine:

      $ ward write secret/my-secret foo=bar

  Create a new encryption key in the transit secrets engine:

      $ ward write -f transit/keys/my-key

  Upload a policy from a file on disk:

      $ ward write sys/policy/my-policy policy=@policy.hcl

  Read the value from stdin:

      $ cat my-data.json | ward write secret/my-secret -`,
  flags: flagSet(
    { format: true, field: true },
    {
      name: 'force',
      kind: 'bool',
      aliases: ['f'],
      section: 'Command Options',
      usage: 'Allow the operation to continue with no key=value pairs. This allows writing to keys that do not need or expect data.',
    },
  ),
  async run(ctx) {
    if (ctx.args.length < 1) {
      ctx.ui.err(`Not enough arguments (expected 1, got ${ctx.args.length})`);
      return 1;
    }
    if (ctx.args.length === 1 && !ctx.flags.bool('force')) {
      ctx.ui.err('Must supply data or use -force');
      return 1;
    }
    const path = sanitizePath(ctx.args[0] as string);
    let data: Record<string, unknown>;
    try {
      data = await parseArgsData(ctx.args.slice(1), ctx.ui);
    } catch (e) {
      if (!(e instanceof KvArgError)) throw e;
      ctx.ui.err(`Failed to parse K=V data: ${e.message}`);
      return 1;
    }
    const client = ctx.client();
    return writeAndOutput(ctx, path, () => client.write(path, data));
  },
};
