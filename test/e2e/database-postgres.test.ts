import { escapeIdentifier } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/lib/clock.js';
import { runExpiry } from '../helpers/leases.js';
import {
  PG_ADMIN_PASSWORD,
  connectionConfig,
  createSchema,
  dropRoles,
  dropSchema,
  roleExists,
  su,
  tryLogin,
  uniqueName,
  validUntil,
} from '../helpers/postgres.js';
import { api, type ApiResult, startTestServer, type TestServer } from '../helpers/server.js';

/**
 * The database engine over HTTP against the real PostgreSQL (scripts/setup-postgres.sh: the test database demands a
 * password over TCP, so a revoked or expired credential is really refused): issue, use, renew, revoke, expire,
 * revoke after the role and connection are gone, concurrency, bad input, and a log search for the password.
 */
describe('database engine over HTTP (PostgreSQL)', () => {
  const clock = new ManualClock(Date.now());
  let srv: TestServer;
  const schema = uniqueName('e2e');
  const q = escapeIdentifier(schema);
  const users: string[] = [];
  const passwords: string[] = [];

  const call = (method: string, path: string, body?: unknown): Promise<ApiResult> => api(srv.addr, method, `/v1/${path}`, { token: srv.rootToken, ...(body !== undefined ? { body } : {}) });
  const creds = async (role: string): Promise<{ leaseId: string; username: string; password: string; body: Record<string, unknown> }> => {
    const r = await call('GET', `database/creds/${role}`);
    expect(r.status, r.text).toBe(200);
    const data = r.body?.data as { username: string; password: string };
    users.push(data.username);
    passwords.push(data.password);
    return { leaseId: r.body?.lease_id as string, username: data.username, password: data.password, body: r.body ?? {} };
  };

  beforeAll(async () => {
    await createSchema(schema);
    srv = await startTestServer({ clock });
    expect((await call('POST', 'sys/mounts/database', { type: 'database' })).status).toBe(204);
    const cfg = await call('POST', 'database/config/pg', connectionConfig());
    expect(cfg.status, cfg.text).toBe(204);
    const role = await call('POST', 'database/roles/app', {
      db_name: 'pg',
      creation_statements: `CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}'; GRANT USAGE ON SCHEMA ${q} TO "{{name}}"; GRANT SELECT ON ${q}.items TO "{{name}}";`,
      default_ttl: '1h',
      max_ttl: '24h',
    });
    expect(role.status, role.text).toBe(204);
  });

  afterAll(async () => {
    await srv?.stop();
    await dropRoles(users);
    await dropSchema(schema);
  });

  it('issues a leased credential that works, and sys/leases/revoke destroys it', async () => {
    const c = await creds('app');
    expect(c.body).toMatchObject({ renewable: true, lease_duration: 3600 });
    expect(c.leaseId).toMatch(/^database\/creds\/app\/[A-Za-z0-9_-]+$/);
    expect(c.username).toMatch(/^v-root-app-[A-Za-z0-9]{20}-\d+$/);
    expect(await tryLogin(c.username, c.password, `SELECT label FROM ${q}.items WHERE id = 1`)).toEqual({ ok: true, rows: [{ label: 'one' }] });
    expect((await call('PUT', 'sys/leases/revoke', { lease_id: c.leaseId })).status).toBe(204);
    expect(await roleExists(c.username)).toBe(false);
    const login = await tryLogin(c.username, c.password);
    expect(login.ok).toBe(false);
    if (!login.ok) expect(login.error).toMatch(/password authentication failed/);
  });

  it('renewal moves VALID UNTIL; expiry on the clock drops the user', async () => {
    const c = await creds('app');
    const before = (await validUntil(c.username))?.getTime() ?? 0;
    clock.advance(30 * 60_000);
    const renew = await call('PUT', 'sys/leases/renew', { lease_id: c.leaseId, increment: 7200 });
    expect(renew.status, renew.text).toBe(200);
    expect(renew.body?.lease_duration).toBe(7200);
    const after = (await validUntil(c.username))?.getTime() ?? 0;
    expect(after - before).toBeGreaterThan(80 * 60_000);
    expect(Math.abs(after - (clock.now() + 7205_000))).toBeLessThan(2000);

    clock.advance(2 * 3_600_000 + 1000);
    await runExpiry(srv.server.core);
    expect(await roleExists(c.username)).toBe(false);
    expect((await tryLogin(c.username, c.password)).ok).toBe(false);
  });

  it('serves 8 parallel requests on one connection without conflicts', async () => {
    const all = await Promise.all(Array.from({ length: 8 }, () => creds('app')));
    expect(new Set(all.map((c) => c.username)).size).toBe(8);
    for (const c of all) expect((await tryLogin(c.username, c.password, `SELECT count(*) FROM ${q}.items`)).ok).toBe(true);
    expect((await call('PUT', 'sys/leases/revoke-prefix/database/creds/app')).status).toBe(204);
    for (const c of all) expect(await roleExists(c.username)).toBe(false);
  });

  it('a creation the database cuts off leaves no user: its lease retries revocation until the database is back', async () => {
    // Its own admin role, so that locking it out cannot disturb tests running in parallel.
    const admin = uniqueName('admin');
    users.push(admin);
    await su(`CREATE ROLE ${escapeIdentifier(admin)} LOGIN CREATEROLE PASSWORD 'Flaky-Admin-1'; GRANT pg_signal_backend TO ${escapeIdentifier(admin)}`);
    expect((await call('POST', 'database/config/flaky', connectionConfig({ username: admin, password: 'Flaky-Admin-1' }))).status).toBe(204);
    // A creation that takes a while; meanwhile the admin is locked out and its sessions are ended.
    const role = await call('POST', 'database/roles/slow', {
      db_name: 'flaky',
      creation_statements: `CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}'; SELECT pg_sleep(1.5); COMMENT ON ROLE "{{name}}" IS 'slow';`,
    });
    expect(role.status, role.text).toBe(204);
    const pending = call('GET', 'database/creds/slow');
    await new Promise((r) => setTimeout(r, 500));
    const lockOut = `ALTER ROLE ${escapeIdentifier(admin)} NOLOGIN; SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '${admin}'`;
    let leaseId = '';
    try {
      await su(lockOut);
      const failed = await pending;
      expect(failed.status, failed.text).toBe(502);
      expect(failed.text).not.toContain('Flaky-Admin-1');
      // The lease was recorded before the creation could become visible; the creation failed, and the immediate
      // revocation could not reach the database: the lease stays, retrying, where an operator can see it.
      const listed = await call('LIST', 'sys/leases/lookup/database/creds/slow/');
      expect(listed.status, listed.text).toBe(200);
      const keys = (listed.body?.data as { keys: string[] }).keys;
      expect(keys).toHaveLength(1);
      leaseId = `database/creds/slow/${keys[0]}`;
      const info = await call('PUT', 'sys/leases/lookup', { lease_id: leaseId });
      expect(info.body?.data).toMatchObject({ state: 'retrying', attempts: 1 });
      expect(String((info.body?.data as { last_error: string }).last_error)).not.toContain('Flaky-Admin-1');
    } finally {
      await su(`ALTER ROLE ${escapeIdentifier(admin)} LOGIN`);
    }
    // PostgreSQL rolled the uncommitted creation back when the session ended.
    expect(await su(`SELECT 1 FROM pg_roles WHERE rolname LIKE 'v-root-slow-%'`)).toEqual([]);
    // The database is back: the retry revokes the lease with no operator action.
    clock.advance(10 * 60_000);
    await runExpiry(srv.server.core);
    expect((await call('PUT', 'sys/leases/lookup', { lease_id: leaseId })).status).toBe(400);
    expect((await call('LIST', 'sys/leases/lookup/database/creds/slow/')).status).toBe(404);
    expect((await call('DELETE', 'database/config/flaky')).status).toBe(204);
  });

  it('still revokes a credential after its role and connection are deleted', async () => {
    await call('POST', 'database/roles/temp', {
      db_name: 'pg2',
      creation_statements: `CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}'; GRANT USAGE ON SCHEMA ${q} TO "{{name}}"; GRANT SELECT ON ${q}.items TO "{{name}}";`,
    });
    expect((await call('POST', 'database/config/pg2', connectionConfig())).status).toBe(204);
    const c = await creds('temp');
    expect((await call('DELETE', 'database/roles/temp')).status).toBe(204);
    expect((await call('DELETE', 'database/config/pg2')).status).toBe(204);
    expect((await call('PUT', 'sys/leases/revoke', { lease_id: c.leaseId })).status).toBe(204);
    expect(await roleExists(c.username)).toBe(false);
  });

  it("answers bad input with Vault's statuses, naming host and port but never the password", async () => {
    const down = await call('POST', 'database/config/down', connectionConfig({ connection_url: 'postgresql://{{username}}:{{password}}@127.0.0.1:1/ward_test' }));
    expect(down.status).toBe(400);
    expect(down.text).toContain('127.0.0.1:1');
    expect(down.text).not.toContain(PG_ADMIN_PASSWORD);
    const bad = await call('POST', 'database/roles/bad', { db_name: 'pg', creation_statements: `CREATE ROLE "{{name}}" PASSWORD '{{password}}` });
    expect(bad.status).toBe(400);
    expect(bad.body?.errors).toEqual([expect.stringMatching(/^creation_statements do not parse: unterminated quoted string/)]);
    const unknown = await call('GET', 'database/creds/nope');
    expect([unknown.status, unknown.body?.errors]).toEqual([400, ['unknown role: nope']]);
    await call('POST', 'database/config/strict', connectionConfig({ allowed_roles: 'only-*' }));
    await call('POST', 'database/roles/outsider', { db_name: 'strict', creation_statements: `CREATE ROLE "{{name}}" LOGIN PASSWORD '{{password}}'` });
    const denied = await call('GET', 'database/creds/outsider');
    expect([denied.status, denied.body?.errors]).toEqual([500, ['"outsider" is not an allowed role']]);
    const read = await call('GET', 'database/config/pg');
    expect(read.status).toBe(200);
    expect(read.text).not.toContain(PG_ADMIN_PASSWORD);
    expect(read.body?.data).toMatchObject({ plugin_name: 'postgresql-database-plugin', connection_details: { username: 'ward_admin' } });
  });

  it('revokes a credential whose user received grants and owns objects (where Vault fails)', async () => {
    await call('POST', 'database/roles/builder', {
      db_name: 'pg',
      creation_statements: `CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}'; GRANT USAGE, CREATE ON SCHEMA ${q} TO "{{name}}"; ALTER DEFAULT PRIVILEGES IN SCHEMA ${q} GRANT SELECT ON TABLES TO "{{name}}";`,
      revocation_statements: 'DROP ROLE "{{name}}";',
    });
    const c = await creds('builder');
    expect((await tryLogin(c.username, c.password, `CREATE TABLE ${q}.built (x int)`)).ok).toBe(true);
    expect((await call('PUT', 'sys/leases/revoke', { lease_id: c.leaseId })).status).toBe(204);
    expect(await roleExists(c.username)).toBe(false);
    expect(await su(`SELECT pg_get_userbyid(relowner) AS owner FROM pg_class WHERE relname = 'built' AND relnamespace = $1::regnamespace`, [schema])).toEqual([{ owner: 'ward_admin' }]);
  });

  it('generates passwords from the password_policy of the connection, or of the role', async () => {
    const digits = 'length = 24\nrule "charset" {\n  charset = "0123456789"\n}\n';
    const lower = 'length = 30\nrule "charset" {\n  charset = "abcdefghijklmnopqrstuvwxyz"\n}\n';
    expect((await call('PUT', 'sys/policies/password/pg-digits', { policy: digits })).status).toBe(204);
    expect((await call('PUT', 'sys/policies/password/pg-lower', { policy: lower })).status).toBe(204);
    expect((await call('POST', 'database/config/polic', connectionConfig({ password_policy: 'pg-digits' }))).status).toBe(204);
    const create = `CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}';`;
    await call('POST', 'database/roles/pol-conn', { db_name: 'polic', creation_statements: create });
    await call('POST', 'database/roles/pol-role', { db_name: 'polic', creation_statements: create, credential_config: { password_policy: 'pg-lower' } });
    const a = await creds('pol-conn');
    expect(a.password).toMatch(/^[0-9]{24}$/);
    expect((await tryLogin(a.username, a.password)).ok).toBe(true);
    const b = await creds('pol-role');
    expect(b.password).toMatch(/^[a-z]{30}$/);
    expect((await call('PUT', 'sys/leases/revoke-prefix/database/creds/pol-')).status).toBe(204);
    expect(await roleExists(a.username)).toBe(false);
  });

  it('never writes a generated password or the root password to the logs', () => {
    const logs = srv.logs();
    expect(logs.length).toBeGreaterThan(0);
    expect(passwords.length).toBeGreaterThan(5);
    for (const p of [...passwords, PG_ADMIN_PASSWORD]) expect(logs).not.toContain(p);
  });
});
