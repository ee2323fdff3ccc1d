import { randomBytes } from 'node:crypto';
import { Client, escapeIdentifier } from 'pg';
import { connectionConfig, PG_ADMIN_PASSWORD, PG_ADMIN_USER, PG_DB, PG_HOST, PG_PORT, PG_SOCKET } from '../test/helpers/postgres.js';
import { Mutex, openRaw, runDbCreds, runMain, type RawSide } from './db-creds-lib.js';

/**
 * PostgreSQL dynamic credentials through Ward (`GET database/creds/<role>`, then `PUT sys/leases/revoke` of every
 * lease), 4 concurrent clients, for two creation templates:
 *
 * - direct-grant: `CREATE ROLE ... VALID UNTIL ...; GRANT SELECT ON <10 tables> TO ...` (one GRANT naming 10 tables);
 * - membership:   `CREATE ROLE ... VALID UNTIL ... IN ROLE <group>` (the group holds the grants).
 *
 * Against, in the same run, the raw rate of the same statements sent straight with `pg` as ward_admin by 4 concurrent
 * clients, with the same coordination as Ward (creation in one transaction; ACL-changing transactions serialised per
 * database by an in-process mutex), and revocation by the same steps as Ward's default revocation
 * (src/engines/database/plugins/postgresql/revoke.ts): role OID lookup, `ALTER ROLE ... NOLOGIN`, end its sessions,
 * `DROP ROLE IF EXISTS`; when PostgreSQL says something depends on it (the direct-grant users): membership of the
 * user for ward_admin, `pg_shdepend` lookup, then under the mutex `BEGIN; REASSIGN OWNED BY; DROP OWNED BY; COMMIT`,
 * then `DROP ROLE IF EXISTS` and a last session sweep. Goal: Ward / raw ≥ 0.85 for issuance and revocation.
 *
 * A table's ACL holds about 2,440 direct grants: the direct-grant template issues at most 1,000 credentials per side
 * (2,000 live at most), below it. MariaDB: bench/db-creds-mariadb.ts.
 */
const SCHEMA = 'ward_bench_dbcreds';
const GROUP = 'ward_bench_dbcreds_readers';
const RAW_PREFIX = 'wbraw-';
const WARD_ROLE_PREFIX = 'bench-'; // Ward's default template starts v-<display name>-<role name truncated>-...
const TABLES = Array.from({ length: 10 }, (_, i) => `${SCHEMA}.t${i + 1}`);

const TEMPLATES = {
  'direct-grant': `CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}';\nGRANT SELECT ON ${TABLES.join(', ')} TO "{{name}}";`,
  membership: `CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}' IN ROLE ${GROUP};`,
} as const;
type Template = keyof typeof TEMPLATES;

async function su(sql: string): Promise<Array<Record<string, unknown>>> {
  const c = new Client({ host: PG_SOCKET, port: PG_PORT, user: 'postgres', database: PG_DB });
  await c.connect();
  try {
    const r = await c.query(sql);
    return (Array.isArray(r) ? r.flatMap((x: { rows: Array<Record<string, unknown>> }) => x.rows) : r.rows) as Array<Record<string, unknown>>;
  } finally {
    await c.end();
  }
}

/** Drops every role the benchmark may have left (raw users, Ward's users of the bench roles). */
async function dropLeftoverUsers(): Promise<number> {
  const rows = await su(`SELECT rolname FROM pg_roles WHERE rolname LIKE '${RAW_PREFIX}%' OR rolname LIKE 'v-%-${WARD_ROLE_PREFIX}%'`);
  for (const { rolname } of rows) {
    const q = escapeIdentifier(String(rolname));
    await su(`REASSIGN OWNED BY ${q} TO postgres; DROP OWNED BY ${q}; DROP ROLE IF EXISTS ${q}`).catch(() => undefined);
  }
  return rows.length;
}

async function setUp(): Promise<void> {
  await dropLeftoverUsers();
  await su(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE; DROP ROLE IF EXISTS ${GROUP}`);
  await su(
    `CREATE SCHEMA ${SCHEMA} AUTHORIZATION ${PG_ADMIN_USER};
     GRANT USAGE ON SCHEMA ${SCHEMA} TO PUBLIC;
     SET ROLE ${PG_ADMIN_USER};
     ${TABLES.map((t) => `CREATE TABLE ${t} (id int PRIMARY KEY, label text);`).join('\n')}
     RESET ROLE;
     CREATE ROLE ${GROUP} NOLOGIN;
     GRANT SELECT ON ${TABLES.join(', ')} TO ${GROUP};`,
  );
}

async function tearDown(): Promise<number> {
  const left = await dropLeftoverUsers();
  await su(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE; DROP ROLE IF EXISTS ${GROUP}`);
  return left;
}

// ---------------------------------------------------------------------------------------------------------------
// Raw: the same statements with pg, as ward_admin over TCP with its password, one connection per client.

const aclMutex = new Mutex();

function rawName(): string {
  // As long as Ward's default template (v-root-bench-dg-<20 random>-<unix time>).
  return `${RAW_PREFIX}bench-dg-${randomBytes(15).toString('base64url').slice(0, 20)}-${Math.floor(Date.now() / 1000)}`;
}

function render(sql: string, name: string, password: string, expiration: string): string[] {
  return sql
    .replaceAll('{{name}}', name)
    .replaceAll('{{password}}', password)
    .replaceAll('{{expiration}}', expiration)
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

async function rawCreate(c: Client, template: Template): Promise<string> {
  const name = rawName();
  const password = randomBytes(15).toString('base64url');
  const expiration = new Date(Date.now() + 3600_000).toISOString().replace('T', ' ').replace('Z', '+00');
  const statements = render(TEMPLATES[template], name, password, expiration);
  const acl = statements.some((s) => /^\s*(GRANT|REVOKE)\b/i.test(s));
  const tx = async () => {
    await c.query('BEGIN');
    try {
      for (const s of statements) await c.query(s);
      await c.query('COMMIT');
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  };
  await (acl ? aclMutex.run(tx) : tx());
  return name;
}

async function rawRevoke(c: Client, name: string): Promise<void> {
  const q = escapeIdentifier(name);
  const r = await c.query<{ oid: number }>('SELECT oid::int AS oid FROM pg_roles WHERE rolname = $1', [name]);
  const oid = r.rows[0]?.oid;
  if (oid === undefined) return;
  const terminate = () => c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usesysid = $1 AND pid <> pg_backend_pid()', [oid]);
  await c.query(`ALTER ROLE ${q} NOLOGIN`);
  await terminate();
  try {
    await c.query(`DROP ROLE IF EXISTS ${q}`);
    await terminate();
    return;
  } catch (err) {
    if ((err as { code?: string }).code !== '2BP01') throw err;
  }
  // Something depends on the user: the same steps as Ward's defaultRevoke.
  const m = await c.query<{ rolsuper: boolean; member: boolean }>(
    `SELECT r.rolsuper, pg_has_role(current_user, t.oid, 'USAGE') AS member
       FROM pg_roles r, pg_roles t WHERE r.rolname = current_user AND t.rolname = $1`,
    [name],
  );
  if (!m.rows[0]?.rolsuper && !m.rows[0]?.member) await c.query(`GRANT ${q} TO CURRENT_USER`);
  await c.query('SELECT current_database() AS db');
  await c.query(
    `SELECT DISTINCT d.datname FROM pg_shdepend s JOIN pg_database d ON d.oid = s.dbid
      WHERE s.refclassid = 'pg_authid'::regclass AND s.refobjid = $1 ORDER BY 1`,
    [oid],
  );
  await aclMutex.run(async () => {
    await c.query('BEGIN');
    try {
      await c.query(`REASSIGN OWNED BY ${q} TO CURRENT_USER`);
      await c.query(`DROP OWNED BY ${q}`);
      await c.query('COMMIT');
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  });
  await c.query(`DROP ROLE IF EXISTS ${q}`);
  await terminate();
}

function pgRaw(template: Template): Promise<RawSide> {
  return openRaw(
    async () => {
      const c = new Client({ host: PG_HOST, port: PG_PORT, user: PG_ADMIN_USER, password: PG_ADMIN_PASSWORD, database: PG_DB });
      await c.connect();
      return c;
    },
    (c) => c.end(),
    (c) => rawCreate(c, template),
    rawRevoke,
  );
}

runMain(() =>
  runDbCreds<Template>({
    title: 'PostgreSQL',
    rawLabel: 'raw pg',
    connection: connectionConfig(),
    templates: {
      'direct-grant': { role: `${WARD_ROLE_PREFIX}dg`, statements: TEMPLATES['direct-grant'], maxPerSide: 1000 },
      membership: { role: `${WARD_ROLE_PREFIX}mb`, statements: TEMPLATES.membership },
    },
    setUp,
    tearDown,
    tearDownNote: 'bench schema and group role dropped',
    raw: pgRaw,
  }),
);
