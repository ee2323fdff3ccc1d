import type { EngineRequest } from '../framework/types.js';
import type { MountedEngine } from '../router/router.js';
import { loginDisplayName } from '../tokens/display-name.js';
import type { TokenEntry } from '../tokens/token-entry.js';
import type { Core } from './core.js';
import type { CoreResponse } from './request.js';

/**
 * Turns an auth method's login answer into a token (§4.3, §5): an orphan with the method's policies plus `default`
 * (unless left out), an entity through the alias, the display name `<mount>-<name>`, and TTLs bounded by the mount.
 */
export async function issueLoginToken(core: Core, mount: MountedEngine, req: EngineRequest, path: string, resp: CoreResponse): Promise<CoreResponse> {
  const auth = resp.auth;
  if (!auth) return resp;
  const view = core.mounts.systemView(mount.entry);
  let entityId = '';
  if (auth.alias) {
    entityId = (await core.identity.loginAlias({ accessor: mount.entry.accessor, type: mount.entry.type, path: mount.fullPath }, auth.alias)).entityId;
  }
  const policies = [...new Set(auth.policies.map((p) => p.trim().toLowerCase()).filter((p) => p !== ''))];
  if (!auth.noDefaultPolicy && !policies.includes('default')) policies.push('default');
  const mountTokenType = mount.entry.config.tokenType ?? 'default-service';
  const type = auth.tokenType === 'batch' || (auth.tokenType === 'default' && mountTokenType.endsWith('batch')) ? 'batch' : 'service';
  const mountMax = view.maxLeaseTTL();
  const { token, entry } = await core.tokens.create({
    policies: policies.sort(),
    parentHandle: '',
    path,
    displayName: loginDisplayName(mount.fullPath, auth.displayName),
    meta: auth.metadata,
    ttl: auth.ttl > 0 ? auth.ttl : view.defaultLeaseTTL(),
    maxTTL: auth.maxTTL > 0 ? Math.min(auth.maxTTL, mountMax) : mountMax,
    explicitMaxTTL: auth.explicitMaxTTL,
    period: auth.period,
    numUses: auth.numUses,
    renewable: auth.renewable,
    type,
    entityId,
    role: '',
    boundCidrs: auth.boundCidrs ?? [],
    authMountPath: mount.fullPath,
    authMountAccessor: mount.entry.accessor,
    loginInternal: auth.internal ?? {},
    aliasName: auth.alias?.name ?? '',
    allowNonExpiring: false,
    requestId: req.id,
    remoteAddress: req.remoteAddress,
  });
  const { auth: _consumed, ...rest } = resp;
  return { ...rest, issuedAuth: await authBlock(core, token, entry) };
}

/** §1.4's `auth` block for an issued token. */
export async function authBlock(core: Core, token: string, entry: Readonly<TokenEntry>): Promise<Record<string, unknown>> {
  const identityPolicies = await core.identityPolicies(entry);
  const ttl = entry.expireTime > 0 ? Math.max(0, Math.round((entry.expireTime - core.clock.now()) / 1000)) : 0;
  const block: Record<string, unknown> = {
    client_token: token,
    accessor: entry.accessor,
    policies: [...new Set([...entry.policies, ...identityPolicies])].sort(),
    token_policies: entry.policies,
    metadata: Object.keys(entry.meta).length > 0 ? entry.meta : null,
    lease_duration: ttl,
    renewable: entry.renewable,
    entity_id: entry.entityId,
    token_type: entry.type,
    orphan: entry.orphan,
    mfa_requirement: null,
    num_uses: entry.numUses,
  };
  if (identityPolicies.length > 0) block.identity_policies = identityPolicies;
  return block;
}
