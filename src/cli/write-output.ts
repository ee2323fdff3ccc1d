import type { CommandContext } from './command.js';
import { errorText, sanitizePath } from './command.js';
import { KvArgError, parseArgsData } from './kv-args.js';
import { ResponseError } from './client.js';
import { outputSecret, printRawField } from './format/output.js';
import type { Secret } from './secret.js';
import type { FlagSpec } from './flags.js';

/**
 * What `ward write` and `ward patch` print (Vault's handleWriteSecretOutput): the error, "Success! Data written
 * to: <path>" for an empty response in table format, a single `-field`, or the whole response.
 */
export async function writeAndOutput(ctx: CommandContext, path: string, op: () => Promise<Secret | null>): Promise<number> {
  let secret: Secret | null;
  try {
    secret = await op();
  } catch (e) {
    ctx.ui.err(`Error writing data to ${path}: ${errorText(e)}`);
    if (e instanceof ResponseError && e.secret) outputSecret(ctx.out, e.secret);
    return 2;
  }
  if (!secret) {
    if (ctx.out.format === 'table') ctx.ui.out(`Success! Data written to: ${path}`);
    return 0;
  }
  const field = ctx.flags.str('field');
  if (field !== '') return printRawField(ctx.out, { secret }, field);
  return outputSecret(ctx.out, secret);
}

/** `-force`/`-f` of `write` and `patch`: send a request with no data. */
export const forceFlag: FlagSpec = {
  name: 'force',
  kind: 'bool',
  aliases: ['f'],
  section: 'Command Options',
  usage: 'Allow the operation to continue with no key=value pairs. This allows writing to keys that do not need or expect data.',
};

/**
 * The body of `write` and `patch`: PATH then K=V pairs (or `-`/`@file` JSON), Vault's argument errors, then `send`
 * and the usual output.
 */
export async function runDataCommand(ctx: CommandContext, send: (path: string, data: Record<string, unknown>) => Promise<Secret | null>): Promise<number> {
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
  return writeAndOutput(ctx, path, () => send(path, data));
}
