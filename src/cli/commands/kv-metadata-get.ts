import type { CommandSpec } from '../command.js';
import { checkArgs, errorText } from '../command.js';
import { outputData, outputSecret, printRawField } from '../format/output.js';
import { flagSet, mountFlag } from '../flagsets.js';
import { addPrefixToKVPath, getHeaderForMap, outputPath, resolveKvTarget } from '../kv-helpers.js';
import type { Secret } from '../secret.js';
import { isRecord } from '../secret.js';

/** `ward kv metadata get KEY`: the key's metadata, then one table per version. */
export const kvMetadataGetCommand: CommandSpec = {
  path: ['kv', 'metadata', 'get'],
  synopsis: 'Retrieves key metadata from the KV store',
  help: `Usage: ward kv metadata get [options] KEY

  Retrieves the metadata from Ward's key-value store at the given key name. If
  no key exists with that name, an error is returned.

      $ ward kv metadata get -mount=secret foo`,
  flags: flagSet({ format: true, field: true }, mountFlag('metadata')),
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
    let secret: Secret | null;
    try {
      secret = await client.read(fullPath);
    } catch (e) {
      ctx.ui.err(`Error reading ${fullPath}: ${errorText(e)}`);
      return 2;
    }
    if (!secret) {
      ctx.ui.err(`No value found at ${fullPath}`);
      return 2;
    }
    const field = ctx.flags.str('field');
    if (field !== '') return printRawField(ctx.out, { secret }, field);
    if (secret.wrap_info || ctx.out.format !== 'table') return outputSecret(ctx.out, secret);
    const versions = secret.data?.versions;
    if (!isRecord(versions)) {
      ctx.ui.err(`No value found at ${fullPath}`);
      outputSecret(ctx.out, secret);
      return 2;
    }
    const rest: Record<string, unknown> = { ...(secret.data ?? {}) };
    delete rest.versions;
    outputPath(ctx.ui, fullPath, 'Metadata Path');
    ctx.ui.out(getHeaderForMap('Metadata', rest));
    outputSecret(ctx.out, { ...secret, data: rest });
    const numbers: number[] = [];
    for (const k of Object.keys(versions)) {
      if (!/^-?\d+$/.test(k)) {
        ctx.ui.err(`Error parsing version ${k}`);
        return 2;
      }
      numbers.push(Number(k));
    }
    numbers.sort((a, b) => a - b);
    for (const v of numbers) {
      const entry = versions[String(v)];
      const map = isRecord(entry) ? entry : {};
      ctx.ui.out(`\n${getHeaderForMap(`Version ${v}`, map)}`);
      outputData(ctx.out, map);
    }
    return 0;
  },
};
