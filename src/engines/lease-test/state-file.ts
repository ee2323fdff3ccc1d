import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';

/** One line of the engine's state file (JSON lines). */
export interface StateEvent {
  event: 'created' | 'revoked';
  /** The credential's username. */
  id: string;
  /** Revoked: the lease that asked for it. */
  lease_id?: string;
  /** Revoked: whether the engine knew the credential (false = a lease that pointed at nothing). */
  found?: boolean;
  /** Revoked: the credential had already been revoked (a repeated, idempotent revocation). */
  already?: boolean;
  /** Revoked: by the engine's clean-up of a creation that never completed (no lease was ever recorded). */
  pending?: boolean;
  /** Milliseconds since the epoch (the mount's clock). */
  time: number;
}

/**
 * Appends one event and fsyncs it before returning, so a `kill -9` of the server right afterwards cannot lose it: the
 * file is the ground truth of what the "target" created and destroyed, which a crash test compares with the leases.
 */
export function appendEvent(path: string, ev: StateEvent): void {
  const fd = openSync(path, 'a', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(ev)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
