import { WardError, type ErrorCode } from '../../../../lib/errors.js';
import { scrubSecrets } from '../../scrub.js';

/**
 * The server's own words for a driver error — never the `sql` the driver attaches, which may hold a password.
 * MySQL errors get their number appended (`(errno 1396)`).
 */
export function driverMessage(err: unknown): string {
  if (err instanceof WardError) return err.message;
  if (err instanceof Error) {
    const errno = mysqlErrno(err);
    const message = err.message !== '' ? err.message : err.name;
    return errno === undefined ? message : `${message} (errno ${errno})`;
  }
  return String(err);
}

/** The MySQL error number of a driver error (`1396` for "Operation DROP USER failed"), if it has one. */
export function mysqlErrno(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null || !('errno' in err)) return undefined;
  const errno = (err as { errno: unknown }).errno;
  return typeof errno === 'number' && errno > 0 ? errno : undefined;
}

/**
 * A typed error for the engine, its message scrubbed of `secrets`. The driver error is not kept as `cause`:
 * it carries the statement text, which may hold a password.
 */
export function pluginError(code: ErrorCode, message: string, secrets: readonly string[]): WardError {
  return new WardError(code, scrubSecrets(message, secrets));
}
