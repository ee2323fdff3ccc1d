import type { CommandContext, CommandSpec } from '../command.js';
import { errorText } from '../command.js';
import { ResponseError } from '../client.js';
import { outputData, outputSecret, printRawField } from '../format/output.js';
import { flagSet, mountFlag } from '../flagsets.js';
import { KvArgError, parseArgsData } from '../kv-args.js';
import { getHeaderForMap, kvApiPath, outputPath, resolveKvTarget } from '../kv-helpers.js';
import type { Secret } from '../secret.js';
import { isRecord } from '../secret.js';

type Outcome = { secret: Secret | null; code: number };

/** The pre-1.9 way: read the current version, merge locally, write back with `cas` = that version. */
async function readThenWrite(ctx: CommandContext, path: string, newData: Record<string, unknown>): Promise<Outcome> {
  const client = ctx.client();
  let current: Secret | null;
  try {
    current = await client.read(path);
  } catch (e) {
    ctx.ui.err(`Error doing pre-read at ${path}: ${errorText(e)}`);
    return { secret: null, code: 2 };
  }
  if (!current || !current.data) {
    ctx.ui.err(`No value found at ${path}`);
    return { secret: null, code: 2 };
  }
  const meta = current.data.metadata;
  if (meta === undefined || meta === null) {
    ctx.ui.err(`No metadata found at ${path}; patch only works on existing data`);
    return { secret: null, code: 2 };
  }
  if (!isRecord(meta)) {
    ctx.ui.err(`Metadata found at ${path} is not the expected type (JSON object)`);
    return { secret: null, code: 2 };
  }
  const data = current.data.data;
  if (data === undefined || data === null) {
    ctx.ui.err(`No data found at ${path}; patch only works on existing data`);
    return { secret: null, code: 2 };
  }
  if (!isRecord(data)) {
    ctx.ui.err(`Data found at ${path} is not the expected type (JSON object)`);
    return { secret: null, code: 2 };
  }
  const merged: Record<string, unknown> = { ...data, ...newData };
  let secret: Secret | null;
  try {
    secret = await client.write(path, { data: merged, options: { cas: meta.version } });
  } catch (e) {
    ctx.ui.err(`Error writing data to ${path}: ${errorText(e)}`);
    return { secret: null, code: 2 };
  }
  if (!secret && ctx.out.format === 'table') ctx.ui.out(`Success! Data written to: ${path}`);
  return { secret, code: 0 };
}

/** HTTP PATCH (merge patch); falls back to read-then-write on 405 and 403 unless `-method=patch`. */
async function mergePatch(ctx: CommandContext, path: string, newData: Record<string, unknown>, cas: number, fallback: boolean): Promise<Outcome> {
  const body: Record<string, unknown> = { data: newData, options: cas > 0 ? { cas } : {} };
  let secret: Secret | null;
  try {
    secret = await ctx.client().patch(path, body);
  } catch (e) {
    if (fallback && e instanceof ResponseError && e.statusCode === 405) return readThenWrite(ctx, path, newData);
    if (fallback && e instanceof ResponseError && e.statusCode === 403) {
      ctx.ui.err(`Data was written to ${path} but we recommend that you add the "patch" capability to your ACL policy in order to use HTTP PATCH in the future.`);
      return readThenWrite(ctx, path, newData);
    }
    ctx.ui.err(`Error writing data to ${path}: ${errorText(e)}`);
    return { secret: null, code: 2 };
  }
  if (!secret && ctx.out.format === 'table') ctx.ui.out(`Success! Data written to: ${path}`);
  return { secret, code: 0 };
}

/** `ward kv patch KEY K=V...`: updates some keys of a KV v2 secret, leaving the others. */
export const kvPatchCommand: CommandSpec = {
  path: ['kv', 'patch'],
  synopsis: 'Sets or updates data in the KV store without overwriting',
  help: `Usage: ward kv patch [options] KEY [DATA]

  *NOTE*: This is only supported for KV v2 engine mounts.

  Writes the data to the corresponding path in the key-value store. The data
  can be of any type.

      $ ward kv patch -mount=secret foo bar=baz

  By default, this operation will attempt an HTTP PATCH operation. If your
  policy does not allow that, it will fall back to a read/local update/write
  approach. -method=patch only tries PATCH; -method=rw only the read/write
  approach.

  To remove data from the corresponding path in the key-value store:

      $ ward kv patch -mount=secret -remove-data=bar foo`,
  flags: flagSet(
    { format: true, field: true },
    { name: 'cas', kind: 'int', default: 0, section: 'Common Options', usage: 'Specifies to use a Check-And-Set operation. If set to 0 or not set, the patch will be allowed. If the index is non-zero the patch will only be allowed if the key\'s current version matches the version specified in the cas parameter.' },
    { name: 'method', kind: 'string', section: 'Common Options', usage: 'Specifies which method of patching to use. If set to "patch", then an HTTP PATCH request will be issued. If set to "rw", then a read will be performed, then a local update, followed by a remote update.' },
    mountFlag('data'),
    { name: 'remove-data', kind: 'strings', section: 'Common Options', usage: 'Key to remove from data. To specify multiple values, specify this flag multiple times.' },
  ),
  async run(ctx) {
    const removeData = ctx.flags.list('remove-data');
    if (ctx.args.length < 1) {
      ctx.ui.err(`Not enough arguments (expected >1, got ${ctx.args.length})`);
      return 1;
    }
    if (removeData.length === 0 && ctx.args.length === 1) {
      ctx.ui.err('Must supply data');
      return 1;
    }
    const cas = ctx.flags.int('cas');
    let newData: Record<string, unknown>;
    try {
      newData = await parseArgsData(ctx.args.slice(1), ctx.ui);
    } catch (e) {
      if (!(e instanceof KvArgError)) throw e;
      ctx.ui.err(`Failed to parse K=V data: ${e.message}`);
      return 1;
    }
    let target;
    try {
      target = await resolveKvTarget(ctx.client(), ctx.args[0] as string, ctx.flags.str('mount'));
    } catch (e) {
      ctx.ui.err(errorText(e));
      return 2;
    }
    if (!target.v2) {
      ctx.ui.err('KV engine mount must be version 2 for patch support');
      return 2;
    }
    const fullPath = kvApiPath(target, 'data');
    for (const key of removeData) newData[key] = null;
    const method = ctx.flags.str('method');
    let outcome: Outcome;
    if (method === 'rw') outcome = await readThenWrite(ctx, fullPath, newData);
    else if (method === 'patch') outcome = await mergePatch(ctx, fullPath, newData, cas, false);
    else if (method === '') outcome = await mergePatch(ctx, fullPath, newData, cas, true);
    else {
      ctx.ui.err(`Unsupported method provided to -method flag: ${method}`);
      return 2;
    }
    if (outcome.code !== 0 || !outcome.secret) return outcome.code;
    const secret = outcome.secret;
    const field = ctx.flags.str('field');
    if (field !== '') return printRawField(ctx.out, { secret }, field);
    if (secret.wrap_info && secret.wrap_info.ttl !== 0) return outputSecret(ctx.out, secret);
    if (ctx.out.format === 'table') {
      outputPath(ctx.ui, fullPath, 'Secret Path');
      const metadata = secret.data ?? {};
      ctx.ui.out(getHeaderForMap('Metadata', metadata));
      return outputData(ctx.out, metadata);
    }
    return outputSecret(ctx.out, secret);
  },
};
