import { escapeIdentifier } from 'pg';
import { isDependentObjects, isInsufficientPrivilege, isUndefinedObject } from './pg-errors.js';
import type { PgConnection, Queryable } from './pg-pool.js';
import { retryConflicts } from './retry.js';

/**
 * Ward's default revocation of a PostgreSQL user — the one that works where Vault's does not (a user that received
 * grants, is named in someone's `ALTER DEFAULT PRIVILEGES ... TO`, or owns objects, in any database):
 *
 * 1. A user that does not exist counts as revoked.
 * 2. `ALTER ROLE ... NOLOGIN`, then its open sessions are terminated (`pg_terminate_backend`).
 * 3. `DROP ROLE`. That is all a user with nothing attached needs, and it takes no lock shared with other credentials.
 * 4. Only when PostgreSQL says something still depends on the user: in every database where it has anything
 *    (`pg_shdepend`), `REASSIGN OWNED BY` it `TO` the connection's user and `DROP OWNED BY` it (which revokes its
 *    grants, default privileges naming it and privileges on shared objects), then `DROP ROLE` again.
 *
 * A connection user that is not a superuser needs CREATEROLE (to drop), membership of `pg_signal_backend` (to end
 * sessions), and the privileges of the user it revokes for step 4 — Ward grants itself membership in that user first
 * (`GRANT "user" TO CURRENT_USER`, allowed to a CREATEROLE user that manages it). See scripts/setup-postgres.sh.
 */

export interface RevokeContext {
  conn: PgConnection;
  signal: AbortSignal;
  /** Runs `fn` holding the lock that serialises ACL changes on `database` of this server. */
  withAclLock<T>(database: string, fn: () => Promise<T>): Promise<T>;
}

/** The role's OID, or null when there is no such role. */
export async function roleOid(c: Queryable, username: string): Promise<number | null> {
  const r = await c.query<{ oid: number }>('SELECT oid::int AS oid FROM pg_roles WHERE rolname = $1', [username]);
  return r.rows[0]?.oid ?? null;
}

/** Ends every session of the role (by OID, so sessions of an already dropped role are found too). */
export async function terminateSessions(c: Queryable, oid: number): Promise<void> {
  await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usesysid = $1 AND pid <> pg_backend_pid()', [oid]);
}

/** Makes the connection's user a member of `username` (needed for REASSIGN/DROP OWNED by a non-superuser). */
async function ensureMember(c: Queryable, username: string): Promise<void> {
  const r = await c.query<{ rolsuper: boolean; member: boolean }>(
    `SELECT r.rolsuper, pg_has_role(current_user, t.oid, 'USAGE') AS member
       FROM pg_roles r, pg_roles t WHERE r.rolname = current_user AND t.rolname = $1`,
    [username],
  );
  const row = r.rows[0];
  if (!row || row.rolsuper || row.member) return;
  await c.query(`GRANT ${escapeIdentifier(username)} TO CURRENT_USER`);
}

/** Step 2: no new logins, no open sessions. */
async function lockOut(c: Queryable, username: string, oid: number): Promise<void> {
  await c.query(`ALTER ROLE ${escapeIdentifier(username)} NOLOGIN`).catch((err: unknown) => {
    if (!isUndefinedObject(err)) throw err;
  });
  try {
    await terminateSessions(c, oid);
  } catch (err) {
    if (!isInsufficientPrivilege(err)) throw err;
    // Without pg_signal_backend, membership in the role also allows ending its sessions.
    await ensureMember(c, username);
    await terminateSessions(c, oid);
  }
}

/** Step 4 in one database: hand over what the user owns, drop what is left (grants, default privileges). */
async function clearDependencies(c: Queryable, username: string): Promise<void> {
  const q = escapeIdentifier(username);
  await c.query('BEGIN');
  try {
    await c.query(`REASSIGN OWNED BY ${q} TO CURRENT_USER`);
    await c.query(`DROP OWNED BY ${q}`);
    await c.query('COMMIT');
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/** Revokes `username` thoroughly (see the module comment). Idempotent. */
export async function defaultRevoke(ctx: RevokeContext, username: string): Promise<void> {
  const { conn, signal } = ctx;
  const q = escapeIdentifier(username);
  const first = await conn.withClient(signal, async (c) => {
    const oid = await roleOid(c, username);
    if (oid === null) return { done: true, oid: 0 };
    await lockOut(c, username, oid);
    try {
      await c.query(`DROP ROLE IF EXISTS ${q}`);
    } catch (err) {
      if (isDependentObjects(err)) return { done: false, oid };
      throw err;
    }
    await terminateSessions(c, oid).catch(() => undefined);
    return { done: true, oid };
  });
  if (first.done) return;

  const where = await conn.withClient(signal, async (c) => {
    await ensureMember(c, username);
    const cur = await c.query<{ db: string }>('SELECT current_database() AS db');
    const dbs = await c.query<{ datname: string }>(
      `SELECT DISTINCT d.datname FROM pg_shdepend s JOIN pg_database d ON d.oid = s.dbid
        WHERE s.refclassid = 'pg_authid'::regclass AND s.refobjid = $1 ORDER BY 1`,
      [first.oid],
    );
    return { current: cur.rows[0]?.db ?? conn.target.database, others: dbs.rows.map((r) => r.datname) };
  });
  for (const db of [where.current, ...where.others.filter((d) => d !== where.current)]) {
    await ctx.withAclLock(db, () =>
      retryConflicts(signal, () =>
        db === where.current ? conn.withClient(signal, (c) => clearDependencies(c, username)) : conn.withDatabase(db, signal, (c) => clearDependencies(c, username)),
      ),
    );
  }
  await conn.withClient(signal, async (c) => {
    await c.query(`DROP ROLE IF EXISTS ${q}`);
    await terminateSessions(c, first.oid).catch(() => undefined);
  });
}
