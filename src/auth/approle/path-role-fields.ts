import { field, formatGoDuration, invalidRequest, readTokenSettings, tokenFields, type PathSpec } from '../../framework/index.js';
import { validCidrs } from './cidr.js';
import { roleFieldPath } from './role-field-path.js';
import type { ApproleState } from './state.js';
import type { RoleEntry } from './store.js';

function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw invalidRequest(`missing ${name}`);
  return value;
}

function withToken(role: RoleEntry, parsed: Parameters<typeof readTokenSettings>[0]): RoleEntry {
  return { ...role, token: readTokenSettings(parsed, role.token) };
}

function secretIdCidrs(role: RoleEntry, cidrs: string[] | undefined): RoleEntry {
  // Vault leaves the role as it is when the field is absent, and refuses an explicit empty list.
  if (cidrs === undefined) return role;
  if (cidrs.length === 0) throw invalidRequest('missing bound_cidr_list');
  if (!validCidrs(cidrs)) throw invalidRequest('failed to validate CIDR blocks');
  return { ...role, secretIdBoundCidrs: cidrs };
}

/**
 * Vault's per-field sub-paths of a role, each with GET / POST / DELETE (DELETE restores the default). Vault has
 * none for token_explicit_max_ttl, token_no_default_policy or token_type; `local-secret-ids` is read-only.
 */
export function roleFieldPaths(state: ApproleState): PathSpec[] {
  return [
    roleFieldPath(state, {
      suffix: 'local-secret-ids',
      fields: {},
      synopsis: 'Whether the secret IDs of the role are cluster-local.',
      read: (role) => ({ data: { local_secret_ids: role.localSecretIds } }),
    }),
    roleFieldPath(state, {
      suffix: 'policies',
      fields: { token_policies: tokenFields.token_policies, policies: tokenFields.policies },
      synopsis: 'Policies of the role.',
      read: (role) => ({ data: { token_policies: role.token.tokenPolicies, policies: role.token.tokenPolicies } }),
      update: (_req, role, f) => withToken(role, { token_policies: required(f.token_policies ?? f.policies, 'token_policies') }),
      reset: (role) => withToken(role, { token_policies: [] }),
    }),
    roleFieldPath(state, {
      suffix: 'bound-cidr-list',
      fields: { bound_cidr_list: field.commaStringList({ description: 'Deprecated: use secret_id_bound_cidrs.' }) },
      synopsis: 'Deprecated: CIDR blocks from which logins with this role are allowed.',
      read: (role) => ({
        data: { bound_cidr_list: role.secretIdBoundCidrs },
        warnings: ['The "bound_cidr_list" field is deprecated and will be removed. Please use "secret_id_bound_cidrs" instead.'],
      }),
      update: (_req, role, f) => secretIdCidrs(role, f.bound_cidr_list),
      reset: (role) => ({ ...role, secretIdBoundCidrs: [] }),
    }),
    roleFieldPath(state, {
      suffix: 'secret-id-bound-cidrs',
      fields: { secret_id_bound_cidrs: field.commaStringList({ description: 'CIDR blocks from which logins are allowed.' }) },
      synopsis: 'CIDR blocks from which logins with this role are allowed.',
      read: (role) => ({ data: { secret_id_bound_cidrs: role.secretIdBoundCidrs } }),
      update: (_req, role, f) => secretIdCidrs(role, f.secret_id_bound_cidrs),
      reset: (role) => ({ ...role, secretIdBoundCidrs: [] }),
    }),
    roleFieldPath(state, {
      suffix: 'token-bound-cidrs',
      fields: { token_bound_cidrs: tokenFields.token_bound_cidrs },
      synopsis: 'CIDR blocks from which tokens issued by this role may be used.',
      read: (role) => ({ data: { token_bound_cidrs: role.token.tokenBoundCidrs } }),
      update: (_req, role, f) => {
        if (f.token_bound_cidrs === undefined) return role;
        if (!validCidrs(f.token_bound_cidrs)) throw invalidRequest('failed to parse token_bound_cidrs: invalid CIDR blocks');
        return withToken(role, { token_bound_cidrs: f.token_bound_cidrs });
      },
      reset: (role) => withToken(role, { token_bound_cidrs: [] }),
    }),
    roleFieldPath(state, {
      suffix: 'bind-secret-id',
      fields: { bind_secret_id: field.bool({ description: 'Require secret_id at login.' }) },
      synopsis: 'Impose secret_id to be presented during login using this role.',
      read: (role) => ({ data: { bind_secret_id: role.bindSecretId } }),
      update: (_req, role, f) => ({ ...role, bindSecretId: required(f.bind_secret_id, 'bind_secret_id') }),
      reset: (role) => ({ ...role, bindSecretId: true }),
    }),
    roleFieldPath(state, {
      suffix: 'secret-id-num-uses',
      fields: { secret_id_num_uses: field.int({ description: 'Logins allowed per secret ID (0 = unlimited).' }) },
      synopsis: 'Use limit of the secret IDs generated against the role.',
      read: (role) => ({ data: { secret_id_num_uses: role.secretIdNumUses } }),
      update: (_req, role, f) => {
        const n = required(f.secret_id_num_uses, 'secret_id_num_uses');
        if (n < 0) throw invalidRequest('secret_id_num_uses cannot be negative');
        return { ...role, secretIdNumUses: n };
      },
      reset: (role) => ({ ...role, secretIdNumUses: 0 }),
    }),
    roleFieldPath(state, {
      suffix: 'secret-id-ttl',
      fields: { secret_id_ttl: field.duration({ description: 'Lifetime of secret IDs (0 = never expire).' }) },
      synopsis: 'Duration in seconds of the secret IDs generated against the role.',
      read: (role) => ({ data: { secret_id_ttl: role.secretIdTTL } }),
      update: (_req, role, f) => ({ ...role, secretIdTTL: required(f.secret_id_ttl, 'secret_id_ttl') }),
      reset: (role) => ({ ...role, secretIdTTL: 0 }),
    }),
    roleFieldPath(state, {
      suffix: 'period',
      fields: { token_period: tokenFields.token_period, period: tokenFields.period },
      synopsis: "Updates the value of 'period' on the role.",
      read: (role) => ({ data: { token_period: role.token.tokenPeriod, period: role.token.tokenPeriod } }),
      update: (req, role, f) => {
        const period = required(f.token_period ?? f.period, 'period');
        const max = req.system.maxLeaseTTL();
        if (period > max) {
          throw invalidRequest(`period of "${formatGoDuration(period)}" is greater than the backend's maximum lease TTL of "${formatGoDuration(max)}"`);
        }
        return withToken(role, { token_period: period });
      },
      reset: (role) => withToken(role, { token_period: 0 }),
    }),
    roleFieldPath(state, {
      suffix: 'token-num-uses',
      fields: { token_num_uses: tokenFields.token_num_uses },
      synopsis: 'Number of times issued tokens can be used.',
      read: (role) => ({ data: { token_num_uses: role.token.tokenNumUses } }),
      update: (_req, role, f) => withToken(role, { token_num_uses: required(f.token_num_uses, 'token_num_uses') }),
      reset: (role) => withToken(role, { token_num_uses: 0 }),
    }),
    roleFieldPath(state, {
      suffix: 'token-ttl',
      fields: { token_ttl: tokenFields.token_ttl },
      synopsis: 'Initial TTL of the tokens issued by the role.',
      read: (role) => ({ data: { token_ttl: role.token.tokenTTL } }),
      update: (_req, role, f) => {
        const ttl = required(f.token_ttl, 'token_ttl');
        if (role.token.tokenMaxTTL > 0 && ttl > role.token.tokenMaxTTL) throw invalidRequest('token_ttl should not be greater than token_max_ttl');
        return withToken(role, { token_ttl: ttl });
      },
      reset: (role) => withToken(role, { token_ttl: 0 }),
    }),
    roleFieldPath(state, {
      suffix: 'token-max-ttl',
      fields: { token_max_ttl: tokenFields.token_max_ttl },
      synopsis: 'Maximum lifetime of the tokens issued by the role.',
      read: (role) => ({ data: { token_max_ttl: role.token.tokenMaxTTL } }),
      update: (_req, role, f) => {
        const max = required(f.token_max_ttl, 'token_max_ttl');
        if (max > 0 && role.token.tokenTTL > max) throw invalidRequest('token_max_ttl should be greater than or equal to token_ttl');
        return withToken(role, { token_max_ttl: max });
      },
      reset: (role) => withToken(role, { token_max_ttl: 0 }),
    }),
  ];
}
