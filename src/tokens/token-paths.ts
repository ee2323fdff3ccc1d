import { definePath, field, type EngineRequest, type EngineResponse, type PathSpec } from '../framework/index.js';
import type { Storage } from '../framework/storage.js';
import { invalidRequest, permissionDenied } from '../lib/errors.js';
import { tokenDisplayName } from './display-name.js';
import type { TokenEntry } from './token-entry.js';
import { globMatch, readRole, tokenRolePaths, type TokenRole } from './token-role.js';
import type { TokenService } from './token-service.js';

/** What the token endpoints need from the core. */
export interface TokenPathDeps {
  service: TokenService;
  /** Barrier storage (token roles live under `sys/token/role/`). */
  storage: Storage;
  /** The caller's raw token (only the token endpoints see it: lookup-self shows it as `id`). */
  callerToken(req: EngineRequest): string;
  caller(req: EngineRequest): Promise<Readonly<TokenEntry>>;
  /** Whether the caller's ACL grants `sudo` on `path` (root tokens always do). */
  callerHasSudo(req: EngineRequest, path: string): Promise<boolean>;
  policyExists(name: string): Promise<boolean>;
  /** §3.3 lookup data (adds identity policies). */
  lookupData(entry: Readonly<TokenEntry>, id: string): Promise<Record<string, unknown>>;
  /** §1.4 auth block of an issued token. */
  authBlock(token: string, entry: Readonly<TokenEntry>): Promise<Record<string, unknown>>;
  /** Current TTL limits from the auth method that issued a login token (renewLogin), if any. */
  renewLimits(req: EngineRequest, entry: Readonly<TokenEntry>): Promise<{ ttl: number; maxTTL: number; period: number } | undefined>;
}

const createFields = {
  role_name: field.string(),
  id: field.string({ sensitive: true }),
  policies: field.commaStringList(),
  meta: field.kvPairs(),
  metadata: field.kvPairs(),
  no_parent: field.bool({ default: false }),
  no_default_policy: field.bool({ default: false }),
  renewable: field.bool(),
  ttl: field.duration(),
  lease: field.duration(),
  explicit_max_ttl: field.duration(),
  display_name: field.string(),
  num_uses: field.int(),
  period: field.duration(),
  type: field.string(),
  entity_alias: field.string(),
};

/** The policies a child may get, per §3.2 and §3.4. Throws Vault's 400s. */
function childPolicies(parent: Readonly<TokenEntry>, asked: string[] | undefined, role: TokenRole | null, privileged: boolean, noDefault: boolean): string[] {
  const parentPolicies = parent.policies;
  let policies = (asked ?? (role && role.allowedPolicies.length > 0 ? role.allowedPolicies : parentPolicies.filter((p) => p !== 'root' || privileged))).map((p) => p.trim().toLowerCase()).filter((p) => p !== '');
  if (role && (role.allowedPolicies.length > 0 || role.disallowedPolicies.length > 0 || role.allowedPoliciesGlob.length > 0 || role.disallowedPoliciesGlob.length > 0)) {
    for (const p of policies) {
      if (p === 'default') continue;
      if (role.disallowedPolicies.includes(p) || role.disallowedPoliciesGlob.some((g) => globMatch(g, p))) throw invalidRequest(`token policies (${policies.join(', ')}) contains disallowed policies`);
      const allowedList = role.allowedPolicies.length > 0 || role.allowedPoliciesGlob.length > 0;
      if (allowedList && !role.allowedPolicies.includes(p) && !role.allowedPoliciesGlob.some((g) => globMatch(g, p))) {
        throw invalidRequest(`token policies (${policies.join(', ')}) must be subset of the role's allowed policies`);
      }
    }
  } else if (!privileged) {
    if (policies.includes('root') && !parentPolicies.includes('root')) throw invalidRequest('root tokens may not be created from non-root tokens');
    const extra = policies.filter((p) => p !== 'default' && !parentPolicies.includes(p));
    if (extra.length > 0) throw invalidRequest('child policies must be subset of parent');
  }
  const wantDefault = !noDefault && !(role?.tokenNoDefaultPolicy) && !(role?.disallowedPolicies.includes('default')) && (parentPolicies.includes('default') || privileged || role !== null);
  if (wantDefault && !policies.includes('default') && !policies.includes('root')) policies.push('default');
  if (noDefault) policies = policies.filter((p) => p !== 'default');
  return [...new Set(policies)].sort();
}

async function create(deps: TokenPathDeps, req: EngineRequest, f: Record<string, unknown> & { [K in keyof typeof createFields]?: unknown }, mode: 'create' | 'orphan' | 'role'): Promise<EngineResponse> {
  const parent = await deps.caller(req);
  const privileged = parent.policies.includes('root') || (await deps.callerHasSudo(req, 'auth/token/create'));
  const role = mode === 'role' ? await readRole(deps.storage, String(f.role_name ?? '')) : null;
  if (mode === 'role' && !role) throw invalidRequest(`unknown role ${String(f.role_name)}`);
  if (parent.numUses > 0) throw invalidRequest('a use-limited token cannot create child tokens');
  if (parent.type === 'batch') throw invalidRequest('batch tokens cannot create child tokens');
  const id = f.id as string | undefined;
  if (id !== undefined && id !== '') {
    if (!privileged) throw invalidRequest('root or sudo privileges required to specify token id');
    if (id.includes('.')) throw invalidRequest('token IDs can not contain a period');
  }
  const noParent = f.no_parent === true;
  if (noParent && !privileged && mode === 'create') throw invalidRequest('root or sudo privileges required to create orphan token');
  const period = (f.period as number | undefined) ?? 0;
  if (period > 0 && !privileged && !role) throw invalidRequest('root or sudo privileges required to create periodic token');
  const numUses = (f.num_uses as number | undefined) ?? role?.tokenNumUses ?? 0;
  if (numUses < 0) throw invalidRequest('number of uses cannot be negative');
  const typeName = (f.type as string | undefined) ?? (role ? (role.tokenType.startsWith('default-') ? role.tokenType.slice(8) : role.tokenType) : 'service');
  if (typeName !== 'service' && typeName !== 'batch') throw invalidRequest(`unsupported token type ${typeName}`);
  if (role?.tokenType === 'service' && typeName === 'batch') throw invalidRequest('role requires service tokens');
  if (role?.tokenType === 'batch' && typeName === 'service') throw invalidRequest('role requires batch tokens');
  const policies = childPolicies(parent, f.policies as string[] | undefined, role, privileged, f.no_default_policy === true);
  if (policies.length === 0) throw invalidRequest('token must have at least one policy');
  const warnings: string[] = [];
  for (const p of policies) if (p !== 'root' && p !== 'default' && !(await deps.policyExists(p))) warnings.push(`Policy "${p}" does not exist`);
  const orphan = mode === 'orphan' || noParent || (role?.orphan ?? false);
  const explicit = [(f.explicit_max_ttl as number | undefined) ?? 0, role?.tokenExplicitMaxTTL ?? 0].filter((v) => v > 0);
  const periods = [period, role?.tokenPeriod ?? 0].filter((v) => v > 0);
  const path = mode === 'role' ? `auth/token/create/${(role as TokenRole).name}${role?.pathSuffix ? `/${role.pathSuffix}` : ''}` : mode === 'orphan' ? 'auth/token/create-orphan' : 'auth/token/create';
  const { token, entry } = await deps.service.create({
    policies,
    parentHandle: orphan ? '' : parent.handle,
    path,
    displayName: tokenDisplayName(f.display_name as string | undefined),
    meta: { ...((f.metadata as Record<string, string> | undefined) ?? {}), ...((f.meta as Record<string, string> | undefined) ?? {}) },
    ttl: (f.ttl as number | undefined) ?? (f.lease as number | undefined) ?? role?.tokenTTL ?? 0,
    maxTTL: role?.tokenMaxTTL ?? 0,
    explicitMaxTTL: explicit.length > 0 ? Math.min(...explicit) : 0,
    period: periods.length > 0 ? Math.min(...periods) : 0,
    numUses,
    renewable: (f.renewable as boolean | undefined) ?? role?.renewable ?? true,
    type: typeName,
    entityId: '',
    role: role?.name ?? '',
    boundCidrs: role?.tokenBoundCidrs ?? [],
    authMountPath: '',
    authMountAccessor: '',
    loginInternal: {},
    aliasName: '',
    allowNonExpiring: true,
    requestId: req.id,
    remoteAddress: req.remoteAddress,
    ...(id ? { id } : {}),
  });
  return { issuedAuth: await deps.authBlock(token, entry), ...(warnings.length > 0 ? { warnings } : {}) };
}

/** Finds the token a request names by value or accessor; 400/403 as Vault for absent ones. */
async function target(deps: TokenPathDeps, f: { token?: string | undefined; accessor?: string | undefined }): Promise<Readonly<TokenEntry>> {
  if (f.accessor !== undefined) {
    if (f.accessor === '') throw invalidRequest('missing accessor');
    const e = await deps.service.live(await deps.service.store.byAccessor(f.accessor));
    if (!e) throw invalidRequest('invalid accessor');
    return e;
  }
  if (!f.token) throw invalidRequest('missing token ID');
  const e = await deps.service.resolve(f.token);
  if (!e) throw permissionDenied('bad token');
  return e;
}

/** `auth/token/*` (§3). */
export function tokenPaths(deps: TokenPathDeps): PathSpec[] {
  const renewFields = { token: field.string({ sensitive: true }), accessor: field.string(), increment: field.duration({ default: 0 }) };
  const renewResponse = async (req: EngineRequest, entry: Readonly<TokenEntry>, increment: number, shownToken: string): Promise<EngineResponse> => {
    const limits = await deps.renewLimits(req, entry);
    const next = await deps.service.renew(entry, increment, limits);
    return { issuedAuth: await deps.authBlock(shownToken, next) };
  };
  return [
    definePath({ pattern: 'create', synopsis: 'Creates a token, a child of the caller unless no_parent.', fields: createFields, operations: { update: (req, f) => create(deps, req, f, 'create') } }),
    definePath({ pattern: 'create-orphan', synopsis: 'Creates an orphan token.', fields: createFields, operations: { update: (req, f) => create(deps, req, f, 'orphan') } }),
    definePath({ pattern: 'create/(?<role_name>[^/]+)', synopsis: 'Creates a token from a token role.', fields: createFields, operations: { update: (req, f) => create(deps, req, f, 'role') } }),
    definePath({
      pattern: 'lookup',
      synopsis: 'Looks up a token.',
      fields: { token: field.string({ sensitive: true }) },
      operations: {
        update: async (_req, f) => {
          const e = await target(deps, { token: f.token });
          return { data: await deps.lookupData(e, f.token as string) };
        },
        read: async (_req, f) => {
          const e = await target(deps, { token: f.token });
          return { data: await deps.lookupData(e, f.token as string) };
        },
      },
    }),
    definePath({
      pattern: 'lookup-self',
      synopsis: 'Looks up the calling token.',
      fields: {},
      operations: {
        read: async (req) => ({ data: await deps.lookupData(await deps.caller(req), deps.callerToken(req)) }),
        update: async (req) => ({ data: await deps.lookupData(await deps.caller(req), deps.callerToken(req)) }),
      },
    }),
    definePath({
      pattern: 'lookup-accessor',
      synopsis: 'Looks up a token by accessor.',
      fields: { accessor: field.string({ default: '' }) },
      operations: { update: async (_req, f) => ({ data: await deps.lookupData(await target(deps, { accessor: f.accessor }), '') }) },
    }),
    definePath({
      pattern: 'renew',
      synopsis: 'Renews a token.',
      fields: renewFields,
      operations: { update: async (req, f) => renewResponse(req, await target(deps, { token: f.token }), f.increment, f.token as string) },
    }),
    definePath({
      pattern: 'renew-self',
      synopsis: 'Renews the calling token.',
      fields: { increment: field.duration({ default: 0 }) },
      operations: { update: async (req, f) => renewResponse(req, await deps.caller(req), f.increment, deps.callerToken(req)) },
    }),
    definePath({
      pattern: 'renew-accessor',
      synopsis: 'Renews a token by accessor.',
      fields: { accessor: field.string({ default: '' }), increment: field.duration({ default: 0 }) },
      operations: { update: async (req, f) => renewResponse(req, await target(deps, { accessor: f.accessor }), f.increment, '') },
    }),
    definePath({
      pattern: 'revoke',
      synopsis: 'Revokes a token, its children and their leases.',
      fields: { token: field.string({ sensitive: true }) },
      operations: {
        update: async (_req, f) => {
          if (!f.token) throw invalidRequest('missing token ID');
          const e = await deps.service.store.lookup(f.token);
          if (e) await deps.service.revokeTree(e.handle);
          return null;
        },
      },
    }),
    definePath({
      pattern: 'revoke-self',
      synopsis: 'Revokes the calling token.',
      fields: {},
      operations: {
        update: async (req) => {
          await deps.service.revokeTree((await deps.caller(req)).handle);
          return null;
        },
      },
    }),
    definePath({
      pattern: 'revoke-accessor',
      synopsis: 'Revokes a token by accessor.',
      fields: { accessor: field.string({ default: '' }) },
      operations: {
        update: async (_req, f) => {
          await deps.service.revokeTree((await target(deps, { accessor: f.accessor })).handle);
          return null;
        },
      },
    }),
    definePath({
      pattern: 'revoke-orphan',
      synopsis: 'Revokes a token but not its children, which become orphans.',
      fields: { token: field.string({ sensitive: true }) },
      operations: {
        update: async (_req, f) => {
          if (!f.token) throw invalidRequest('missing token ID');
          const e = await deps.service.store.lookup(f.token);
          if (e) await deps.service.revokeOrphan(e.handle);
          return null;
        },
      },
    }),
    definePath({
      pattern: 'accessors/?',
      synopsis: 'Lists token accessors.',
      fields: {},
      operations: { list: async () => ({ data: { keys: await deps.service.store.accessors() } }) },
    }),
    ...tokenRolePaths(deps.storage),
    definePath({
      pattern: 'tidy',
      synopsis: 'Cleans up leftovers of revoked tokens. Ward keeps its indexes consistent, so there is little to do.',
      fields: {},
      operations: { update: async () => ({ data: {}, warnings: ['Tidy operation successfully started. Any information from the operation will be printed to Ward\'s server logs.'] }) },
    }),
  ];
}
