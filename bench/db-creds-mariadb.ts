import { randomInt } from 'node:crypto';
import mysql from 'mysql2/promise';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { MARIADB } from '../src/engines/database/plugins/mysql/mariadb-harness.suite.js';
import { openRaw, runDbCreds, runMain, type RawSide } from './db-creds-lib.js';

/**
 * MariaDB dynamic credentials through Ward's `mysql-database-plugin` (`GET database/creds/<role>`, then
 * `PUT sys/leases/revoke` of every lease), 4 concurrent clients, for two creation templates:
 *
 * - direct-grant: `CREATE USER '{{name}}'@'%' IDENTIFIED BY '{{password}}'` and one `GRANT SELECT ON <table> TO` per
 *   table of the 10 (MariaDB's GRANT names one table): 11 statements;
 * - membership:   `CREATE USER ...; GRANT <role> TO ...; SET DEFAULT ROLE <role> FOR ...` (the role holds the grants).
 *
 * Against, in the same run, the raw rate of the same statements sent straight with `mysql2` by 4 concurrent clients
 * (one connection each) as the same account, with the same coordination as Ward's MySQL plugin
 * (src/engines/database/plugins/mysql/): no transaction and no lock, each statement on its own (autocommit), in order,
 * on one connection; revocation by the same statements as its default revocation (`dropAccounts` + `killSessions` of
 * revoke.ts): `SELECT Host FROM mysql.user WHERE User = ?`, then for every host found and `'%'`:
 * `REVOKE ALL PRIVILEGES, GRANT OPTION FROM ?@?` and `DROP USER IF EXISTS ?@?`, then the session lookup in
 * `information_schema.PROCESSLIST` (and a KILL per session found: none here). Goal: Ward / raw ≥ 0.85.
 * The two sides run in alternating one-second slices (db-creds-lib.ts), so both see the same number of accounts:
 * MariaDB's account statements slow down as accounts accumulate.
 *
 * Set-up, as root over the unix socket: a database `ward_bench_dbcreds` with 10 empty tables, a role
 * `ward_bench_dbcreds_readers` holding SELECT on them, and a connection account `ward_bench_admin`@'%' with what
 * scripts/setup-mariadb.sh gives ward_admin (CREATE USER, PROCESS, CONNECTION ADMIN, SELECT ON mysql.user) plus ALL
 * on the bench database WITH GRANT OPTION, the role WITH ADMIN OPTION (to grant it) and UPDATE ON mysql.* (MariaDB
 * demands it for `SET DEFAULT ROLE ... FOR` another account) — a separate account, so the shared ward_admin of the
 * tests is never given more. Clean-up drops every bench user left, the role, the account and the database.
 */
const DB = 'ward_bench_dbcreds';
const READERS = 'ward_bench_dbcreds_readers';
const ADMIN = 'ward_bench_admin';
const ADMIN_PASSWORD = 'ward-bench-admin-pw';
const SOCKET = process.env.WARD_TEST_MYSQL_SOCKET ?? '/run/mysqld/mysqld.sock';
const RAW_PREFIX = 'wbraw-';
const WARD_ROLE_PREFIX = 'bench-'; // Ward's default template: v-<display name>-<role name>-<random>-<unix time>, cut at 32
const TABLES = Array.from({ length: 10 }, (_, i) => `${DB}.t${i + 1}`);
/** mysql-database-plugin's longest username (Ward's names are cut to it). */
const NAME_LENGTH = 32;

const TEMPLATES = {
  'direct-grant': [`CREATE USER '{{name}}'@'%' IDENTIFIED BY '{{password}}';`, ...TABLES.map((t) => `GRANT SELECT ON ${t} TO '{{name}}'@'%';`)].join('\n'),
  membership: `CREATE USER '{{name}}'@'%' IDENTIFIED BY '{{password}}';\nGRANT ${READERS} TO '{{name}}'@'%';\nSET DEFAULT ROLE ${READERS} FOR '{{name}}'@'%';`,
} as const;
type Template = keyof typeof TEMPLATES;
const TAGS: Record<Template, string> = { 'direct-grant': 'dg', membership: 'mb' };

/** Runs statements one by one as root over the unix socket. */
async function root(...statements: string[]): Promise<RowDataPacket[]> {
  const c = await mysql.createConnection({ socketPath: SOCKET, user: 'root', password: '' });
  try {
    let rows: RowDataPacket[] = [];
    for (const s of statements) [rows] = await c.query<RowDataPacket[]>(s);
    return rows;
  } finally {
    await c.end();
  }
}

/** Drops every account the benchmark may have left (raw users, Ward's users of the bench roles). */
async function dropLeftoverUsers(): Promise<number> {
  const rows = await root(`SELECT User AS user, Host AS host FROM mysql.user WHERE User LIKE '${RAW_PREFIX}%' OR User LIKE 'v-%-${WARD_ROLE_PREFIX}%'`);
  for (const { user, host } of rows) await root(mysql.format('DROP USER IF EXISTS ?@?', [String(user), String(host)]));
  return rows.length;
}

async function tearDown(): Promise<number> {
  const left = await dropLeftoverUsers();
  await root(`DROP ROLE IF EXISTS ${READERS}`, `DROP USER IF EXISTS '${ADMIN}'@'%'`, `DROP DATABASE IF EXISTS ${DB}`);
  return left;
}

async function setUp(): Promise<void> {
  await tearDown();
  const admin = `'${ADMIN}'@'%'`;
  await root(
    `CREATE DATABASE ${DB}`,
    ...TABLES.map((t) => `CREATE TABLE ${t} (id INT PRIMARY KEY, label VARCHAR(100))`),
    `CREATE ROLE ${READERS}`,
    ...TABLES.map((t) => `GRANT SELECT ON ${t} TO ${READERS}`),
    `CREATE USER ${admin} IDENTIFIED BY '${ADMIN_PASSWORD}'`,
    `GRANT CREATE USER, PROCESS ON *.* TO ${admin}`,
    `GRANT SELECT ON mysql.user TO ${admin}`,
    `GRANT UPDATE ON mysql.* TO ${admin}`,
    `GRANT ALL PRIVILEGES ON ${DB}.* TO ${admin} WITH GRANT OPTION`,
    `GRANT ${READERS} TO ${admin} WITH ADMIN OPTION`,
  );
  // CONNECTION ADMIN (KILL other accounts' sessions) exists from MariaDB 10.5.2; SUPER before, as setup-mariadb.sh.
  await root(`GRANT CONNECTION ADMIN ON *.* TO ${admin}`).catch(() => root(`GRANT SUPER ON *.* TO ${admin}`));
}

// ---------------------------------------------------------------------------------------------------------------
// Raw: the same statements with mysql2, as ward_bench_admin over TCP, one connection per client.

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const randomText = (n: number, charset = ALPHANUMERIC): string => Array.from({ length: n }, () => charset[randomInt(charset.length)]).join('');

function rawName(template: Template): string {
  // As long as Ward's names (v-root-bench-dg-<random>, cut at 32).
  const head = `${RAW_PREFIX}bench-${TAGS[template]}-`;
  return head + randomText(NAME_LENGTH - head.length);
}

function render(sql: string, name: string, password: string): string[] {
  return sql
    .replaceAll('{{name}}', name)
    .replaceAll('{{password}}', password)
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** As MysqlPlugin.newUser: each rendered statement in turn on one connection, autocommit, no lock. */
async function rawCreate(c: Connection, template: Template): Promise<string> {
  const name = rawName(template);
  // Ward's default password policy: 20 characters of [A-Za-z0-9-].
  for (const s of render(TEMPLATES[template], name, randomText(20, `${ALPHANUMERIC}-`))) await c.query(s);
  return name;
}

/** MariaDB errors that mean "already gone" for a REVOKE (as revoke.ts). */
const ALREADY_GONE = new Set([1396, 1269, 1141, 1147, 1403, 1133]);

/** As MysqlPlugin.deleteUser with no revocation statements: dropAccounts, then killSessions. */
async function rawRevoke(c: Connection, name: string): Promise<void> {
  const [found] = await c.query<RowDataPacket[]>('SELECT Host AS host FROM mysql.user WHERE User = ?', [name]);
  const hosts = new Set(found.map((r) => String(r.host)));
  hosts.add('%');
  for (const host of hosts) {
    try {
      await c.query('REVOKE ALL PRIVILEGES, GRANT OPTION FROM ?@?', [name, host]);
    } catch (err) {
      if (!ALREADY_GONE.has((err as { errno?: number }).errno ?? 0)) throw err;
    }
    await c.query('DROP USER IF EXISTS ?@?', [name, host]);
  }
  const [sessions] = await c.query<RowDataPacket[]>('SELECT ID AS id FROM information_schema.PROCESSLIST WHERE USER = ? AND ID <> CONNECTION_ID()', [name]);
  for (const { id } of sessions) await c.query(`KILL CONNECTION ${Number(id)}`);
}

function mariadbRaw(template: Template): Promise<RawSide> {
  return openRaw(
    // The options Ward's MysqlPool gives mysql2 (no default database, one statement per query, keep-alive).
    () => mysql.createConnection({ host: MARIADB.host, port: MARIADB.port, user: ADMIN, password: ADMIN_PASSWORD, multipleStatements: false, enableKeepAlive: true }),
    (c) => c.end(),
    (c) => rawCreate(c, template),
    rawRevoke,
  );
}

runMain(() =>
  runDbCreds<Template>({
    title: `MariaDB (mysql-database-plugin, ${ADMIN})`,
    rawLabel: 'raw mysql2',
    connection: {
      plugin_name: 'mysql-database-plugin',
      connection_url: `{{username}}:{{password}}@tcp(${MARIADB.host}:${MARIADB.port})/`,
      username: ADMIN,
      password: ADMIN_PASSWORD,
      allowed_roles: '*',
    },
    templates: {
      'direct-grant': { role: `${WARD_ROLE_PREFIX}${TAGS['direct-grant']}`, statements: TEMPLATES['direct-grant'] },
      membership: { role: `${WARD_ROLE_PREFIX}${TAGS.membership}`, statements: TEMPLATES.membership },
    },
    setUp,
    tearDown,
    tearDownNote: `bench database, role ${READERS} and account ${ADMIN} dropped`,
    raw: mariadbRaw,
  }),
);
