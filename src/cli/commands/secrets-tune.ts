import type { CommandSpec } from '../command.js';
import { checkArgs, ensureTrailingSlash, errorText, sanitizePath } from '../command.js';
import { goDurationString } from '../format/duration.js';
import { flagSet } from '../flagsets.js';

/** Vault's ttlToAPI: unset → omitted, negative → "system", else the Go duration string. */
export function ttlToApi(ns: bigint): string | undefined {
  if (ns === 0n) return undefined;
  if (ns < 0n) return 'system';
  return goDurationString(ns);
}

/** `ward secrets tune PATH`: POST sys/mounts/<path>/tune with only the settings given. */
export const secretsTuneCommand: CommandSpec = {
  path: ['secrets', 'tune'],
  synopsis: 'Tune a secrets engine configuration',
  help: `Usage: ward secrets tune [options] PATH

  Tunes the configuration options for the secrets engine at the given PATH.
  The argument corresponds to the PATH where the secrets engine is enabled,
  not the TYPE!

  Tune the default lease for the PKI secrets engine:

      $ ward secrets tune -default-lease-ttl=72h pki/

  Upgrade a KV version 1 engine to version 2:

      $ ward secrets tune -options=version=2 secret/`,
  flags: flagSet(
    {},
    { name: 'default-lease-ttl', kind: 'duration', section: 'Command Options', usage: 'The default lease TTL for this secrets engine. If unspecified, this defaults to the Ward server\'s globally configured default lease TTL, or a previously configured value for the secrets engine.' },
    { name: 'max-lease-ttl', kind: 'duration', section: 'Command Options', usage: 'The maximum lease TTL for this secrets engine. If unspecified, this defaults to the Ward server\'s globally configured maximum lease TTL, or a previously configured value for the secrets engine.' },
    { name: 'description', kind: 'string', section: 'Command Options', usage: 'Human-friendly description of this secrets engine. This overrides the current stored value, if any.' },
    { name: 'options', kind: 'map', section: 'Command Options', usage: 'Key-value pair provided as key=value for the mount options. This can be specified multiple times.' },
    { name: 'version', kind: 'int', section: 'Command Options', usage: 'Select the version of the engine to run. Not supported by all engines.' },
  ),
  async run(ctx) {
    const bad = checkArgs(ctx.args, 1);
    if (bad) {
      ctx.ui.err(bad);
      return 1;
    }
    const f = ctx.flags;
    let options = f.map('options');
    const version = f.int('version');
    if (version > 0) options = { ...(options ?? {}), version: String(version) };
    const mountPath = ensureTrailingSlash(sanitizePath(ctx.args[0] as string));
    const body: Record<string, unknown> = {};
    const defaultTtl = ttlToApi(f.duration('default-lease-ttl'));
    const maxTtl = ttlToApi(f.duration('max-lease-ttl'));
    if (defaultTtl !== undefined) body.default_lease_ttl = defaultTtl;
    if (maxTtl !== undefined) body.max_lease_ttl = maxTtl;
    if (options) body.options = options;
    if (f.isSet('description')) body.description = f.str('description');
    try {
      await ctx.client().call('POST', `sys/mounts/${mountPath}tune`, { body });
    } catch (e) {
      ctx.ui.err(`Error tuning secrets engine ${mountPath}: ${errorText(e)}`);
      return 2;
    }
    ctx.ui.out(`Success! Tuned the secrets engine at: ${mountPath}`);
    return 0;
  },
};
