import {
  authFromSettings,
  getJSON,
  invalidRequest,
  type EngineRequest,
  type EngineResponse,
} from '../../framework/index.js';
import { addressInCidrs, cidrsWithin } from './cidr.js';
import type { ApproleState } from './state.js';
import {
  deleteSecretIdOps,
  roleIdKey,
  secretIdKey,
  type RoleEntry,
  type RoleIdIndex,
  type SecretIdEntry,
} from './store.js';

const INVALID = 'invalid role or secret ID';

/**
 * Stands in for the role when the role ID is unknown, so that branch does the same hashing and storage reads as a
 * wrong secret ID. It fails the role-name pattern, so no role can ever be stored under it.
 */
const DECOY_ROLE = '#unknown-role';

function checkRoleCidrs(req: EngineRequest, role: Readonly<RoleEntry>): void {
  if (role.secretIdBoundCidrs.length > 0 && !addressInCidrs(req.remoteAddress, role.secretIdBoundCidrs)) {
    throw invalidRequest(`source address "${req.remoteAddress}" unauthorized by CIDR restrictions on the role`);
  }
}

/**
 * Validates the secret ID stored at `key` and spends one use, under the secret ID's lock: two logins racing for
 * the last use are serialised, and the second finds the secret ID gone. The decrement (or the deletion of the
 * secret ID with its accessor) is one storage batch. CIDR bindings are checked before a use is spent, so refused
 * attempts from the wrong network cannot burn a secret ID. Null: no such (live) secret ID.
 */
async function spendSecretId(req: EngineRequest, state: ApproleState, roleDigest: string, digest: string, role: Readonly<RoleEntry> | null): Promise<Readonly<SecretIdEntry> | null> {
  const key = secretIdKey(roleDigest, digest);
  // A secret ID without a use limit has nothing to spend: validate it without the lock, so that logins sharing one
  // secret ID do not queue behind each other (every waiter would sit through other requests' commits). Such secret
  // IDs come from the cache; one with uses left is read again under the lock, so every use is counted.
  const unlocked = await state.secretIds.get(req.storage, key);
  if (unlocked === null || role === null) return null;
  if (unlocked.numUses === 0) return validateSecretId(req, state, roleDigest, digest, unlocked, role, key);
  return state.secretIdLocks.run(key, async () => {
    const entry = await getJSON<SecretIdEntry>(req.storage, key);
    if (entry === null) return null;
    return validateSecretId(req, state, roleDigest, digest, entry, role, key);
  });
}

/** Expiry, CIDR bindings, then spends one use (the caller holds the lock when the secret ID has a use limit). */
async function validateSecretId(
  req: EngineRequest,
  state: ApproleState,
  roleDigest: string,
  digest: string,
  entry: Readonly<SecretIdEntry>,
  role: Readonly<RoleEntry>,
  key: string,
): Promise<Readonly<SecretIdEntry> | null> {
  const now = req.system.now();
  if (entry.expirationTime !== 0 && now >= entry.expirationTime) {
    // Expired: refuse now, and clean up rather than wait for the next tidy (possibly without the lock: forget the
    // cached entry here).
    await req.storage.batch(deleteSecretIdOps(roleDigest, digest, entry.accessor));
    state.secretIds.forget(key);
    return null;
  }
  if (!cidrsWithin(entry.cidrList, role.secretIdBoundCidrs)) {
    throw invalidRequest('failed to verify subset relationship between CIDR blocks on the role and CIDR blocks on the secret ID');
  }
  if (entry.cidrList.length > 0 && !addressInCidrs(req.remoteAddress, entry.cidrList)) {
    throw invalidRequest(`source address "${req.remoteAddress}" unauthorized by CIDR restrictions on the secret ID`);
  }
  checkRoleCidrs(req, role);
  if (entry.numUses === 1) {
    await req.storage.batch(deleteSecretIdOps(roleDigest, digest, entry.accessor));
  } else if (entry.numUses > 1) {
    const spent: SecretIdEntry = { ...entry, numUses: entry.numUses - 1, lastUpdatedTime: now };
    await req.storage.batch([{ op: 'put', key, value: Buffer.from(JSON.stringify(spent)) }]);
  }
  return entry;
}

/**
 * `login`: exchanges `{role_id, secret_id}` for a token request. Every attempt with a role ID computes the same
 * three HMACs and makes the same storage reads (the role-ID index, then the secret ID), whether the role ID exists
 * or not, so response times do not tell an attacker which role IDs are real: the role comes from the role cache,
 * which keeps it across role writes (only a role's first login since the mount was loaded reads it), and the decoy
 * of an unknown role ID never exists, so it is not read either. Secret IDs are compared only as salted digests
 * (they are storage keys), never in plain.
 */
export async function login(req: EngineRequest, state: ApproleState, roleIdIn: string | undefined, secretIdIn: string | undefined): Promise<EngineResponse> {
  const roleId = (roleIdIn ?? '').trim();
  if (roleId === '') throw invalidRequest('missing role_id');
  const secretId = (secretIdIn ?? '').trim();

  const hasher = await state.keys.hasher(req.storage);
  const roleIdDigest = hasher.mac(roleId);
  const secretIdDigest = hasher.mac(secretId);
  const index = await getJSON<RoleIdIndex>(req.storage, roleIdKey(roleIdDigest));
  const role = index === null ? null : await state.roles.get(req.storage, index.name);
  const roleDigest = hasher.mac(role?.name ?? DECOY_ROLE);

  if (role !== null && role.bindSecretId && secretId === '') throw invalidRequest('missing secret_id');
  let entry: Readonly<SecretIdEntry> | null = null;
  if (role === null || role.bindSecretId) {
    entry = await spendSecretId(req, state, roleDigest, secretIdDigest, role);
    if (entry === null) throw invalidRequest(INVALID);
  }
  if (role === null) throw invalidRequest(INVALID);
  // A role without bind_secret_id is protected by its CIDR binding alone (spendSecretId checked it otherwise).
  if (entry === null) checkRoleCidrs(req, role);

  // Copies: the role and the secret ID are shared, frozen cache entries; the token request is this login's own.
  const settings = {
    ...role.token,
    tokenPolicies: [...role.token.tokenPolicies],
    tokenBoundCidrs: [...(entry !== null && entry.tokenBoundCidrs.length > 0 ? entry.tokenBoundCidrs : role.token.tokenBoundCidrs)],
  };
  // role_name last: secret-ID metadata must not be able to pose as another role.
  const metadata = { ...(entry?.metadata ?? {}), role_name: role.name };
  return {
    auth: authFromSettings(settings, {
      displayName: '',
      metadata,
      aliasName: role.roleId,
      internal: { role_name: role.name, role_id: role.roleId, secret_id_accessor: entry?.accessor ?? '' },
    }),
  };
}
