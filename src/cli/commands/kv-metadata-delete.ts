import type { CommandSpec } from '../command.js';
import { checkArgs, errorText } from '../command.js';
import { ResponseError } from '../client.js';
import { outputSecret } from '../format/output.js';
import { flagSet, mountFlag } from '../flagsets.js';
import { addPrefixToKVPath, resolveKvTarget } from '../kv-helpers.js';

/** `ward kv metadata delete KEY`: removes every version and the metadata of a key. */
export const kvMetadataDeleteCommand: CommandSpec = {
  path: ['kv', 'metadata', 'delete'],
  synopsis: 'Deletes all versions and metadata for a key in the KV store',
  help: `Usage: ward kv metadata delete [options] PATH

  Deletes all versions and metadata for the provided key.

      $ ward kv metadata delete -mount=secret foo`,
  flags: flagSet({}, mountFlag('metadata')),
  async run(ctx) {
    const bad = checkArgs(ctx.args, 1);
    if (bad) {
      ctx.ui.err(bad);
      return 1;
    }
    const client = ctx.client();
    let target;
    try {
      target = await resolveKvTarget(client, ctx.args[0] as string, ctx.flags.str('mount'));
    } catch (e) {
      ctx.ui.err(errorText(e));
      return 2;
    }
    if (!target.v2) {
      ctx.ui.err('Metadata not supported on KV Version 1');
      return 1;
    }
    const fullPath = addPrefixToKVPath(target.partialPath, target.mountPath, 'metadata');
    try {
      await client.delete(fullPath);
    } catch (e) {
      ctx.ui.err(`Error deleting ${fullPath}: ${errorText(e)}`);
      if (e instanceof ResponseError && e.secret) outputSecret(ctx.out, e.secret);
      return 2;
    }
    ctx.ui.out(`Success! Data deleted (if it existed) at: ${fullPath}`);
    return 0;
  },
};
