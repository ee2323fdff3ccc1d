import { definePath, field, type PathSpec } from '../framework/index.js';
import type { Storage } from '../framework/storage.js';
import { getJSON, putJSON } from '../framework/storage.js';
import { invalidRequest } from '../lib/errors.js';

/** A token role (§3.4). Durations in seconds. */
export interface TokenRole {
  name: string;
  allowedPolicies: string[];
  disallowedPolicies: string[];
  allowedPoliciesGlob: string[];
  disallowedPoliciesGlob: string[];
  orphan: boolean;
  renewable: boolean;
  pathSuffix: string;
  allowedEntityAliases: string[];
  tokenBoundCidrs: string[];
  tokenExplicitMaxTTL: number;
  tokenNoDefaultPolicy: boolean;
  tokenNumUses: number;
  tokenPeriod: number;
  tokenType: 'default-service' | 'default-batch' | 'service' | 'batch';
  tokenTTL: number;
  tokenMaxTTL: number;
}

const ROLE_PREFIX = 'sys/token/role/';

export function roleJSON(r: TokenRole): Record<string, unknown> {
  return {
    name: r.name,
    allowed_policies: r.allowedPolicies,
    disallowed_policies: r.disallowedPolicies,
    allowed_policies_glob: r.allowedPoliciesGlob,
    disallowed_policies_glob: r.disallowedPoliciesGlob,
    orphan: r.orphan,
    renewable: r.renewable,
    path_suffix: r.pathSuffix,
    allowed_entity_aliases: r.allowedEntityAliases,
    token_bound_cidrs: r.tokenBoundCidrs,
    token_explicit_max_ttl: r.tokenExplicitMaxTTL,
    explicit_max_ttl: r.tokenExplicitMaxTTL,
    token_no_default_policy: r.tokenNoDefaultPolicy,
    token_num_uses: r.tokenNumUses,
    token_period: r.tokenPeriod,
    period: r.tokenPeriod,
    token_type: r.tokenType,
    token_ttl: r.tokenTTL,
    token_max_ttl: r.tokenMaxTTL,
  };
}

export async function readRole(storage: Storage, name: string): Promise<TokenRole | null> {
  return getJSON<TokenRole>(storage, ROLE_PREFIX + name.toLowerCase());
}

/** Vault's SanitizePolicies: trimmed, lowercased, without empties or duplicates, sorted. */
export function sanitizePolicies(list: readonly string[]): string[] {
  return [...new Set(list.map((p) => p.trim().toLowerCase()).filter((p) => p !== ''))].sort();
}

/** Whether a policy name matches a glob with `*` anywhere (token role *_glob fields). */
export function globMatch(glob: string, name: string): boolean {
  const re = new RegExp(`^${glob.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(name);
}

/** auth/token/roles and auth/token/roles/:name. */
export function tokenRolePaths(storage: Storage): PathSpec[] {
  return [
    definePath({
      pattern: 'roles/?',
      synopsis: 'Lists token roles.',
      fields: {},
      operations: {
        list: async () => {
          const keys = await storage.list(ROLE_PREFIX);
          return { data: { keys } };
        },
      },
    }),
    definePath({
      pattern: 'roles/(?<role_name>\\w(?:[\\w.-]*\\w)?)',
      synopsis: 'Creates, reads or deletes a token role.',
      fields: {
        role_name: field.lowercaseString({ required: true }),
        allowed_policies: field.commaStringList(),
        disallowed_policies: field.commaStringList(),
        allowed_policies_glob: field.commaStringList(),
        disallowed_policies_glob: field.commaStringList(),
        orphan: field.bool(),
        renewable: field.bool(),
        path_suffix: field.string(),
        allowed_entity_aliases: field.commaStringList(),
        token_bound_cidrs: field.commaStringList(),
        bound_cidrs: field.commaStringList(),
        token_explicit_max_ttl: field.duration(),
        explicit_max_ttl: field.duration(),
        token_no_default_policy: field.bool(),
        token_num_uses: field.int(),
        token_period: field.duration(),
        period: field.duration(),
        token_type: field.string(),
        token_ttl: field.duration(),
        token_max_ttl: field.duration(),
      },
      existenceCheck: async (_req, f) => (await readRole(storage, f.role_name)) !== null,
      operations: {
        read: async (_req, f) => {
          const r = await readRole(storage, f.role_name);
          return r ? { data: roleJSON(r) } : null;
        },
        update: async (_req, f) => {
          const cur = (await readRole(storage, f.role_name)) ?? {
            name: f.role_name, allowedPolicies: [], disallowedPolicies: [], allowedPoliciesGlob: [], disallowedPoliciesGlob: [], orphan: false,
            renewable: true, pathSuffix: '', allowedEntityAliases: [], tokenBoundCidrs: [], tokenExplicitMaxTTL: 0, tokenNoDefaultPolicy: false,
            tokenNumUses: 0, tokenPeriod: 0, tokenType: 'default-service' as const, tokenTTL: 0, tokenMaxTTL: 0,
          };
          const type = f.token_type ?? cur.tokenType;
          if (!['default-service', 'default-batch', 'service', 'batch', 'default'].includes(type)) throw invalidRequest(`invalid 'token_type' value "${type}"`);
          if (f.path_suffix && !/^\w[\w.-]+\w$/.test(f.path_suffix)) throw invalidRequest('path_suffix must match \\w[\\w-.]+\\w');
          const next: TokenRole = {
            ...cur,
            allowedPolicies: sanitizePolicies(f.allowed_policies ?? cur.allowedPolicies),
            disallowedPolicies: sanitizePolicies(f.disallowed_policies ?? cur.disallowedPolicies),
            allowedPoliciesGlob: f.allowed_policies_glob ?? cur.allowedPoliciesGlob,
            disallowedPoliciesGlob: f.disallowed_policies_glob ?? cur.disallowedPoliciesGlob,
            orphan: f.orphan ?? cur.orphan,
            renewable: f.renewable ?? cur.renewable,
            pathSuffix: f.path_suffix ?? cur.pathSuffix,
            allowedEntityAliases: f.allowed_entity_aliases ?? cur.allowedEntityAliases,
            tokenBoundCidrs: f.token_bound_cidrs ?? f.bound_cidrs ?? cur.tokenBoundCidrs,
            tokenExplicitMaxTTL: f.token_explicit_max_ttl ?? f.explicit_max_ttl ?? cur.tokenExplicitMaxTTL,
            tokenNoDefaultPolicy: f.token_no_default_policy ?? cur.tokenNoDefaultPolicy,
            tokenNumUses: f.token_num_uses ?? cur.tokenNumUses,
            tokenPeriod: f.token_period ?? f.period ?? cur.tokenPeriod,
            tokenType: (type === 'default' ? 'default-service' : type) as TokenRole['tokenType'],
            tokenTTL: f.token_ttl ?? cur.tokenTTL,
            tokenMaxTTL: f.token_max_ttl ?? cur.tokenMaxTTL,
          };
          if (next.tokenNumUses < 0) throw invalidRequest('token_num_uses cannot be negative');
          if (next.tokenType === 'batch' && (next.tokenPeriod > 0 || next.tokenNumUses > 0 || next.tokenExplicitMaxTTL > 0)) {
            throw invalidRequest('batch tokens cannot be periodic, have a use limit, or an explicit max TTL');
          }
          if (next.tokenMaxTTL > 0 && next.tokenTTL > next.tokenMaxTTL) throw invalidRequest('"token_ttl" value must be less than "token_max_ttl" value');
          await putJSON(storage, ROLE_PREFIX + next.name, next);
          return null;
        },
        delete: async (_req, f) => {
          await storage.delete(ROLE_PREFIX + f.role_name);
          return null;
        },
      },
    }),
  ];
}
