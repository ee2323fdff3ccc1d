import type { CommandSpec } from '../command.js';
import { checkArgs, ensureTrailingSlash, errorText, sanitizePath } from '../command.js';
import { flagSet } from '../flagsets.js';
import { ttlToApi } from './secrets-tune.js';

/** `ward auth tune PATH`: POST sys/mounts/auth/<path>/tune with only the settings given. */
export const authTuneCommand: CommandSpec = {
  path: ['auth', 'tune'],
  synopsis: 'Tunes an auth method configuration',
  help: `Usage: ward auth tune [options] PATH

  Tunes the configuration options for the auth method at the given PATH. The
  argument corresponds to the PATH where the auth method is enabled, not the
  TYPE!

  Tune the default lease for the userpass auth method:

      $ ward auth tune -default-lease-ttl=72h userpass/`,
  flags: flagSet(
    {},
    { name: 'audit-non-hmac-request-keys', kind: 'strings', section: 'Command Options', usage: "Key that will not be HMAC'd by audit devices in the request data object. To specify multiple values, specify this flag multiple times." },
    { name: 'audit-non-hmac-response-keys', kind: 'strings', section: 'Command Options', usage: "Key that will not be HMAC'd by audit devices in the response data object. To specify multiple values, specify this flag multiple times." },
    { name: 'default-lease-ttl', kind: 'duration', section: 'Command Options', usage: "The default lease TTL for this auth method. If unspecified, this defaults to the Ward server's globally configured default lease TTL, or a previously configured value for the auth method." },
    { name: 'description', kind: 'string', section: 'Command Options', usage: 'Human-friendly description of the this auth method. This overrides the current stored value, if any.' },
    { name: 'listing-visibility', kind: 'string', section: 'Command Options', usage: 'Determines the visibility of the mount in the UI-specific listing endpoint.' },
    { name: 'max-lease-ttl', kind: 'duration', section: 'Command Options', usage: "The maximum lease TTL for this auth method. If unspecified, this defaults to the Ward server's globally configured maximum lease TTL, or a previously configured value for the auth method." },
    { name: 'passthrough-request-headers', kind: 'strings', section: 'Command Options', usage: 'Request header value that will be sent to the plugin. To specify multiple values, specify this flag multiple times.' },
    { name: 'allowed-response-headers', kind: 'strings', section: 'Command Options', usage: 'Response header value that plugins will be allowed to set. To specify multiple values, specify this flag multiple times.' },
    { name: 'options', kind: 'map', section: 'Command Options', usage: 'Key-value pair provided as key=value for the mount options. This can be specified multiple times.' },
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
    let options = f.map('options');
    const version = f.int('version');
    if (version > 0) options = { ...(options ?? {}), version: String(version) };
    const body: Record<string, unknown> = {};
    const defaultTtl = ttlToApi(f.duration('default-lease-ttl'));
    const maxTtl = ttlToApi(f.duration('max-lease-ttl'));
    if (defaultTtl !== undefined) body.default_lease_ttl = defaultTtl;
    if (maxTtl !== undefined) body.max_lease_ttl = maxTtl;
    if (options) body.options = options;
    if (f.isSet('description')) body.description = f.str('description');
    if (f.isSet('audit-non-hmac-request-keys')) body.audit_non_hmac_request_keys = f.list('audit-non-hmac-request-keys');
    if (f.isSet('audit-non-hmac-response-keys')) body.audit_non_hmac_response_keys = f.list('audit-non-hmac-response-keys');
    if (f.isSet('listing-visibility')) body.listing_visibility = f.str('listing-visibility');
    if (f.isSet('passthrough-request-headers')) body.passthrough_request_headers = f.list('passthrough-request-headers');
    if (f.isSet('allowed-response-headers')) body.allowed_response_headers = f.list('allowed-response-headers');
    if (f.isSet('token-type')) body.token_type = f.str('token-type');
    const mountPath = ensureTrailingSlash(sanitizePath(ctx.args[0] as string));
    try {
      await ctx.client().call('POST', `sys/mounts/auth/${mountPath}tune`, { body });
    } catch (e) {
      ctx.ui.err(`Error tuning auth method ${mountPath}: ${errorText(e)}`);
      return 2;
    }
    ctx.ui.out(`Success! Tuned the auth method at: ${mountPath}`);
    return 0;
  },
};
