import mysql from 'mysql2/promise';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import type { ConnectionConfig } from '../../plugin.js';

/**
 * The local MariaDB the tests use, as `scripts/setup-mariadb.sh` prepares it: `ward_admin` at `'%'` with a known
 * password (override with WARD_TEST_MYSQL_* variables) and a `ward_test` database.
 */
export const MARIADB = {
  host: process.env.WARD_TEST_MYSQL_HOST ?? '127.0.0.1',
  port: Number(process.env.WARD_TEST_MYSQL_PORT ?? 3306),
  user: process.env.WARD_TEST_MYSQL_ADMIN_USER ?? 'ward_admin',
  password: process.env.WARD_TEST_MYSQL_ADMIN_PASSWORD ?? 'ward-admin-test-pw',
  database: 'ward_test',
};

/** A connection config for the plugin, in Vault's DSN form with placeholders. */
export function mariadbConfig(overrides: Partial<ConnectionConfig> = {}): ConnectionConfig {
  return {
    connectionUrl: `{{username}}:{{password}}@tcp(${MARIADB.host}:${MARIADB.port})/`,
    username: MARIADB.user,
    password: MARIADB.password,
    maxOpenConnections: 4,
    maxIdleConnections: 0,
    maxConnectionLifetime: 0,
    disableEscaping: false,
    passwordAuthentication: 'password',
    extra: {},
    ...overrides,
  };
}

/**
 * Opens a connection as `user`; resolves undefined when the server refuses the login: 1045, or 1698, which
 * MariaDB answers at random for an account that does not exist (its fake authentication plugin hides which
 * names exist).
 */
export async function connectAs(user: string, password: string): Promise<Connection | undefined> {
  try {
    return await mysql.createConnection({ host: MARIADB.host, port: MARIADB.port, user, password, connectTimeout: 5_000 });
  } catch (err) {
    const errno = (err as { errno?: number }).errno;
    if (errno === 1045 || errno === 1698) return undefined;
    throw err;
  }
}

export async function canLogin(user: string, password: string): Promise<boolean> {
  const conn = await connectAs(user, password);
  if (conn === undefined) return false;
  await conn.end();
  return true;
}

/** Runs `sql` as ward_admin. */
export async function adminQuery(sql: string, values: unknown[] = []): Promise<RowDataPacket[]> {
  const conn = await mysql.createConnection({ host: MARIADB.host, port: MARIADB.port, user: MARIADB.user, password: MARIADB.password, connectTimeout: 5_000 });
  try {
    const [rows] = await conn.query<RowDataPacket[]>(sql, values);
    return rows;
  } finally {
    await conn.end();
  }
}

/** Hosts at which an account named `user` exists. */
export async function accountHostsOf(user: string): Promise<string[]> {
  const rows = await adminQuery('SELECT Host AS host FROM mysql.user WHERE User = ?', [user]);
  return rows.map((r) => String(r.host));
}

export async function userExists(user: string): Promise<boolean> {
  return (await accountHostsOf(user)).length > 0;
}
