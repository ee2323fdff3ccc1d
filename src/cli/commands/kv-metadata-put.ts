import type { CommandSpec } from '../command.js';
import { checkArgs, errorText } from '../command.js';
import { ResponseError } from '../client.js';
import { goDurationString } from '../format/duration.js';
import { outputSecret } from '../format/output.js';
import { flagSet, mountFlag } from '../flagsets.js';
import { addPrefixToKVPath, resolveKvTarget } from '../kv-helpers.js';
import type { Secret } from '../secret.js';

/** `ward kv metadata put KEY`: sets a key's metadata (only the flags given are sent). */
export const kvMetadataPutCommand: CommandSpec = {
  path: ['kv', 'metadata', 'put'],
  synopsis: 'Sets or updates key settings in the KV store',
  help: `Usage: ward kv metadata put [options] KEY

  This command can be used to create a blank key in the key-value store or to
  update key configuration for a specified key.

  Create a key in the key-value store with no data:

      $ ward kv metadata put -mount=secret foo

  Set a max versions setting on the key:

      $ ward kv metadata put -mount=secret -max-versions=5 foo

  Require Check-and-Set for this key:

      $ ward kv metadata put -mount=secret -cas-required foo

  Set custom metadata on the key:

      $ ward kv metadata put -mount=secret -custom-metadata=foo=abc -custom-metadata=bar=123 foo`,
  flags: flagSet(
    { format: true },
    { name: 'max-versions', kind: 'int', default: -1, section: 'Common Options', usage: "The number of versions to keep. If not set, the backend's configured max version is used." },
    { name: 'cas-required', kind: 'bool', section: 'Common Options', usage: "If true the key will require the cas parameter to be set on all write requests. If false, the backend's configuration will be used." },
    { name: 'delete-version-after', kind: 'duration', default: '-1', section: 'Common Options', usage: 'Specifies the length of time before a version is deleted. If not set, the backend\'s configured delete-version-after is used. Cannot be greater than the backend\'s delete-version-after. The delete-version-after is specified as a numeric string with a suffix like "30s" or "3h25m19s".' },
    { name: 'custom-metadata', kind: 'map', section: 'Common Options', usage: 'Specifies arbitrary version-agnostic key=value metadata meant to describe a secret. This can be specified multiple times to add multiple pieces of metadata.' },
    mountFlag('metadata'),
  ),
  async run(ctx) {
    const bad = checkArgs(ctx.args, 1);
    if (bad) {
      ctx.ui.err(bad);
      return 1;
    }
    const f = ctx.flags;
    const data: Record<string, unknown> = {};
    const maxVersions = f.int('max-versions');
    if (maxVersions >= 0) data.max_versions = maxVersions;
    const casRequired = f.optionalBool('cas-required');
    if (f.isSet('cas-required') && casRequired !== undefined) data.cas_required = casRequired;
    const dva = f.duration('delete-version-after');
    if (dva >= 0n) data.delete_version_after = goDurationString(dva);
    const custom = f.map('custom-metadata');
    if (custom) data.custom_metadata = custom;
    const client = ctx.client();
    let target;
    try {
      target = await resolveKvTarget(client, ctx.args[0] as string, f.str('mount'));
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
      secret = await client.write(fullPath, data);
    } catch (e) {
      ctx.ui.err(`Error writing data to ${fullPath}: ${errorText(e)}`);
      if (e instanceof ResponseError && e.secret) outputSecret(ctx.out, e.secret);
      return 2;
    }
    if (!secret) {
      if (ctx.out.format === 'table') ctx.ui.out(`Success! Data written to: ${fullPath}`);
      return 0;
    }
    return outputSecret(ctx.out, secret);
  },
};
