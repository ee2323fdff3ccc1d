import type { CommandSpec } from '../command.js';
import { checkArgs, errorText, sanitizePath } from '../command.js';
import { outputData, outputList, outputSecret } from '../format/output.js';
import { flagSet } from '../flagsets.js';
import type { Secret } from '../secret.js';

/** Vault's extractListData: whether the response has a `keys` list. */
export function hasListKeys(secret: Secret | null): boolean {
  return Array.isArray(secret?.data?.keys);
}

/** Prints a list response as Vault's list commands do (shared by `list` and `kv list`). */
export function printListResult(ctx: Parameters<CommandSpec['run']>[0], path: string, secret: Secret | null): number {
  if (secret?.wrap_info && secret.wrap_info.ttl !== 0) return outputSecret(ctx.out, secret);
  const ok = hasListKeys(secret);
  if (ctx.out.format !== 'table' && (!secret || !secret.data || !ok)) {
    outputData(ctx.out, {});
    return 2;
  }
  if (!secret) {
    ctx.ui.err(`No value found at ${path}`);
    return 2;
  }
  if (!secret.data) return outputSecret(ctx.out, secret);
  if (!ok) {
    ctx.ui.err(`No entries found at ${path}`);
    return 2;
  }
  return outputList(ctx.out, secret);
}

/** `ward list PATH`: `GET <path>?list=true`, keys printed sorted. */
export const listCommand: CommandSpec = {
  path: ['list'],
  synopsis: 'List data or secrets',
  help: `Usage: ward list [options] PATH

  Lists data from Ward at the given path. This can be used to list keys in a
  given secrets engine.

  List values under the "my-app" folder of the generic secrets engine:

      $ ward list secret/my-app/

  For a full list of examples and paths, please see the documentation that
  corresponds to the secrets engine in use. Not all engines support listing.`,
  flags: flagSet(
    { format: true },
    { name: 'detailed', kind: 'bool', env: ['WARD_DETAILED_LISTS', 'VAULT_DETAILED_LISTS'], section: 'List Options', usage: 'Enables additional metadata during some LIST operations' },
  ),
  async run(ctx) {
    const bad = checkArgs(ctx.args, 1);
    if (bad) {
      ctx.ui.err(bad);
      return 1;
    }
    const path = sanitizePath(ctx.args[0] as string);
    let secret: Secret | null;
    try {
      secret = await ctx.client().list(path);
    } catch (e) {
      ctx.ui.err(`Error listing ${path}: ${errorText(e)}`);
      return 2;
    }
    return printListResult(ctx, path, secret);
  },
};
