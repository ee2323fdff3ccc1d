import { WardError, internalError, invalidRequest } from '../../framework/index.js';
import { callSignal, type DatabaseBackend } from './backend.js';
import { hasLiteralPassword, readConnection, writeConnection, type StoredConnection } from './connection-store.js';
import { generatePassword } from './passwords.js';
import { pluginFailure, scrubbedMessage } from './plugin-errors.js';
import { deleteWal, getWal, listWal, putWal, type RootRotationWal } from './wal.js';

/**
 * Root credential rotation (`rotate-root/:name`) with a write-ahead record, so that a crash (or a lost connection)
 * between changing the password at the database and storing it can never lock Ward out:
 *
 * 1. the new password is written to `wal/root/<name>` (encrypted by the barrier);
 * 2. the password is changed at the database (the root rotation statements);
 * 3. the connection's stored config gets the new password, and its pool is rebuilt;
 * 4. the record is deleted.
 *
 * A record left behind (Ward stopped, or step 2's outcome is unknown) is settled at start-up, periodically, and before
 * the next rotation: Ward tries the record's password, then the stored one, and keeps whichever connects. While neither
 * does (the database is down), the record stays and is tried again.
 */

export type WalResolution = 'none' | 'stale' | 'stored' | 'new' | 'old';

/** Whether `password` logs in for `conn` now (a throwaway plugin with verify). */
async function connects(b: DatabaseBackend, conn: StoredConnection, password: string): Promise<boolean> {
  const plugin = b.connections.factoryFor(conn.pluginName).create(conn.pluginName);
  try {
    await plugin.initialize({ ...conn.config, password }, { verify: true, signal: callSignal() });
    return true;
  } catch {
    return false;
  } finally {
    await plugin.close().catch(() => undefined);
  }
}

/** Steps 3 and 4: store the new password, rebuild the pool, forget the record. */
async function commit(b: DatabaseBackend, name: string, conn: StoredConnection, newPassword: string): Promise<void> {
  const next: StoredConnection = { ...conn, details: { ...conn.details, password: newPassword }, config: { ...conn.config, password: newPassword } };
  await writeConnection(b.storage, name, next);
  await b.connections.drop(name);
  await deleteWal(b.storage, 'root', name);
}

/** Settles a leftover record for connection `name` (see the module comment). Call under the connection's lock. */
export async function resolveRootWal(b: DatabaseBackend, name: string): Promise<WalResolution> {
  const wal = await getWal<RootRotationWal>(b.storage, 'root', name);
  if (!wal) return 'none';
  const conn = await readConnection(b.storage, name);
  if (!conn || conn.id !== wal.connectionId) {
    await deleteWal(b.storage, 'root', name);
    return 'stale';
  }
  if (conn.config.password === wal.newPassword) {
    await deleteWal(b.storage, 'root', name);
    return 'stored';
  }
  if (await connects(b, conn, wal.newPassword)) {
    await commit(b, name, conn, wal.newPassword);
    b.logger.warn({ connection: name }, 'an interrupted root rotation had changed the password at the database: the new password is now stored');
    return 'new';
  }
  if (await connects(b, conn, conn.config.password)) {
    await deleteWal(b.storage, 'root', name);
    b.logger.warn({ connection: name }, 'an interrupted root rotation had not changed the password at the database: the stored password is kept');
    return 'old';
  }
  throw new WardError('upstream', `an interrupted root rotation of connection "${name}" cannot be settled yet: neither the new nor the stored password connects`);
}

/** Settles every leftover record (start-up, periodic); failures are logged and retried next time. */
export async function resolveAllRootWals(b: DatabaseBackend): Promise<void> {
  for (const name of await listWal(b.storage, 'root')) {
    await b.connectionLocks
      .run(name, () => resolveRootWal(b, name))
      .catch((err: unknown) => b.logger.error({ connection: name, err: scrubbedMessage(err, []) }, 'settling an interrupted root rotation failed; will retry'));
  }
}

/** Rotates the root password of connection `name`. Call under the connection's lock. */
export async function rotateRoot(b: DatabaseBackend, name: string): Promise<void> {
  await resolveRootWal(b, name);
  const conn = await readConnection(b.storage, name);
  if (!conn) throw internalError(`failed to find entry for connection with name: "${name}"`);
  if (hasLiteralPassword(conn.config.connectionUrl)) {
    throw invalidRequest('unable to rotate root credentials: connection_url holds a literal password; use {{username}} and {{password}} in it instead');
  }
  const username = conn.config.username;
  if (username === '') throw internalError('unable to rotate root credentials: no username in configuration');
  if (conn.config.password === '') throw internalError('unable to rotate root credentials: no password in configuration');
  const newPassword = await generatePassword(b.system, conn.passwordPolicy);
  await putWal(b.storage, 'root', name, { connection: name, connectionId: conn.id, username, newPassword, createdAt: b.system.now() });
  try {
    await b.connections.use(name, (p) => p.updateUser({ username, password: { newPassword, statements: conn.rootRotationStatements } }, callSignal()));
  } catch (err) {
    // The change may or may not have reached the database (a broken connection): settle it now if possible.
    await resolveRootWal(b, name).catch(() => undefined);
    throw pluginFailure(err, [newPassword, conn.config.password], 'upstream', 'failed to update user');
  }
  await commit(b, name, conn, newPassword);
  b.logger.info({ connection: name }, 'root credentials rotated');
}
