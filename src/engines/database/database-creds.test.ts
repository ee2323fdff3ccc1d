import { escapeIdentifier } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PG_DB_B,
  connectionConfig,
  createSchema,
  dropRoles,
  dropSchema,
  loginClient,
  roleExists,
  su,
  tryLogin,
  uniqueName,
  validUntil,
} from '../../../test/helpers/postgres.js';
import type { EngineResponse } from '../../framework/index.js';
import { mountDatabase, type DbMount } from './db-harness.suite.js';

/** The dynamic credential lifecycle through the engine's dispatch, against the real PostgreSQL. */
describe('database engine: dynamic PostgreSQL credentials', () => {
  let db: DbMount;
  const schema = uniqueName('creds');
  const users: string[] = [];
  const q = escapeIdentifier(schema);

  const creds = async (role: string): Promise<{ resp: EngineResponse; username: string; password: string }> => {
    const resp = (await db.call('read', `creds/${role}`)) as EngineResponse;
    const data = resp.data as { username: string; password: string };
    users.push(data.username);
    return { resp, username: data.username, password: data.password };
  };

  beforeAll(async () => {
    await createSchema(schema);
    db = await mountDatabase();
    expect(await db.call('update', 'config/pg', connectionConfig())).toBeNull();
    await db.call('update', 'roles/reader', {
      db_name: 'pg',
      creation_statements: [
        `CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}';`,
        `GRANT USAGE ON SCHEMA ${q} TO "{{name}}"; GRANT SELECT ON ${q}.items TO "{{name}}";`,
      ],
      default_ttl: '1h',
      max_ttl: '24h',
    });
  });

  afterAll(async () => {
    await db?.engine.close?.();
    await dropRoles(users);
    await dropSchema(schema);
    await dropSchema(schema, PG_DB_B).catch(() => undefined);
  });

  it('issues a leased credential that logs in and reads the granted table', async () => {
    const { resp, username, password } = await creds('reader');
    expect(resp.secret).toMatchObject({ type: 'creds', ttl: 3600, maxTTL: 86400, renewable: true });
    expect(resp.secret?.internal).toMatchObject({ connection: 'pg', username, role: 'reader', revocationStatements: [], renewStatements: [] });
    expect(username).toMatch(/^v-token-reader-[A-Za-z0-9]{20}-\d{10}$/);
    expect(password).toMatch(/^[A-Za-z0-9-]{20}$/);
    const login = await tryLogin(username, password, `SELECT label FROM ${q}.items ORDER BY id`);
    expect(login).toEqual({ ok: true, rows: [{ label: 'one' }, { label: 'two' }] });
    // VALID UNTIL = issue time + TTL + 5 s.
    const until = (await validUntil(username))?.getTime() ?? 0;
    expect(Math.abs(until - (Date.now() + 3605_000))).toBeLessThan(10_000);
  });

  it('revocation drops the user, ends its sessions and refuses its login; revoking again succeeds', async () => {
    const { resp, username, password } = await creds('reader');
    const session = await loginClient(username, password);
    await db.revoke(resp);
    expect(await roleExists(username)).toBe(false);
    await expect(session.query('SELECT 1')).rejects.toThrow();
    await session.end().catch(() => undefined);
    const login = await tryLogin(username, password);
    expect(login.ok).toBe(false);
    await db.revoke(resp);
  });

  it('renewal moves VALID UNTIL at the database', async () => {
    const { resp, username } = await creds('reader');
    const target = Date.now() + 7_200_000;
    await db.renew(resp, target);
    const until = (await validUntil(username))?.getTime() ?? 0;
    expect(Math.abs(until - (target + 5000))).toBeLessThan(1500);
    await db.revoke(resp);
  });

  it('revokes a user that holds grants, is named in default privileges and owns objects in two databases', async () => {
    await createSchema(schema, PG_DB_B);
    await db.call('update', 'roles/owner', {
      db_name: 'pg',
      creation_statements: [
        `CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}';`,
        `GRANT USAGE, CREATE ON SCHEMA ${q} TO "{{name}}";`,
        `GRANT SELECT, INSERT ON ${q}.items TO "{{name}}";`,
        `ALTER DEFAULT PRIVILEGES IN SCHEMA ${q} GRANT SELECT ON TABLES TO "{{name}}";`,
      ],
    });
    const { resp, username, password } = await creds('owner');
    // The user creates objects of its own, and gets a grant and owns a table in a second database.
    const own = await tryLogin(username, password, `CREATE TABLE ${q}.mine (x int); CREATE SEQUENCE ${q}.myseq`);
    expect(own.ok).toBe(true);
    await su(`GRANT USAGE, CREATE ON SCHEMA ${q} TO ${escapeIdentifier(username)}`, [], PG_DB_B);
    await su(`SET ROLE ${escapeIdentifier(username)}; CREATE TABLE ${q}.elsewhere (y int); RESET ROLE`, [], PG_DB_B);
    const [deps] = await su<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_shdepend WHERE refobjid = (SELECT oid FROM pg_roles WHERE rolname = $1)`,
      [username],
    );
    expect(deps?.n).toBeGreaterThan(4);

    await db.revoke(resp);
    expect(await roleExists(username)).toBe(false);
    // What it owned is kept, handed to the connection's user.
    const owners = await su<{ relname: string; owner: string }>(
      `SELECT c.relname, pg_get_userbyid(c.relowner) AS owner FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relname IN ('mine', 'myseq') ORDER BY 1`,
      [schema],
    );
    expect(owners).toEqual([
      { relname: 'mine', owner: 'ward_admin' },
      { relname: 'myseq', owner: 'ward_admin' },
    ]);
    const elsewhere = await su<{ owner: string }>(`SELECT pg_get_userbyid(relowner) AS owner FROM pg_class WHERE relname = 'elsewhere'`, [], PG_DB_B);
    expect(elsewhere).toEqual([{ owner: 'ward_admin' }]);
  });

  it("falls back to the default revocation when the role's statements fail on dependencies", async () => {
    await db.call('update', 'roles/vaultstyle', {
      db_name: 'pg',
      creation_statements: `CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}'; GRANT USAGE ON SCHEMA ${q} TO "{{name}}"; GRANT SELECT ON ${q}.items TO "{{name}}";`,
      // Vault's usual revocation statement: it fails while the grants exist.
      revocation_statements: 'DROP ROLE IF EXISTS "{{name}}";',
    });
    const { resp, username } = await creds('vaultstyle');
    expect(resp.secret?.internal).toMatchObject({ revocationStatements: ['DROP ROLE IF EXISTS "{{name}}";'] });
    await db.revoke(resp);
    expect(await roleExists(username)).toBe(false);
  });

  it('reports both errors when the fallback fails too', async () => {
    await db.call('update', 'roles/broken-revoke', {
      db_name: 'pg',
      creation_statements: `CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}';`,
      revocation_statements: 'SELECT 1/0;',
    });
    const { resp, username } = await creds('broken-revoke');
    // A superuser role cannot be dropped by ward_admin: the default revocation fails as well.
    await su(`ALTER ROLE ${escapeIdentifier(username)} SUPERUSER`);
    const err = await db.revoke(resp).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(err?.message).toMatch(/revocation statements failed \(division by zero.*\) and the default revocation also failed/);
    expect(await roleExists(username)).toBe(true);
    await su(`ALTER ROLE ${escapeIdentifier(username)} NOSUPERUSER`);
    await db.revoke(resp);
    expect(await roleExists(username)).toBe(false);
  });

  it('serves 8 parallel requests that GRANT on the same table without conflicts', async () => {
    await db.call('update', 'roles/parallel', {
      db_name: 'pg',
      creation_statements: `CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}'; GRANT USAGE ON SCHEMA ${q} TO "{{name}}"; GRANT SELECT, INSERT, UPDATE ON ${q}.items TO "{{name}}"; GRANT SELECT ON ALL TABLES IN SCHEMA ${q} TO "{{name}}";`,
    });
    const issued = await Promise.all(Array.from({ length: 8 }, () => creds('parallel')));
    expect(new Set(issued.map((c) => c.username)).size).toBe(8);
    for (const c of issued) expect((await tryLogin(c.username, c.password, `SELECT count(*) FROM ${q}.items`)).ok).toBe(true);
    await Promise.all(issued.map((c) => db.revoke(c.resp)));
    for (const c of issued) expect(await roleExists(c.username)).toBe(false);
  });

  it('leaves nothing behind when the creation statements fail half-way (the plugin rolls back; the lease is revoked)', async () => {
    await db.call('update', 'roles/halfway', {
      db_name: 'pg',
      creation_statements: `CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}'; GRANT SELECT ON ${q}.items TO "{{name}}"; SELECT 1/0;`,
    });
    const before = await su<{ n: number }>(`SELECT count(*)::int AS n FROM pg_roles WHERE rolname LIKE 'v-token-halfway-%'`);
    const err = await db.fail('read', 'creds/halfway');
    expect(err.status).toBe(502);
    expect(err.message).toMatch(/division by zero/);
    const after = await su<{ n: number }>(`SELECT count(*)::int AS n FROM pg_roles WHERE rolname LIKE 'v-token-halfway-%'`);
    expect(after).toEqual(before);
  });

  it('still revokes after the role and the connection config are deleted', async () => {
    const { resp, username, password } = await creds('reader');
    expect(await db.call('delete', 'roles/reader')).toBeNull();
    expect(await db.call('delete', 'config/pg')).toBeNull();
    expect(await db.call('read', 'config/pg')).toBeNull();
    await db.revoke(resp);
    expect(await roleExists(username)).toBe(false);
    expect((await tryLogin(username, password)).ok).toBe(false);
    // Put them back for any test that runs after.
    await db.call('update', 'config/pg', connectionConfig());
  });
});
