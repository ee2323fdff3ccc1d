import { definePath, field, internalError, invalidRequest, pattern, type EngineRequest, type EngineResponse, type PathSpec } from '../../framework/index.js';
import { isRoleAllowed } from './allowed-roles.js';
import { callSignal, type DatabaseBackend } from './backend.js';
import { readConnection } from './connection-store.js';
import { generatePassword } from './passwords.js';
import { pluginFailure } from './plugin-errors.js';
import { passwordPolicyOf, readRole, type DynamicRole } from './role-store.js';
import { CREDS_SECRET_TYPE, EXPIRY_MARGIN_SECONDS, type CredsInternal } from './secret-creds.js';
import { newUsername } from './usernames.js';
import { deleteWal, putWal } from './wal.js';

/** The TTL the database user is created with: the role's, within the role's and the mount's maximum (spec §1.6). */
function credentialTTL(b: DatabaseBackend, role: DynamicRole): number {
  const max = role.maxTTL > 0 ? Math.min(role.maxTTL, b.system.maxLeaseTTL()) : b.system.maxLeaseTTL();
  const ttl = role.defaultTTL > 0 ? role.defaultTTL : b.system.defaultLeaseTTL();
  return Math.min(ttl, max);
}

/**
 * Issues one credential. A pending record is written first and deleted once the core has recorded the lease: if Ward
 * stops (or the database goes away) before that, the periodic clean-up drops whatever was made. If the core then fails to
 * record the lease, it calls the secret's revoke, so no user is ever handed out without a lease.
 */
async function issue(b: DatabaseBackend, req: EngineRequest, roleName: string): Promise<EngineResponse> {
  const role = await readRole(b.storage, roleName);
  if (!role) throw invalidRequest(`unknown role: ${roleName}`);
  const conn = await readConnection(b.storage, role.dbName);
  if (!conn) throw internalError(`failed to find entry for connection with name: "${role.dbName}"`);
  if (!isRoleAllowed(conn.allowedRoles, roleName)) throw internalError(`"${roleName}" is not an allowed role`);
  if (role.credentialType !== 'password') throw internalError(`unsupported credential_type: "${role.credentialType}"`);

  const factory = b.connections.factoryFor(conn.pluginName);
  const username = newUsername(conn, factory, req.auth?.displayName ?? '', roleName, () => b.system.now());
  const password = await generatePassword(req.system, passwordPolicyOf(role, conn.passwordPolicy));
  const expiresAt = new Date(b.system.now() + (credentialTTL(b, role) + EXPIRY_MARGIN_SECONDS) * 1000);

  // Not awaited here: the plugin waits for it before anything it does becomes visible (PostgreSQL: just before
  // COMMIT), so this commit overlaps with the creation statements instead of preceding them.
  const pendingDurable = putWal(b.storage, 'pending', encodeURIComponent(username), {
    connection: role.dbName,
    connectionId: conn.id,
    username,
    revocationStatements: role.revocationStatements,
    createdAt: b.system.now(),
  });
  pendingDurable.catch(() => undefined); // observed by the plugin, or below; never an unhandled rejection
  let connectionId = conn.id;
  try {
    await b.connections.use(role.dbName, (plugin, live) => {
      connectionId = live.id;
      return plugin.newUser(
        {
          usernameMeta: { displayName: req.auth?.displayName ?? '', roleName },
          username,
          statements: role.creationStatements,
          rollbackStatements: role.rollbackStatements,
          password,
          expiresAt,
          durable: pendingDurable,
        },
        callSignal(),
      );
    });
    await pendingDurable; // resolved already, unless a plugin did not wait for it: then the user is undone below
  } catch (err) {
    // The plugin rolled back; check that nothing is left, and keep the pending record for the periodic clean-up if
    // that cannot be confirmed (database unreachable).
    const cleaned = await b.connections
      .use(role.dbName, (plugin) => plugin.deleteUser({ username, statements: [] }, callSignal()))
      .then(() => true, () => false);
    if (cleaned) await deleteWal(b.storage, 'pending', encodeURIComponent(username)).catch(() => undefined);
    b.logger.warn({ request_id: req.id, role: roleName, connection: role.dbName, cleaned }, 'creating a database user failed');
    throw pluginFailure(err, [password]);
  }
  // The pending record stays until the core records the lease: the secret's `recordedWrites` delete it in that commit.

  const internal: CredsInternal = {
    connection: role.dbName,
    connectionId,
    username,
    role: roleName,
    revocationStatements: role.revocationStatements,
    renewStatements: role.renewStatements,
  };
  return {
    data: { username, password },
    secret: { type: CREDS_SECRET_TYPE, internal, ttl: role.defaultTTL, maxTTL: role.maxTTL, renewable: true },
  };
}

/** `creds/:name`. */
export function credsPaths(b: DatabaseBackend): PathSpec[] {
  return [
    definePath({
      pattern: `creds/${pattern.name('name')}`,
      fields: { name: field.string({ required: true, description: 'Name of the role.' }) },
      synopsis: 'Request database credentials for a certain role.',
      help: 'Creates a new database user for the role, on demand, under a lease: it is revoked (dropped) when the lease ends.',
      operations: {
        read: (req, f) => issue(b, req, f.name),
      },
    }),
  ];
}
