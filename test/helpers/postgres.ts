import { randomBytes } from 'node:crypto';
import { Client, escapeIdentifier, type QueryResultRow } from 'pg';

/**
 * The local PostgreSQL as scripts/setup-postgres.sh prepares it: databases `ward_test` / `ward_test_b` that demand a
 * password over TCP from 127.0.0.1, and the role `ward_admin` Ward connects as. Tests use unique role, schema and
 * table names, so they run in parallel and leave nothing shared behind.
 */

export const PG_HOST = process.env.WARD_PG_HOST ?? '127.0.0.1';
export const PG_PORT = Number(process.env.WARD_PG_PORT ?? 5432);
export const PG_SOCKET = process.env.WARD_PG_SOCKET ?? '/var/run/postgresql';
export const PG_DB = 'ward_test';
export const PG_DB_B = 'ward_test_b';
export const PG_ADMIN_USER = 'ward_admin';
export const PG_ADMIN_PASSWORD = process.env.WARD_PG_ADMIN_PASSWORD ?? 'ward-admin-password';

/** A Vault-style templated connection URL for `ward_admin`. */
export function connectionUrl(database = PG_DB): string {
  return `postgresql://{{username}}:{{password}}@${PG_HOST}:${PG_PORT}/${database}?sslmode=disable`;
}

/** The `config/:name` body of a PostgreSQL connection as ward_admin. */
export function connectionConfig(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    plugin_name: 'postgresql-database-plugin',
    connection_url: connectionUrl(),
    username: PG_ADMIN_USER,
    password: PG_ADMIN_PASSWORD,
    allowed_roles: '*',
    ...extra,
  };
}

let counter = 0;
/** A name no other test (or run) uses: lowercase, a valid unquoted identifier. */
export function uniqueName(prefix: string): string {
  counter++;
  return `${prefix}_${process.pid}_${counter}_${randomBytes(3).toString('hex')}`;
}

/** Runs SQL as the superuser over the unix socket (trust), in `database`. */
export async function su<R extends QueryResultRow = QueryResultRow>(text: string, params: unknown[] = [], database = PG_DB): Promise<R[]> {
  const c = new Client({ host: PG_SOCKET, port: PG_PORT, user: 'postgres', database });
  await c.connect();
  try {
    return (await c.query<R>(text, params)).rows;
  } finally {
    await c.end();
  }
}

/** Whether a role of that name exists (pg_roles). */
export async function roleExists(name: string): Promise<boolean> {
  return (await su('SELECT 1 FROM pg_roles WHERE rolname = $1', [name])).length > 0;
}

/** The role's VALID UNTIL, or null. */
export async function validUntil(name: string): Promise<Date | null> {
  const rows = await su<{ rolvaliduntil: Date | null }>('SELECT rolvaliduntil FROM pg_roles WHERE rolname = $1', [name]);
  return rows[0]?.rolvaliduntil ?? null;
}

/** Logs in over TCP as `user` with `password` and runs `query`; the error message when refused. */
export async function tryLogin(user: string, password: string, query = 'SELECT 1', database = PG_DB): Promise<{ ok: true; rows: QueryResultRow[] } | { ok: false; error: string }> {
  const c = new Client({ host: PG_HOST, port: PG_PORT, user, password, database, connectionTimeoutMillis: 5000 });
  c.on('error', () => undefined);
  try {
    await c.connect();
    const r = await c.query(query);
    return { ok: true, rows: r.rows };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** A connected client as `user` (for holding sessions open); the caller ends it. */
export async function loginClient(user: string, password: string, database = PG_DB): Promise<Client> {
  const c = new Client({ host: PG_HOST, port: PG_PORT, user, password, database, connectionTimeoutMillis: 5000 });
  c.on('error', () => undefined);
  await c.connect();
  return c;
}

/** A schema owned by ward_admin with one table `items` (two rows), in `database`. */
export async function createSchema(schema: string, database = PG_DB): Promise<void> {
  const s = escapeIdentifier(schema);
  await su(
    `CREATE SCHEMA ${s} AUTHORIZATION ${PG_ADMIN_USER};
     SET ROLE ${PG_ADMIN_USER};
     CREATE TABLE ${s}.items (id int PRIMARY KEY, label text);
     INSERT INTO ${s}.items VALUES (1, 'one'), (2, 'two');
     RESET ROLE;`,
    [],
    database,
  );
}

export async function dropSchema(schema: string, database = PG_DB): Promise<void> {
  await su(`DROP SCHEMA IF EXISTS ${escapeIdentifier(schema)} CASCADE`, [], database);
}

/** Drops roles left behind by a failing test (never fails). */
export async function dropRoles(names: string[]): Promise<void> {
  for (const n of names) {
    if (!(await roleExists(n))) continue;
    const q = escapeIdentifier(n);
    for (const db of [PG_DB, PG_DB_B]) await su(`REASSIGN OWNED BY ${q} TO postgres; DROP OWNED BY ${q}`, [], db).catch(() => undefined);
    await su(`DROP ROLE IF EXISTS ${q}`).catch(() => undefined);
  }
}
