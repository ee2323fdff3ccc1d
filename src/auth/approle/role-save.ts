import { getJSON, invalidRequest, type BatchOp, type Storage } from '../../framework/index.js';
import type { ApproleState } from './state.js';
import {
  deleteSecretIdOps,
  listSecretIds,
  roleIdKey,
  roleKey,
  secretIdKey,
  type RoleEntry,
  type RoleIdIndex,
  type SecretIdEntry,
} from './store.js';

/** Vault's `validateRoleConstraints`: a role must demand a secret ID or pin logins (or tokens) to CIDR blocks. */
export function hasConstraint(role: RoleEntry): boolean {
  return role.bindSecretId || role.secretIdBoundCidrs.length > 0 || role.token.tokenBoundCidrs.length > 0;
}

/**
 * Stores `role` and keeps the role-ID index in step, in one batch. `previousRoleId` is the role ID before this
 * write (absent on create). The caller holds the role's lock; the role-ID lock taken here makes "is this role ID
 * free?" and "claim it" one step, so two roles cannot claim the same custom role ID at once. Once durable, the role
 * replaces the login cache's copy.
 */
export async function saveRole(storage: Storage, state: ApproleState, role: RoleEntry, previousRoleId?: string): Promise<void> {
  if (!hasConstraint(role)) throw invalidRequest('at least one constraint should be enabled on the role');
  const hasher = await state.keys.hasher(storage);
  const digest = hasher.mac(role.roleId);
  await state.roleIdLocks.run(digest, async () => {
    const index = await getJSON<RoleIdIndex>(storage, roleIdKey(digest));
    if (index !== null && index.name !== role.name) throw invalidRequest('role_id already in use');
    const ops: BatchOp[] = [{ op: 'put', key: roleKey(role.name), value: Buffer.from(JSON.stringify(role)) }];
    if (previousRoleId !== undefined && previousRoleId !== role.roleId) {
      ops.push({ op: 'delete', key: roleIdKey(hasher.mac(previousRoleId)) });
    }
    if (index === null) ops.push({ op: 'put', key: roleIdKey(digest), value: Buffer.from(JSON.stringify({ name: role.name })) });
    await storage.batch(ops);
    state.roles.saved(role);
  });
}

/**
 * Deletes a role with every secret ID issued against it (each under its own lock, so a login in flight either
 * finishes first or finds the secret ID gone), then the role and its role-ID index.
 */
export async function deleteRole(storage: Storage, state: ApproleState, role: RoleEntry): Promise<void> {
  const hasher = await state.keys.hasher(storage);
  const roleDigest = hasher.mac(role.name);
  for (const [digest] of await listSecretIds(storage, hasher, role.name)) {
    const key = secretIdKey(roleDigest, digest);
    await state.secretIdLocks.run(key, async () => {
      const entry = await getJSON<SecretIdEntry>(storage, key);
      if (entry !== null) await storage.batch(deleteSecretIdOps(roleDigest, digest, entry.accessor));
    });
  }
  await storage.batch([
    { op: 'delete', key: roleKey(role.name) },
    { op: 'delete', key: roleIdKey(hasher.mac(role.roleId)) },
  ]);
  state.roles.deleted(role.name);
}
