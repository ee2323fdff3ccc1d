import type { CommandSpec } from '../command.js';
import { checkArgs, errorText } from '../command.js';
import { outputData, outputSecret, printRawField, printWarnings } from '../format/output.js';
import { flagSet, mountFlag } from '../flagsets.js';
import { getHeaderForMap, kvApiPath, outputPath, resolveKvTarget } from '../kv-helpers.js';
import type { Secret } from '../secret.js';
import { isRecord } from '../secret.js';

/** `ward kv get KEY`: reads a KV secret; v2 prints the Secret Path, Metadata and Data sections. */
export const kvGetCommand: CommandSpec = {
  path: ['kv', 'get'],
  synopsis: 'Retrieves data from the KV store',
  help: `Usage: ward kv get [options] KEY

  Retrieves the value from Ward's key-value store at the given key name. If no
  key exists with that name, an error is returned. If a key exists with that
  name but has no data, nothing is returned.

      $ ward kv get -mount=secret foo

  The deprecated path-like syntax can also be used, but this should be avoided
  for KV v2, as the fact that it is not actually the full API path to the
  secret (secret/data/foo) can cause confusion:

      $ ward kv get secret/foo

  To view the given key name at a specific version in time, specify the
  "-version" flag:

      $ ward kv get -mount=secret -version=1 foo`,
  flags: flagSet(
    { format: true, field: true },
    { name: 'version', kind: 'int', section: 'Common Options', usage: 'If passed, the value at the version number will be returned.' },
    mountFlag('data'),
  ),
  async run(ctx) {
    const bad = checkArgs(ctx.args, 1);
    if (bad) {
      ctx.ui.err(bad);
      return 1;
    }
    const version = ctx.flags.int('version');
    const client = ctx.client();
    let target;
    try {
      target = await resolveKvTarget(client, (ctx.args[0] as string).replace(/^\//, ''), ctx.flags.str('mount'));
    } catch (e) {
      ctx.ui.err(errorText(e));
      return 2;
    }
    const fullPath = kvApiPath(target, 'data');
    let secret: Secret | null;
    try {
      secret = await client.read(fullPath, target.v2 && version > 0 ? { version: String(version) } : undefined);
    } catch (e) {
      ctx.ui.err(`Error reading ${fullPath}: ${errorText(e)}`);
      return 2;
    }
    if (!secret) {
      ctx.ui.err(`No value found at ${fullPath}`);
      return 2;
    }
    const field = ctx.flags.str('field');
    if (field !== '') {
      if (!target.v2) return printRawField(ctx.out, { secret }, field);
      const data = secret.data?.data;
      if (data === undefined || data === null) {
        ctx.ui.err(`No data found at ${fullPath}`);
        return 2;
      }
      if (field === 'data') {
        if (isRecord(data) && 'data' in data) return printRawField(ctx.out, { map: data }, field);
        return printRawField(ctx.out, { secret }, field);
      }
      return printRawField(ctx.out, { map: isRecord(data) ? data : {} }, field);
    }
    if (secret.wrap_info || ctx.out.format !== 'table') return outputSecret(ctx.out, secret);
    printWarnings(ctx.ui, secret);
    if (target.v2) outputPath(ctx.ui, fullPath, 'Secret Path');
    const metadata = secret.data?.metadata;
    if (isRecord(metadata)) {
      ctx.ui.out(getHeaderForMap('Metadata', metadata));
      outputData(ctx.out, metadata);
      ctx.ui.out('');
    }
    let data: Record<string, unknown> | null = secret.data;
    if (target.v2 && data) data = isRecord(data.data) ? data.data : null;
    if (data) {
      ctx.ui.out(getHeaderForMap('Data', data));
      outputData(ctx.out, data);
    }
    return 0;
  },
};
