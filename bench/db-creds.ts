import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { Client, escapeIdentifier } from 'pg';
import { Pool } from 'undici';
import { connectionConfig, PG_ADMIN_PASSWORD, PG_ADMIN_USER, PG_DB, PG_HOST, PG_PORT, PG_SOCKET } from '../test/helpers/postgres.js';
import { fmt, startWard, stop } from './lib.js';

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
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CLIENTS = 4;
/** A table's ACL holds about 2,440 direct grants; stay well below in one issuance phase. */
const MAX_CREDS = Number(process.env.BENCH_MAX_CREDS ?? 2000);
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

/** The same per-key serialisation as Ward's KeyedLock (src/lib/keyed-lock.ts). */
class Mutex {
  #tail: Promise<void> = Promise.resolve();
  async run<T>(fn: () => Promise<T>): Promise<T> {
    const previous = this.#tail;
    let release: () => void = () => undefined;
    this.#tail = previous.then(() => new Promise<void>((r) => (release = r)));
    await previous;
    try {
      return await fn();
    } finally {
      release();
    }
  }
}

interface Phase {
  count: number;
  seconds: number;
  perSecond: number;
  errors: number;
  firstError?: string;
}

/** `CLIENTS` workers calling `op` until `seconds` have passed or `max` operations succeeded. */
async function timed(seconds: number, max: number, op: (worker: number) => Promise<void>): Promise<Phase> {
  let count = 0;
  let errors = 0;
  let firstError: string | undefined;
  const start = performance.now();
  const end = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, w) => {
      while (performance.now() < end && count < max) {
        try {
          await op(w);
          count++;
        } catch (err) {
          errors++;
          firstError ??= err instanceof Error ? err.message : String(err);
          if (errors > 50) return;
        }
      }
    }),
  );
  const s = (performance.now() - start) / 1000;
  return { count, seconds: s, perSecond: count / s, errors, firstError };
}

/** `CLIENTS` workers consuming `items` with `op` until none is left. */
async function drain<T>(items: T[], op: (item: T, worker: number) => Promise<void>): Promise<Phase> {
  const queue = [...items];
  let count = 0;
  let errors = 0;
  let firstError: string | undefined;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, w) => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
        try {
          await op(item, w);
          count++;
        } catch (err) {
          errors++;
          firstError ??= err instanceof Error ? err.message : String(err);
        }
      }
    }),
  );
  const s = (performance.now() - start) / 1000;
  return { count, seconds: s, perSecond: count / s, errors, firstError };
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

async function rawRun(template: Template): Promise<{ issue: Phase; revoke: Phase }> {
  const clients = await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      const c = new Client({ host: PG_HOST, port: PG_PORT, user: PG_ADMIN_USER, password: PG_ADMIN_PASSWORD, database: PG_DB });
      await c.connect();
      return c;
    }),
  );
  try {
    const names: string[] = [];
    const issue = await timed(SECONDS, MAX_CREDS, async (w) => {
      names.push(await rawCreate(clients[w]!, template));
    });
    const revoke = await drain(names, (name, w) => rawRevoke(clients[w]!, name));
    return { issue, revoke };
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Ward: GET database/creds/<role>, then PUT sys/leases/revoke, through one undici pool of 4 connections.

async function wardRun(pool: Pool, token: string, role: string, seconds = SECONDS): Promise<{ issue: Phase; revoke: Phase }> {
  const leases: string[] = [];
  const issue = await timed(seconds, MAX_CREDS, async () => {
    const res = await pool.request({ path: `/v1/database/creds/${role}`, method: 'GET', headers: { 'x-vault-token': token } });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`creds: ${res.statusCode} ${text}`);
    leases.push((JSON.parse(text) as { lease_id: string }).lease_id);
  });
  const revoke = await drain(leases, async (leaseId) => {
    const res = await pool.request({
      path: '/v1/sys/leases/revoke',
      method: 'PUT',
      headers: { 'x-vault-token': token, 'content-type': 'application/json' },
      body: JSON.stringify({ lease_id: leaseId }),
    });
    const text = await res.body.text();
    if (res.statusCode !== 204 && res.statusCode !== 200) throw new Error(`revoke: ${res.statusCode} ${text}`);
  });
  return { issue, revoke };
}

async function api(url: string, token: string, method: string, path: string, body?: unknown): Promise<void> {
  const res = await fetch(`${url}/v1/${path}`, { method, headers: { 'x-vault-token': token, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${text}`);
}

const line = (label: string, p: Phase, unit: string) =>
  `  ${label.padEnd(34)} ${fmt(p.perSecond).padStart(6)} ${unit}/s  (${fmt(p.count)} in ${fmt(p.seconds, 2)} s${p.errors ? `, ${p.errors} errors: ${p.firstError}` : ''})`;

async function main(): Promise<void> {
  await setUp();
  const ward = await startWard();
  const pool = new Pool(ward.url, { connections: CLIENTS, pipelining: 1 });
  let failed = false;
  try {
    await api(ward.url, ward.token, 'POST', 'sys/mounts/database', { type: 'database' });
    await api(ward.url, ward.token, 'POST', 'database/config/bench', connectionConfig());
    for (const t of Object.keys(TEMPLATES) as Template[]) {
      await api(ward.url, ward.token, 'POST', `database/roles/${WARD_ROLE_PREFIX}${t === 'direct-grant' ? 'dg' : 'mb'}`, {
        db_name: 'bench',
        creation_statements: [TEMPLATES[t]],
        default_ttl: '1h',
        max_ttl: '24h',
      });
    }
    console.log(`db-creds: PostgreSQL (${SECONDS}s issuance per run, ${CLIENTS} concurrent clients, at most ${fmt(MAX_CREDS)} credentials per run)`);
    for (const t of Object.keys(TEMPLATES) as Template[]) {
      const role = `${WARD_ROLE_PREFIX}${t === 'direct-grant' ? 'dg' : 'mb'}`;
      // Warm-up: one second of issuance and its revocation through Ward, not counted.
      await wardRun(pool, ward.token, role, 1).catch(() => undefined);
      const raw = await rawRun(t);
      const w = await wardRun(pool, ward.token, role);
      const ri = w.issue.perSecond / raw.issue.perSecond;
      const rr = w.revoke.perSecond / raw.revoke.perSecond;
      console.log(`${t}:`);
      console.log(line('raw pg, issued', raw.issue, 'creds'));
      console.log(line('raw pg, revoked', raw.revoke, 'creds'));
      console.log(line('Ward, issued (database/creds)', w.issue, 'creds'));
      console.log(line('Ward, revoked (sys/leases/revoke)', w.revoke, 'creds'));
      console.log(`  ratio issued Ward / raw:  ${fmt(ri, 2)} (goal ≥ 0.85) ${ri >= 0.85 ? 'MET' : 'NOT MET'}`);
      console.log(`  ratio revoked Ward / raw: ${fmt(rr, 2)} (goal ≥ 0.85) ${rr >= 0.85 ? 'MET' : 'NOT MET'}`);
      if (w.issue.errors || w.revoke.errors || raw.issue.errors || raw.revoke.errors) failed = true;
    }
    console.log('MariaDB: not measured yet.');
  } finally {
    await pool.close();
    await stop(ward.child);
    rmSync(ward.dir, { recursive: true, force: true });
    const left = await tearDown();
    console.log(`clean-up: bench schema and group role dropped; ${left} leftover user(s) dropped`);
  }
  if (failed) process.exit(1);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
