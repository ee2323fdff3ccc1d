import type { CommandSpec } from '../command.js';
import { errorText } from '../command.js';
import { ResponseError } from '../client.js';
import { outputData, outputSecret, printRawField } from '../format/output.js';
import { flagSet, mountFlag } from '../flagsets.js';
import { KvArgError, parseArgsData } from '../kv-args.js';
import { getHeaderForMap, kvApiPath, outputPath, resolveKvTarget } from '../kv-helpers.js';
import type { Secret } from '../secret.js';

/** `ward kv put KEY K=V...`: writes a KV secret (v2: `{data, options: {cas}}`). */
export const kvPutCommand: CommandSpec = {
  path: ['kv', 'put'],
  synopsis: 'Sets or updates data in the KV store',
  help: `Usage: ward kv put [options] KEY [DATA]

  Writes the data to the given path in the key-value store. The data can be of
  any type.

      $ ward kv put -mount=secret foo bar=baz

  The deprecated path-like syntax can also be used, but this should be avoided
  for KV v2, as the fact that it is not actually the full API path to the
  secret (secret/data/foo) can cause confusion:

      $ ward kv put secret/foo bar=baz

  The data can also be consumed from a file on disk by prefixing with the "@"
  symbol. For example:

      $ ward kv put -mount=secret foo @data.json

  Or it can be read from stdin using the "-" symbol:

      $ echo "abcd1234" | ward kv put -mount=secret foo bar=-

  To perform a Check-And-Set operation, specify the -cas flag with the
  appropriate version number corresponding to the key you want to perform the
  CAS operation on:

      $ ward kv put -mount=secret -cas=1 foo bar=baz`,
  flags: flagSet(
    { format: true, field: true },
    {
      name: 'cas',
      kind: 'int',
      default: -1,
      section: 'Common Options',
      usage: 'Specifies to use a Check-And-Set operation. If not set the write will be allowed. If set to 0 a write will only be allowed if the key doesn\'t exist. If the index is non-zero the write will only be allowed if the key\'s current version matches the version specified in the cas parameter.',
    },
    mountFlag('data'),
  ),
  async run(ctx) {
    if (ctx.args.length < 1) {
      ctx.ui.err(`Not enough arguments (expected >1, got ${ctx.args.length})`);
      return 1;
    }
    if (ctx.args.length === 1) {
      ctx.ui.err('Must supply data');
      return 1;
    }
    const cas = ctx.flags.int('cas');
    let data: Record<string, unknown>;
    try {
      data = await parseArgsData(ctx.args.slice(1), ctx.ui);
    } catch (e) {
      if (!(e instanceof KvArgError)) throw e;
      ctx.ui.err(`Failed to parse K=V data: ${e.message}`);
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
    const fullPath = kvApiPath(target, 'data');
    const body: Record<string, unknown> = target.v2 ? { data, options: cas > -1 ? { cas } : {} } : data;
    let secret: Secret | null;
    try {
      secret = await client.write(fullPath, body);
    } catch (e) {
      ctx.ui.err(`Error writing data to ${fullPath}: ${errorText(e)}`);
      if (e instanceof ResponseError && e.secret) outputSecret(ctx.out, e.secret);
      return 2;
    }
    if (!secret) {
      if (ctx.out.format === 'table') ctx.ui.out(`Success! Data written to: ${fullPath}`);
      return 0;
    }
    const field = ctx.flags.str('field');
    if (field !== '') return printRawField(ctx.out, { secret }, field);
    if (ctx.out.format === 'table') {
      outputPath(ctx.ui, fullPath, 'Secret Path');
      const metadata = secret.data ?? {};
      ctx.ui.out(getHeaderForMap('Metadata', metadata));
      return outputData(ctx.out, metadata);
    }
    return outputSecret(ctx.out, secret);
  },
};
