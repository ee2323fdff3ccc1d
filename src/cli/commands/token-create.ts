import type { CommandSpec } from '../command.js';
import { checkArgs, errorText } from '../command.js';
import { goDurationString } from '../format/duration.js';
import { outputSecret, printRawField } from '../format/output.js';
import { flagSet } from '../flagsets.js';
import type { Secret } from '../secret.js';

/**
 * The body Vault's TokenCreateRequest marshals to: `id`, `policies`, `meta`, `no_parent` and `no_default_policy`
 * only when set, the durations always (as Go's Duration.String(), so `0s` when not given), the rest always.
 */
export function tokenCreateBody(o: {
  id: string;
  policies: string[];
  metadata: Record<string, string> | undefined;
  ttl: bigint;
  explicitMaxTTL: bigint;
  period: bigint;
  orphan: boolean;
  noDefaultPolicy: boolean;
  displayName: string;
  useLimit: number;
  renewable: boolean;
  type: string;
  entityAlias: string;
}): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (o.id !== '') body.id = o.id;
  if (o.policies.length > 0) body.policies = o.policies;
  if (o.metadata && Object.keys(o.metadata).length > 0) body.meta = o.metadata;
  body.ttl = goDurationString(o.ttl);
  body.explicit_max_ttl = goDurationString(o.explicitMaxTTL);
  body.period = goDurationString(o.period);
  if (o.orphan) body.no_parent = true;
  if (o.noDefaultPolicy) body.no_default_policy = true;
  body.display_name = o.displayName;
  body.num_uses = o.useLimit;
  body.renewable = o.renewable;
  body.type = o.type;
  body.entity_alias = o.entityAlias;
  return body;
}

/** `ward token create`: POST auth/token/create (or create/<role>). */
export const tokenCreateCommand: CommandSpec = {
  path: ['token', 'create'],
  synopsis: 'Create a new token',
  help: `Usage: ward token create [options]

  Creates a new token that can be used for authentication. This token will be
  created as a child of the currently authenticated token. The generated token
  will inherit all policies and permissions of the currently authenticated
  token unless you explicitly define a subset list policies to assign to the
  token.

  A ttl can also be associated with the token. If a ttl is not associated
  with the token, then it cannot be renewed. If a ttl is associated with
  the token, it will expire after that amount of time unless it is renewed.

  Metadata associated with the token (specified with "-metadata") is written
  to the audit log when the token is used.

  If a role is specified, the role may override parameters specified here.`,
  flags: flagSet(
    { format: true, field: true },
    { name: 'id', kind: 'string', section: 'Command Options', usage: 'Value for the token. By default, this is an auto-generated string. Specifying this value requires sudo permissions.' },
    { name: 'display-name', kind: 'string', section: 'Command Options', usage: 'Name to associate with this token. This is a non-sensitive value that can be used to help identify created secrets (e.g. prefixes).' },
    {
      name: 'ttl',
      kind: 'duration',
      section: 'Command Options',
      usage: 'Initial TTL to associate with the token. Token renewals may be able to extend beyond this value, depending on the configured maximum TTLs. This is specified as a numeric string with suffix like "30s" or "5m".',
    },
    {
      name: 'explicit-max-ttl',
      kind: 'duration',
      section: 'Command Options',
      usage: 'Explicit maximum lifetime for the token. Unlike normal TTLs, the maximum TTL is a hard limit and cannot be exceeded. This is specified as a numeric string with suffix like "30s" or "5m".',
    },
    {
      name: 'period',
      kind: 'duration',
      section: 'Command Options',
      usage: 'If specified, every renewal will use the given period. Periodic tokens do not expire (unless -explicit-max-ttl is also provided). Setting this value requires sudo permissions. This is specified as a numeric string with suffix like "30s" or "5m".',
    },
    { name: 'renewable', kind: 'bool', default: true, section: 'Command Options', usage: "Allow the token to be renewed up to it's maximum TTL." },
    {
      name: 'orphan',
      kind: 'bool',
      section: 'Command Options',
      usage: 'Create the token with no parent. This prevents the token from being revoked when the token which created it expires. Setting this value requires root or sudo permissions.',
    },
    { name: 'no-default-policy', kind: 'bool', section: 'Command Options', usage: 'Detach the "default" policy from the policy set for this token.' },
    {
      name: 'use-limit',
      kind: 'int',
      section: 'Command Options',
      usage: 'Number of times this token can be used. After the last use, the token is automatically revoked. By default, tokens can be used an unlimited number of times until their expiration.',
    },
    {
      name: 'role',
      kind: 'string',
      section: 'Command Options',
      usage: 'Name of the role to create the token against. Specifying -role may override other arguments. The locally authenticated Ward token must have permission for "auth/token/create/<role>".',
    },
    { name: 'type', kind: 'string', default: 'service', section: 'Command Options', usage: 'The type of token to create. Can be "service" or "batch".' },
    {
      name: 'metadata',
      kind: 'map',
      section: 'Command Options',
      usage: 'Arbitrary key=value metadata to associate with the token. This metadata will show in the audit log when the token is used. This can be specified multiple times to add multiple pieces of metadata.',
    },
    { name: 'policy', kind: 'strings', section: 'Command Options', usage: 'Name of a policy to associate with this token. This can be specified multiple times to attach multiple policies.' },
    {
      name: 'entity-alias',
      kind: 'string',
      section: 'Command Options',
      usage: 'Name of the entity alias to associate with during token creation. Only works in combination with -role argument and used entity alias must be listed in allowed_entity_aliases. If this has been specified, the entity will not be inherited from the parent.',
    },
  ),
  async run(ctx) {
    const bad = checkArgs(ctx.args, 0);
    if (bad) {
      ctx.ui.err(bad);
      return 1;
    }
    const f = ctx.flags;
    const type = f.str('type');
    const body = tokenCreateBody({
      id: f.str('id'),
      policies: f.list('policy').map((p) => p.trim()),
      metadata: f.map('metadata'),
      ttl: f.duration('ttl'),
      explicitMaxTTL: f.duration('explicit-max-ttl'),
      period: f.duration('period'),
      orphan: f.bool('orphan'),
      noDefaultPolicy: f.bool('no-default-policy'),
      displayName: f.str('display-name'),
      useLimit: f.int('use-limit'),
      renewable: type === 'batch' ? false : f.bool('renewable'),
      type,
      entityAlias: f.str('entity-alias'),
    });
    const role = f.str('role');
    let secret: Secret | null;
    try {
      secret = await ctx.client().send('POST', role !== '' ? `auth/token/create/${role}` : 'auth/token/create', body);
    } catch (e) {
      ctx.ui.err(`Error creating token: ${errorText(e)}`);
      return 2;
    }
    if (!secret) {
      ctx.ui.err('Error creating token: empty response from server');
      return 2;
    }
    const field = f.str('field');
    if (field !== '') return printRawField(ctx.out, { secret }, field);
    return outputSecret(ctx.out, secret);
  },
};
