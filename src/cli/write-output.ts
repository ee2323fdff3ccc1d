import type { CommandContext } from './command.js';
import { errorText } from './command.js';
import { ResponseError } from './client.js';
import { outputSecret, printRawField } from './format/output.js';
import type { Secret } from './secret.js';

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
