import type { MysqlSession } from './pool.js';
import { mysqlErrno } from './errors.js';
import { renderMysqlStatement } from './sql-render.js';

/**
 * Server errors that mean "already gone" during revocation or rollback: the account or the grant does not exist.
 * 1396 Operation DROP/ALTER USER failed · 1269 Can't revoke all privileges · 1141/1147/1403 no such grant ·
 * 1133 no matching row in the user table.
 */
const ALREADY_GONE = new Set([1396, 1269, 1141, 1147, 1403, 1133]);

/** Whether a revocation statement's error means its target is already gone. */
export function isAlreadyGone(err: unknown): boolean {
  const errno = mysqlErrno(err);
  return errno !== undefined && ALREADY_GONE.has(errno);
}

/**
 * Every host an account named `username` exists at (from `mysql.user`), or `undefined` when the admin may not
 * read `mysql.user` (then callers fall back to `'%'`, as Vault does).
 */
export async function accountHosts(session: MysqlSession, username: string): Promise<string[] | undefined> {
  try {
    const rows = await session.query('SELECT Host AS host FROM mysql.user WHERE User = ?', [username]);
    if (!Array.isArray(rows)) return [];
    return rows.map((row) => String(row.host));
  } catch (err) {
    // 1142: SELECT command denied; 1143: column denied.
    const errno = mysqlErrno(err);
    if (errno === 1142 || errno === 1143) return undefined;
    throw err;
  }
}

/**
 * Ward's default revocation: Vault's `REVOKE ALL PRIVILEGES, GRANT OPTION FROM '{{name}}'@'%'; DROP USER
 * '{{name}}'@'%'`, made idempotent (`DROP USER IF EXISTS`, a REVOKE for an account that is gone counts as done)
 * and applied to every host the name exists at, not only `'%'`.
 */
export async function dropAccounts(session: MysqlSession, username: string): Promise<void> {
  const hosts = new Set(await accountHosts(session, username) ?? []);
  hosts.add('%');
  for (const host of hosts) {
    try {
      await session.query('REVOKE ALL PRIVILEGES, GRANT OPTION FROM ?@?', [username, host]);
    } catch (err) {
      if (!isAlreadyGone(err)) throw err;
    }
    await session.query('DROP USER IF EXISTS ?@?', [username, host]);
  }
}

/**
 * Runs a role's own revocation or rollback statements (already split) for `username`, in order. A statement that
 * fails because the account or grant is already gone is skipped; any other failure is thrown.
 */
export async function runRevocationStatements(session: MysqlSession, statements: readonly string[], username: string): Promise<void> {
  for (const statement of statements) {
    try {
      await session.query(renderMysqlStatement(statement, { name: username, username }));
    } catch (err) {
      if (!isAlreadyGone(err)) throw err;
    }
  }
}

/**
 * Kills every open session of `username` (any host) except our own. A user that was dropped keeps its open
 * sessions in MySQL until they end, so revocation is not complete without this. Needs PROCESS (to see other
 * accounts' sessions) and CONNECTION ADMIN or SUPER (to kill them). Returns how many were killed.
 */
export async function killSessions(session: MysqlSession, username: string): Promise<number> {
  const rows = await session.query(
    'SELECT ID AS id FROM information_schema.PROCESSLIST WHERE USER = ? AND ID <> CONNECTION_ID()',
    [username],
  );
  if (!Array.isArray(rows)) return 0;
  let killed = 0;
  for (const row of rows) {
    const id = Number(row.id);
    if (!Number.isSafeInteger(id)) continue;
    try {
      await session.query(`KILL CONNECTION ${id}`);
      killed += 1;
    } catch (err) {
      // 1094: unknown thread id — it ended between the SELECT and the KILL.
      if (mysqlErrno(err) !== 1094) throw err;
    }
  }
  return killed;
}
