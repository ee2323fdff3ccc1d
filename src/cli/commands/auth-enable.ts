import type { CommandSpec } from '../command.js';
import { checkArgs, ensureTrailingSlash, errorText } from '../command.js';
import { goDurationString } from '../format/duration.js';
import { flagSet } from '../flagsets.js';

/** `ward auth enable TYPE`: POST sys/auth/<path> with the mount input Vault's client sends. */
export const authEnableCommand: CommandSpec = {
  path: ['auth', 'enable'],
  synopsis: 'Enables a new auth method',
  help: `Usage: ward auth enable [options] TYPE

  Enables a new auth method. An auth method is responsible for authenticating
  users or machines and assigning them policies with which they can access
  Ward.

  Enable the userpass auth method at userpass/:

      $ ward auth enable userpass

  Enable the AppRole auth method at approle-prod/:

      $ ward auth enable -path=approle-prod approle`,
  flags: flagSet(
    {},
    { name: 'description', kind: 'string', section: 'Command Options', usage: 'Human-friendly description for the purpose of this auth method.' },
    {
      name: 'path',
      kind: 'string',
      section: 'Command Options',
      usage: 'Place where the auth method will be accessible. This must be unique across all auth methods. This defaults to the "type" of the auth method. The auth method will be accessible at "/auth/<path>".',
    },
    { name: 'default-lease-ttl', kind: 'duration', section: 'Command Options', usage: "The default lease TTL for this auth method. If unspecified, this defaults to the Ward server's globally configured default lease TTL." },
    { name: 'max-lease-ttl', kind: 'duration', section: 'Command Options', usage: "The maximum lease TTL for this auth method. If unspecified, this defaults to the Ward server's globally configured maximum lease TTL." },
    { name: 'audit-non-hmac-request-keys', kind: 'strings', section: 'Command Options', usage: "Key that will not be HMAC'd by audit devices in the request data object. To specify multiple values, specify this flag multiple times." },
    { name: 'audit-non-hmac-response-keys', kind: 'strings', section: 'Command Options', usage: "Key that will not be HMAC'd by audit devices in the response data object. To specify multiple values, specify this flag multiple times." },
    { name: 'listing-visibility', kind: 'string', section: 'Command Options', usage: 'Determines the visibility of the mount in the UI-specific listing endpoint.' },
    { name: 'passthrough-request-headers', kind: 'strings', section: 'Command Options', usage: 'Request header value that will be sent to the plugin. To specify multiple values, specify this flag multiple times.' },
    { name: 'allowed-response-headers', kind: 'strings', section: 'Command Options', usage: 'Response header value that plugins will be allowed to set. To specify multiple values, specify this flag multiple times.' },
    { name: 'plugin-name', kind: 'string', section: 'Command Options', usage: "Name of the auth method plugin. This plugin name must already exist in the Ward server's plugin catalog." },
    { name: 'options', kind: 'map', section: 'Command Options', usage: 'Key-value pair provided as key=value for the mount options. This can be specified multiple times.' },
    { name: 'local', kind: 'bool', section: 'Command Options', usage: 'Mark the auth method as local-only. Local auth methods are not replicated nor removed by replication.' },
    { name: 'seal-wrap', kind: 'bool', section: 'Command Options', usage: 'Enable seal wrapping of critical values in the secrets engine.' },
    { name: 'external-entropy-access', kind: 'bool', section: 'Command Options', usage: "Enable auth method to access Ward's external entropy source." },
    { name: 'token-type', kind: 'string', section: 'Command Options', usage: 'Sets a forced token type for the mount.' },
    { name: 'version', kind: 'int', section: 'Command Options', usage: 'Select the version of the auth method to run. Not supported by all auth methods.' },
  ),
  async run(ctx) {
    const bad = checkArgs(ctx.args, 1);
    if (bad) {
      ctx.ui.err(bad);
      return 1;
    }
    const f = ctx.flags;
    let authType = (ctx.args[0] as string).trim();
    if (authType === 'plugin') authType = f.str('plugin-name');
    const authPath = ensureTrailingSlash(f.str('path') || authType);
    let options = f.map('options');
    const version = f.int('version');
    if (version > 0) options = { ...(options ?? {}), version: String(version) };
    const config: Record<string, unknown> = {
      default_lease_ttl: goDurationString(f.duration('default-lease-ttl')),
      max_lease_ttl: goDurationString(f.duration('max-lease-ttl')),
      force_no_cache: false,
    };
    // As Vault: these are sent only when given on the command line.
    if (f.isSet('audit-non-hmac-request-keys')) config.audit_non_hmac_request_keys = f.list('audit-non-hmac-request-keys');
    if (f.isSet('audit-non-hmac-response-keys')) config.audit_non_hmac_response_keys = f.list('audit-non-hmac-response-keys');
    if (f.isSet('listing-visibility')) config.listing_visibility = f.str('listing-visibility');
    if (f.isSet('passthrough-request-headers')) config.passthrough_request_headers = f.list('passthrough-request-headers');
    if (f.isSet('allowed-response-headers')) config.allowed_response_headers = f.list('allowed-response-headers');
    if (f.isSet('token-type')) config.token_type = f.str('token-type');
    const body = {
      type: authType,
      description: f.str('description'),
      config,
      local: f.bool('local'),
      seal_wrap: f.bool('seal-wrap'),
      external_entropy_access: f.bool('external-entropy-access'),
      options: options ?? null,
    };
    try {
      await ctx.client().call('POST', `sys/auth/${authPath}`, { body });
    } catch (e) {
      ctx.ui.err(`Error enabling ${authType} auth: ${errorText(e)}`);
      return 2;
    }
    ctx.ui.out(`Success! Enabled ${authType} auth method at: ${authPath}`);
    return 0;
  },
};
