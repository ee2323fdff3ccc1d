import type { CommandSpec } from '../command.js';
import { checkArgs, ensureTrailingSlash, errorText } from '../command.js';
import { goDurationString } from '../format/duration.js';
import { flagSet } from '../flagsets.js';

/** `ward secrets enable TYPE`: POST sys/mounts/<path> with the mount input Vault's client sends. */
export const secretsEnableCommand: CommandSpec = {
  path: ['secrets', 'enable'],
  synopsis: 'Enable a secrets engine',
  help: `Usage: ward secrets enable [options] TYPE

  Enables a secrets engine. By default, secrets engines are enabled at the path
  corresponding to their TYPE, but users can customize the path using the
  -path option.

  Once enabled, Ward will route all requests which begin with the path to the
  secrets engine.

  Enable the AWS secrets engine at aws/:

      $ ward secrets enable aws

  Enable the SSH secrets engine at ssh-prod/:

      $ ward secrets enable -path=ssh-prod ssh

  Enable the database secrets engine with an explicit maximum TTL of 30m:

      $ ward secrets enable -max-lease-ttl=30m database

  Enable a KV version 2 engine at kv/:

      $ ward secrets enable -path=kv -version=2 kv`,
  flags: flagSet(
    {},
    { name: 'description', kind: 'string', section: 'Command Options', usage: 'Human-friendly description for the purpose of this engine.' },
    { name: 'path', kind: 'string', section: 'Command Options', usage: 'Place where the secrets engine will be accessible. This must be unique cross all secrets engines. This defaults to the "type" of the secrets engine.' },
    { name: 'default-lease-ttl', kind: 'duration', section: 'Command Options', usage: "The default lease TTL for this secrets engine. If unspecified, this defaults to the Ward server's globally configured default lease TTL." },
    { name: 'max-lease-ttl', kind: 'duration', section: 'Command Options', usage: "The maximum lease TTL for this secrets engine. If unspecified, this defaults to the Ward server's globally configured maximum lease TTL." },
    { name: 'force-no-cache', kind: 'bool', section: 'Command Options', usage: "Force the secrets engine to disable caching. If unspecified, this defaults to the Ward server's globally configured cache settings." },
    { name: 'plugin-name', kind: 'string', section: 'Command Options', usage: 'Name of the secrets engine plugin. This plugin name must already exist in Ward\'s plugin catalog.' },
    { name: 'options', kind: 'map', section: 'Command Options', usage: 'Key-value pair provided as key=value for the mount options. This can be specified multiple times.' },
    { name: 'local', kind: 'bool', section: 'Command Options', usage: 'Mark the secrets engine as local-only. Local engines are not replicated or removed by replication.' },
    { name: 'seal-wrap', kind: 'bool', section: 'Command Options', usage: 'Enable seal wrapping of critical values in the secrets engine.' },
    { name: 'version', kind: 'int', section: 'Command Options', usage: 'Select the version of the engine to run. Not supported by all engines.' },
  ),
  async run(ctx) {
    const bad = checkArgs(ctx.args, 1);
    if (bad) {
      ctx.ui.err(bad);
      return 1;
    }
    const f = ctx.flags;
    let engineType = (ctx.args[0] as string).trim();
    if (engineType === 'plugin') engineType = f.str('plugin-name');
    const mountPath = ensureTrailingSlash(f.str('path') || engineType);
    let options = f.map('options');
    const version = f.int('version');
    if (version > 0) options = { ...(options ?? {}), version: String(version) };
    const body: Record<string, unknown> = {
      type: engineType,
      description: f.str('description'),
      config: {
        default_lease_ttl: goDurationString(f.duration('default-lease-ttl')),
        max_lease_ttl: goDurationString(f.duration('max-lease-ttl')),
        force_no_cache: f.bool('force-no-cache'),
      },
      local: f.bool('local'),
      seal_wrap: f.bool('seal-wrap'),
      external_entropy_access: false,
      options: options ?? null,
    };
    try {
      await ctx.client().call('POST', `sys/mounts/${mountPath}`, { body });
    } catch (e) {
      ctx.ui.err(`Error enabling: ${errorText(e)}`);
      return 2;
    }
    ctx.ui.out(`Success! Enabled the ${engineType} secrets engine at: ${mountPath}`);
    return 0;
  },
};
