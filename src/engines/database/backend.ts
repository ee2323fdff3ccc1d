import type { Logger, Storage, SystemView } from '../../framework/index.js';
import type { ConnectionManager } from './connection-manager.js';
import type { KeyedLock } from '../../lib/keyed-lock.js';

/** Bound on each call to a database made on behalf of one request or one lease. */
export const DB_CALL_TIMEOUT_MS = 30_000;

/** A fresh signal for one database call. */
export function callSignal(): AbortSignal {
  return AbortSignal.timeout(DB_CALL_TIMEOUT_MS);
}

/** What the paths and secret hooks of one database mount share. */
export interface DatabaseBackend {
  storage: Storage;
  system: SystemView;
  logger: Logger;
  connections: ConnectionManager;
  /** Serialises administrative work per connection name: config writes, delete, reset, root rotation. */
  connectionLocks: KeyedLock;
  /** Serialises work per static role: writes, rotations. */
  roleLocks: KeyedLock;
  /** Static roles whose last rotation failed, and when to try again (ms since the epoch). */
  staticRetryAt: Map<string, number>;
}
