import { ResponseError } from '../client.js';
import type { CommandSpec } from '../command.js';
import { errorText } from '../command.js';
import { outputList, outputSecret, printRawField } from '../format/output.js';
import { flagSet } from '../flagsets.js';
import type { Secret } from '../secret.js';
import { hasListKeys } from './list.js';

/**
 * `ward unwrap [TOKEN]`: PUT sys/wrapping/unwrap as Vault's Logical().Unwrap sends it: with no local token the
 * wrapping token is the request's token; a different token goes in the body; without one, the local token is the
 * wrapping token.
 */
export const unwrapCommand: CommandSpec = {
  path: ['unwrap'],
  synopsis: 'Unwrap a wrapped secret',
  help: `Usage: ward unwrap [options] [TOKEN]

  Unwraps a wrapped secret from Ward by the given token. The result is the
  same as the "ward read" operation on the non-wrapped secret. If no token
  is given, the data in the currently authenticated token is unwrapped.

  Unwrap the data in the cubbyhole secrets engine for a token:

      $ ward unwrap 3de9ece1-b347-e143-29b0-dc2dc31caafd

  Unwrap the data in the active token:

      $ ward login 848f9ccf-7176-098c-5e2b-75a0689d41cd
      $ ward unwrap # unwraps 848f9ccf...

  For a full list of examples and paths, please see the online documentation.`,
  flags: flagSet({ format: true, field: true }),
  async run(ctx) {
    const args = ctx.args;
    if (args.length > 1) {
      ctx.ui.err(`Too many arguments (expected 0-1, got ${args.length})`);
      return 1;
    }
    const given = args.length === 1 ? (args[0] as string) : '';
    const wrappingToken = given.trim();
    const client = ctx.client();
    let secret: Secret | null;
    try {
      if (given !== '' && client.token === '') secret = await client.send('PUT', 'sys/wrapping/unwrap', undefined, { token: wrappingToken });
      else if (given !== '' && given !== client.token) secret = await client.send('PUT', 'sys/wrapping/unwrap', { token: wrappingToken });
      else secret = await client.send('PUT', 'sys/wrapping/unwrap');
    } catch (e) {
      // As Vault: a 404 that carries data is a wrapped 404 response, and is the answer.
      if (e instanceof ResponseError && e.statusCode === 404 && e.secret) secret = e.secret;
      else {
        ctx.ui.err(`Error unwrapping: ${errorText(e)}`);
        return 2;
      }
    }
    if (!secret) {
      if (ctx.out.format === 'table') ctx.ui.out('Successfully unwrapped. There was no data in the wrapped secret.');
      return 0;
    }
    const field = ctx.flags.str('field');
    if (field !== '') return printRawField(ctx.out, { secret }, field);
    if (hasListKeys(secret)) return outputList(ctx.out, secret);
    return outputSecret(ctx.out, secret);
  },
};
