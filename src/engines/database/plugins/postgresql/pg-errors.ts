/**
 * PostgreSQL errors as the plugin needs to tell them apart: by SQLSTATE (never by message text alone, except where
 * PostgreSQL reports two different conditions under one code).
 */

function sqlState(err: unknown): string {
  const code = err instanceof Error ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : '';
}

/**
 * Conflicts that succeed when tried again: deadlocks (40P01), serialization failures (40001), and "tuple
 * concurrently updated" (XX000), which PostgreSQL raises when two sessions GRANT on the same object at once.
 */
export function isRetryableConflict(err: unknown): boolean {
  const code = sqlState(err);
  if (code === '40P01' || code === '40001') return true;
  return code === 'XX000' && err instanceof Error && /concurrently (updated|deleted)/.test(err.message);
}

/** The role named does not exist (42704 undefined_object). */
export function isUndefinedObject(err: unknown): boolean {
  return sqlState(err) === '42704';
}

/** DROP ROLE refused because objects or privileges still depend on the role (2BP01). */
export function isDependentObjects(err: unknown): boolean {
  return sqlState(err) === '2BP01';
}

/** Not allowed (42501 insufficient_privilege). */
export function isInsufficientPrivilege(err: unknown): boolean {
  return sqlState(err) === '42501';
}

/**
 * A table's (or other object's) access-control list no longer fits in its catalog row: PostgreSQL keeps the ACL
 * inline in one 8 kB row, so after roughly 2,400 direct grants on one object every further GRANT fails with
 * `row is too big` (54000 program_limit_exceeded).
 */
export function isAclFull(err: unknown): boolean {
  return sqlState(err) === '54000' && err instanceof Error && /row is too big/i.test(err.message);
}

/** The message of a PostgreSQL error, with its SQLSTATE when it has one. */
export function describePgError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const code = sqlState(err);
  return code ? `${message} (SQLSTATE ${code})` : message;
}

/** The explanation clients get when the ACL limit is hit. */
export const ACL_FULL_HINT =
  'PostgreSQL refused the GRANT because the access-control list of the object it names is full: an object\'s ACL must ' +
  'fit in one 8 kB catalog row, which holds about 2,400 direct grants. Grant the privileges once to a group role ' +
  '(e.g. app_readers) and create users with CREATE ROLE "{{name}}" ... IN ROLE app_readers instead ' +
  '(see docs/engines/database.md, "Many credentials on one table")';
