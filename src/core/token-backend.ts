import type { EngineFactory } from '../framework/engine.js';
import type { EngineRequest } from '../framework/types.js';
import { rfc3339Nano } from '../lib/clock.js';
import { permissionDenied } from '../lib/errors.js';
import type { TokenEntry } from '../tokens/token-entry.js';
import { tokenPaths } from '../tokens/token-paths.js';
import type { Core } from './core.js';
import { authBlock } from './login.js';

/** §3.3: what token lookups return. `id` is the token itself, shown only when the caller presented it. */
async function lookupData(core: Core, e: Readonly<TokenEntry>, id: string): Promise<Record<string, unknown>> {
  const now = core.clock.now();
  const identityPolicies = await core.identityPolicies(e);
  const data: Record<string, unknown> = {
    accessor: e.accessor,
    creation_time: Math.floor(e.creationTime / 1000),
    creation_ttl: e.creationTTL,
    display_name: e.displayName,
    entity_id: e.entityId,
    expire_time: e.expireTime > 0 ? rfc3339Nano(e.expireTime) : null,
    explicit_max_ttl: e.explicitMaxTTL,
    id,
    issue_time: rfc3339Nano(e.creationTime),
    meta: Object.keys(e.meta).length > 0 ? e.meta : null,
    num_uses: e.numUses,
    orphan: e.orphan,
    path: e.path,
    policies: e.policies,
    renewable: e.renewable,
    ttl: e.expireTime > 0 ? Math.max(0, Math.round((e.expireTime - now) / 1000)) : 0,
    type: e.type,
  };
  if (identityPolicies.length > 0) data.identity_policies = identityPolicies;
  if (e.role) data.role = e.role;
  if (e.period > 0) data.period = e.period;
  if (e.boundCidrs.length > 0) data.bound_cidrs = e.boundCidrs;
  if (e.lastRenewalTime > 0) {
    data.last_renewal_time = Math.floor(e.lastRenewalTime / 1000);
    data.last_renewal = rfc3339Nano(e.lastRenewalTime);
  }
  return data;
}

/** The built-in token auth method (`auth/token/`), backed by the core's token service. */
export function createTokenBackend(core: Core): EngineFactory {
  const caller = async (req: EngineRequest): Promise<Readonly<TokenEntry>> => {
    const handle = req.auth?.tokenHandle;
    const entry = handle ? await core.tokenStore.byHandle(handle) : null;
    if (!entry) throw permissionDenied();
    return entry;
  };
  return {
    type: 'token',
    kind: 'auth',
    create: () => ({
      help: 'The token credential backend is always enabled and builtin to Ward. Client tokens are used to identify a client and to allow Ward to associate policies and ACLs which are enforced on every request.',
      paths: tokenPaths({
        service: core.tokens,
        storage: core.barrier,
        callerToken: (req) => core.rawTokens.get(req) ?? '',
        caller,
        callerHasSudo: async (req, path) => {
          const entry = await caller(req);
          if (entry.policies.includes('root')) return true;
          return (await core.aclFor(entry)).capabilities(path).includes('sudo');
        },
        policyExists: async (name) => (await core.policies.get(name)) !== null,
        lookupData: (entry, id) => lookupData(core, entry, id),
        authBlock: (token, entry) => authBlock(core, token, entry),
        renewLimits: async (req, entry) => {
          if (!entry.authMountPath) return undefined;
          const mount = core.router.get(entry.authMountPath);
          if (!mount?.engine.renewLogin) return undefined;
          return mount.engine.renewLogin(
            { ...req, storage: mount.storage, mount: { path: mount.fullPath, type: mount.entry.type, uuid: mount.entry.uuid, accessor: mount.entry.accessor, options: mount.entry.options }, system: core.mounts.systemView(mount.entry) },
            { policies: entry.policies.filter((p) => p !== 'default'), metadata: entry.meta, internal: entry.loginInternal, aliasName: entry.aliasName },
          );
        },
      }),
      special: { sudo: ['accessors/', 'accessors', 'revoke-orphan'] },
    }),
  };
}
