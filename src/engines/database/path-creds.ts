import { definePath, field, internalError, invalidRequest, pattern, type EngineRequest, type EngineResponse, type PathSpec } from '../../framework/index.js';
import { isRoleAllowed } from './allowed-roles.js';
import { callSignal, DB_CALL_TIMEOUT_MS, type DatabaseBackend } from './backend.js';
import { readConnection } from './connection-store.js';
import { generatePassword } from './passwords.js';
import { pluginFailure } from './plugin-errors.js';
import { passwordPolicyOf, readRole, type DynamicRole } from './role-store.js';
import { CREDS_SECRET_TYPE, EXPIRY_MARGIN_SECONDS, type CredsInternal } from './secret-creds.js';
import { newUsername } from './usernames.js';

/** The TTL the database user is created with: the role's, within the role's and the mount's maximum (spec §1.6). */
function credentialTTL(b: DatabaseBackend, role: DynamicRole): number {
  const max = role.maxTTL > 0 ? Math.min(role.maxTTL, b.system.maxLeaseTTL()) : b.system.maxLeaseTTL();
  const ttl = role.defaultTTL > 0 ? role.defaultTTL : b.system.defaultLeaseTTL();
  return Math.min(ttl, max);
}

/**
 * Issues one credential under a lease the core records while the database works (`OpenCreation`): the plugin runs
 * the creation statements but makes nothing visible (PostgreSQL: does not COMMIT; MySQL and Redis: send nothing)
 * until the lease is durable. So a user can exist only once a lease stands for it: if its creation then fails, the
 * core revokes that lease (retrying until the database confirms); if the lease cannot be recorded, the plugin rolls
 * back. A crash between the two commits leaves a lease for a user that was never created, whose revocation finds
 * nothing: harmless, and never the reverse.
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

  const recorded = leaseSignal();
  // The lease must name the connection instance that creates the user (a concurrent config write may replace it),
  // so the creation starts first and the response is returned as soon as the plugin has that instance.
  let connectionReady: (id: string) => void = () => undefined;
  const connectionId = new Promise<string>((resolve) => (connectionReady = resolve));
  const creation = b.connections.use(role.dbName, (plugin, live) => {
    connectionReady(live.id);
    return plugin.newUser(
      {
        usernameMeta: { displayName: req.auth?.displayName ?? '', roleName },
        username,
        statements: role.creationStatements,
        rollbackStatements: role.rollbackStatements,
        password,
        expiresAt,
        durable: recorded.promise,
      },
      callSignal(),
    );
  });
  const created = creation.then(
    () => undefined,
    (err: unknown) => {
      recorded.settle(new Error('the creation failed')); // if the core never got to record the lease
      b.logger.warn({ request_id: req.id, role: roleName, connection: role.dbName }, 'creating a database user failed');
      throw pluginFailure(err, [password]);
    },
  );
  // Rejects when the creation failed before the plugin started: nothing was made and no lease is needed.
  const started = await Promise.race([connectionId, created.then(() => connectionId)]);

  const internal: CredsInternal = {
    connection: role.dbName,
    connectionId: started,
    username,
    role: roleName,
    revocationStatements: role.revocationStatements,
    renewStatements: role.renewStatements,
  };
  return {
    data: { username, password },
    secret: {
      type: CREDS_SECRET_TYPE,
      internal,
      ttl: role.defaultTTL,
      maxTTL: role.maxTTL,
      renewable: true,
      creation: { leaseRecorded: (err) => recorded.settle(err), created },
    },
  };
}

/**
 * The "lease recorded" signal handed to the plugin as `durable`. Settled once (later calls are ignored); if nobody
 * settles it within a database call's time bound, it rejects, so a creation whose response was dropped never holds a
 * transaction (and, for direct grants, the ACL lock) open.
 */
function leaseSignal(): { promise: Promise<void>; settle(err: Error | null): void } {
  let settle: (err: Error | null) => void = () => undefined;
  const promise = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => settle(new Error('the lease was not recorded in time')), DB_CALL_TIMEOUT_MS);
    timer.unref();
    let done = false;
    settle = (err) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err) reject(err);
      else resolve();
    };
  });
  promise.catch(() => undefined); // observed by the plugin; never an unhandled rejection
  return { promise, settle: (err) => settle(err) };
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
