import { callSignal, DB_CALL_TIMEOUT_MS, type DatabaseBackend } from './backend.js';
import { scrubbedMessage } from './plugin-errors.js';
import { deleteWal, getWal, listWal, type PendingUserWal } from './wal.js';

/** A pending creation older than this is abandoned (its request has long timed out). */
export const PENDING_GRACE_MS = 2 * DB_CALL_TIMEOUT_MS;

/**
 * Drops users whose creation never completed: Ward stopped mid-creation, or the database failed and the clean-up
 * right after could not confirm that nothing was left. Such a user was never handed to anyone, so the plugin's
 * default (thorough) revocation removes it; a user that does not exist counts as removed.
 */
export async function cleanUpPendingUsers(b: DatabaseBackend, options: { all?: boolean } = {}): Promise<void> {
  const now = b.system.now();
  for (const id of await listWal(b.storage, 'pending')) {
    const rec = await getWal<PendingUserWal>(b.storage, 'pending', id);
    if (!rec || (!options.all && now - rec.createdAt < PENDING_GRACE_MS)) continue;
    try {
      await b.connections.useForLease(rec.connection, rec.connectionId, (p) => p.deleteUser({ username: rec.username, statements: [] }, callSignal()));
      await deleteWal(b.storage, 'pending', id);
      b.logger.info({ connection: rec.connection }, 'dropped a database user whose creation never completed');
    } catch (err) {
      b.logger.warn({ connection: rec.connection, err: scrubbedMessage(err, []) }, 'dropping a half-created database user failed; will retry');
    }
  }
}
