import type { CommandSpec } from '../command.js';
import { checkArgs, errorText } from '../command.js';
import { ResponseError } from '../client.js';
import { outputSecret, printRawField } from '../format/output.js';
import { flagSet, mountFlag } from '../flagsets.js';
import { addPrefixToKVPath, kvApiPath, parseVersionsFlags, resolveKvTarget } from '../kv-helpers.js';
import type { Secret } from '../secret.js';

/** `ward kv delete KEY`: soft-deletes the latest version (or `-versions`) of a v2 secret; deletes a v1 one. */
export const kvDeleteCommand: CommandSpec = {
  path: ['kv', 'delete'],
  synopsis: 'Deletes versions in the KV store',
  help: `Usage: ward kv delete [options] PATH

  Deletes the data for the provided version and path in the key-value store.
  The versioned data will not be fully removed, but marked as deleted and will
  no longer be returned in normal get requests.

  To delete the latest version of the key "foo":

      $ ward kv delete -mount=secret foo

  To delete version 3 of key foo:

      $ ward kv delete -mount=secret -versions=3 foo`,
  flags: flagSet({ format: true, field: true }, { name: 'versions', kind: 'strings', section: 'Common Options', usage: 'Specifies the version numbers to delete.' }, mountFlag('data')),
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
    const versions = parseVersionsFlags(ctx.flags.list('versions'));
    const fullPath = kvApiPath(target, 'data');
    let secret: Secret | null;
    try {
      if (target.v2 && versions.length > 0) secret = await client.write(addPrefixToKVPath(target.partialPath, target.mountPath, 'delete'), { versions });
      else secret = await client.delete(fullPath);
    } catch (e) {
      ctx.ui.err(`Error deleting ${fullPath}: ${errorText(e)}`);
      if (e instanceof ResponseError && e.secret) outputSecret(ctx.out, e.secret);
      return 2;
    }
    if (!secret) {
      if (ctx.out.format === 'table') ctx.ui.out(`Success! Data deleted (if it existed) at: ${fullPath}`);
      return 0;
    }
    const field = ctx.flags.str('field');
    if (field !== '') return printRawField(ctx.out, { secret }, field);
    return outputSecret(ctx.out, secret);
  },
};
