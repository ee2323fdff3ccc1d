import { escapeIdentifier } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionConfig, createSchema, dropSchema, su, tryLogin, uniqueName } from '../../../test/helpers/postgres.js';
import type { EngineResponse } from '../../framework/index.js';
import { mountDatabase, type DbMount } from './db-harness.suite.js';

/** Runs `fn` over `items` with at most `limit` at a time. */
async function pool<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i] as T);
      }
    }),
  );
  return out;
}

/**
 * PostgreSQL at scale: the direct-grant limit (a table's ACL must fit in one 8 kB row, ~2,440 grants) reaches the
 * client as a clear error, and the membership pattern keeps 3,000 credentials active on one table. Credentials are
 * issued through the engine's dispatch (the same code path as HTTP), 16 requests at a time.
 */
describe('database engine: PostgreSQL at scale', () => {
  let db: DbMount;
  const schema = uniqueName('scale');
  const q = escapeIdentifier(schema);
  const filler = uniqueName('aclfill');
  const group = uniqueName('readers');
  // The membership test gets its own table: the first test leaves the other one's ACL full.
  const schema2 = uniqueName('scale2');
  const q2 = escapeIdentifier(schema2);

  beforeAll(async () => {
    await createSchema(schema);
    await createSchema(schema2);
    db = await mountDatabase();
    await db.call('update', 'config/pg', connectionConfig({ max_open_connections: 8 }));
  });

  afterAll(async () => {
    await db?.engine.close?.();
    await dropSchema(schema);
    await dropSchema(schema2);
    await su(`DO $$ DECLARE r record; BEGIN
      FOR r IN SELECT rolname FROM pg_roles WHERE rolname LIKE '${filler}\\_%' OR rolname = '${group}' LOOP EXECUTE format('DROP ROLE %I', r.rolname); END LOOP;
    END $$`);
  });

  it('reports the direct-grant limit as a clear error naming the cause, and leaves no user behind', async () => {
    // Fill the table's ACL straight in the database (faster than through Ward), until PostgreSQL refuses one more
    // grant: about 2,440 on PostgreSQL 15, depending on how well the ACL compresses.
    await su(`DO $$ BEGIN
      FOR i IN 1..5000 LOOP
        EXECUTE format('CREATE ROLE %I', '${filler}_' || i);
        BEGIN
          EXECUTE format('GRANT SELECT ON ${q.replace(/'/g, "''")}.items TO %I', '${filler}_' || i);
        EXCEPTION WHEN program_limit_exceeded THEN
          EXIT;
        END;
      END LOOP;
    END $$`);
    const [filled] = await su<{ n: number }>(`SELECT count(*)::int AS n FROM pg_roles WHERE rolname LIKE '${filler}\\_%'`);
    expect(filled?.n).toBeGreaterThan(2000);
    expect(filled?.n).toBeLessThan(5000);
    await db.call('update', 'roles/direct', {
      db_name: 'pg',
      creation_statements: `CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}'; GRANT SELECT ON ${q}.items TO "{{name}}";`,
    });
    const err = await db.fail('read', 'creds/direct');
    expect(err.status).toBe(502);
    expect(err.message).toMatch(/access-control list of the object it names is full/);
    expect(err.message).toMatch(/IN ROLE/);
    expect(err.message).toMatch(/row is too big/);
    expect(await su(`SELECT rolname FROM pg_roles WHERE rolname LIKE 'v-token-direct-%'`)).toEqual([]);
  });

  it('keeps 3,000 credentials active at once with the membership pattern, then revokes them all', async () => {
    await su(`SET ROLE ward_admin; CREATE ROLE ${escapeIdentifier(group)} NOLOGIN; GRANT USAGE ON SCHEMA ${q2} TO ${escapeIdentifier(group)}; GRANT SELECT ON ${q2}.items TO ${escapeIdentifier(group)}; RESET ROLE`);
    await db.call('update', 'roles/member', {
      db_name: 'pg',
      creation_statements: `CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}' IN ROLE ${escapeIdentifier(group)};`,
      default_ttl: '1h',
    });
    const started = Date.now();
    const issued = await pool(Array.from({ length: 3000 }, (_, i) => i), 16, async () => (await db.call('read', 'creds/member')) as EngineResponse);
    const issueMs = Date.now() - started;
    const [members] = await su<{ n: number }>(`SELECT count(*)::int AS n FROM pg_auth_members WHERE roleid = (SELECT oid FROM pg_roles WHERE rolname = $1)`, [group]);
    expect(members?.n).toBe(3000);
    // A sample logs in and reads the table through the group's privileges.
    for (const resp of [issued[0], issued[1500], issued[2999]]) {
      const { username, password } = resp?.data as { username: string; password: string };
      expect(await tryLogin(username, password, `SELECT count(*)::int AS n FROM ${q2}.items`)).toEqual({ ok: true, rows: [{ n: 2 }] });
    }
    const revokeStarted = Date.now();
    await pool(issued, 16, (resp) => db.revoke(resp));
    const revokeMs = Date.now() - revokeStarted;
    const [left] = await su<{ n: number }>(`SELECT count(*)::int AS n FROM pg_roles WHERE rolname LIKE 'v-token-member-%'`);
    expect(left?.n).toBe(0);
    console.log(`3000 credentials: issued in ${issueMs} ms, revoked in ${revokeMs} ms`);
  }, 120_000);
});
