import { field } from './fields.js';
import { invalidRequest } from '../lib/errors.js';
import type { AuthResponse } from './types.js';

/**
 * The `token_*` fields every auth method's roles share (Vault's tokenutil), with their legacy aliases. Spread
 * `tokenFields` into a path's fields, then turn the parsed values into stored settings with `readTokenSettings` and
 * into a login's `AuthResponse` with `authFromSettings`.
 */
export const tokenFields = {
  token_policies: field.commaStringList({ description: 'Policies attached to tokens issued through this role or user.' }),
  policies: field.commaStringList({ description: 'Deprecated alias of token_policies.' }),
  token_ttl: field.duration({ description: 'Initial TTL of issued tokens (0 = mount/system default).' }),
  ttl: field.duration({ description: 'Deprecated alias of token_ttl.' }),
  token_max_ttl: field.duration({ description: 'Maximum lifetime of issued tokens, renewals included.' }),
  max_ttl: field.duration({ description: 'Deprecated alias of token_max_ttl.' }),
  token_explicit_max_ttl: field.duration({ description: 'Hard cap on the lifetime of issued tokens.' }),
  token_period: field.duration({ description: 'Makes issued tokens periodic: each renewal resets the TTL to this.' }),
  period: field.duration({ description: 'Deprecated alias of token_period.' }),
  token_num_uses: field.int({ description: 'Uses allowed per issued token (0 = unlimited).' }),
  token_no_default_policy: field.bool({ description: 'Do not add the default policy to issued tokens.' }),
  token_bound_cidrs: field.commaStringList({ description: 'CIDR blocks from which issued tokens may be used.' }),
  bound_cidrs: field.commaStringList({ description: 'Deprecated alias of token_bound_cidrs.' }),
  token_type: field.string({ description: 'Type of issued tokens: service, batch, default, default-service, default-batch.' }),
};

/** What a role or user stores about the tokens it issues. Durations in seconds. */
export interface TokenSettings {
  tokenPolicies: string[];
  tokenTTL: number;
  tokenMaxTTL: number;
  tokenExplicitMaxTTL: number;
  tokenPeriod: number;
  tokenNumUses: number;
  tokenNoDefaultPolicy: boolean;
  tokenBoundCidrs: string[];
  tokenType: 'default' | 'service' | 'batch';
}

export const defaultTokenSettings: TokenSettings = {
  tokenPolicies: [],
  tokenTTL: 0,
  tokenMaxTTL: 0,
  tokenExplicitMaxTTL: 0,
  tokenPeriod: 0,
  tokenNumUses: 0,
  tokenNoDefaultPolicy: false,
  tokenBoundCidrs: [],
  tokenType: 'default',
};

type ParsedTokenFields = { [K in keyof typeof tokenFields]?: unknown };

/**
 * Merges parsed token fields over `current` (create: defaults; update: the stored settings). The new name wins
 * over its legacy alias. Refuses impossible combinations with a clear 400.
 */
export function readTokenSettings(parsed: ParsedTokenFields, current: TokenSettings = defaultTokenSettings): TokenSettings {
  const pick = <T>(name: keyof typeof tokenFields, alias: keyof typeof tokenFields | undefined, fallback: T): T =>
    (parsed[name] !== undefined ? parsed[name] : alias !== undefined && parsed[alias] !== undefined ? parsed[alias] : fallback) as T;
  const type = pick<string>('token_type', undefined, current.tokenType);
  const tokenType = type === 'default-service' ? 'service' : type === 'default-batch' ? 'batch' : type;
  if (!['default', 'service', 'batch'].includes(tokenType)) throw invalidRequest(`invalid 'token_type' value "${type}"`);
  const settings: TokenSettings = {
    tokenPolicies: pick('token_policies', 'policies', current.tokenPolicies),
    tokenTTL: pick('token_ttl', 'ttl', current.tokenTTL),
    tokenMaxTTL: pick('token_max_ttl', 'max_ttl', current.tokenMaxTTL),
    tokenExplicitMaxTTL: pick('token_explicit_max_ttl', undefined, current.tokenExplicitMaxTTL),
    tokenPeriod: pick('token_period', 'period', current.tokenPeriod),
    tokenNumUses: pick('token_num_uses', undefined, current.tokenNumUses),
    tokenNoDefaultPolicy: pick('token_no_default_policy', undefined, current.tokenNoDefaultPolicy),
    tokenBoundCidrs: pick('token_bound_cidrs', 'bound_cidrs', current.tokenBoundCidrs),
    tokenType: tokenType as TokenSettings['tokenType'],
  };
  if (settings.tokenNumUses < 0) throw invalidRequest('token_num_uses cannot be negative');
  if (settings.tokenMaxTTL > 0 && settings.tokenTTL > settings.tokenMaxTTL) throw invalidRequest('"token_ttl" value must be less than "token_max_ttl" value');
  if (settings.tokenExplicitMaxTTL > 0 && settings.tokenTTL > settings.tokenExplicitMaxTTL) throw invalidRequest('"token_ttl" value must be less than "token_explicit_max_ttl" value');
  if (settings.tokenType === 'batch' && (settings.tokenPeriod > 0 || settings.tokenNumUses > 0 || settings.tokenExplicitMaxTTL > 0)) {
    throw invalidRequest('batch tokens cannot have a period, a use limit or an explicit max TTL');
  }
  if (settings.tokenPeriod > 0 && settings.tokenNumUses > 0) throw invalidRequest('a periodic token cannot have a use limit');
  return settings;
}

/** The `token_*` keys (and Vault's legacy `policies`, `period`) as Vault returns them on a role or user read. */
export function tokenSettingsJSON(s: TokenSettings): Record<string, unknown> {
  return {
    token_policies: s.tokenPolicies,
    policies: s.tokenPolicies,
    token_ttl: s.tokenTTL,
    token_max_ttl: s.tokenMaxTTL,
    token_explicit_max_ttl: s.tokenExplicitMaxTTL,
    token_period: s.tokenPeriod,
    period: s.tokenPeriod,
    token_num_uses: s.tokenNumUses,
    token_no_default_policy: s.tokenNoDefaultPolicy,
    token_bound_cidrs: s.tokenBoundCidrs,
    token_type: s.tokenType,
  };
}

/** A login's token request from stored settings; the core adds `default`, applies mount/system limits, and issues. */
export function authFromSettings(s: TokenSettings, login: { displayName: string; metadata: Record<string, string>; aliasName: string; internal?: Record<string, unknown> }): AuthResponse {
  return {
    policies: s.tokenPolicies,
    displayName: login.displayName,
    metadata: login.metadata,
    ttl: s.tokenTTL,
    maxTTL: s.tokenMaxTTL,
    period: s.tokenPeriod,
    explicitMaxTTL: s.tokenExplicitMaxTTL,
    numUses: s.tokenNumUses,
    renewable: true,
    tokenType: s.tokenType,
    alias: { name: login.aliasName, metadata: login.metadata },
    boundCidrs: s.tokenBoundCidrs,
    noDefaultPolicy: s.tokenNoDefaultPolicy,
    ...(login.internal ? { internal: login.internal } : {}),
  };
}
