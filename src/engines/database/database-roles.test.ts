import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionConfig, dropRoles } from '../../../test/helpers/postgres.js';
import type { EngineResponse } from '../../framework/index.js';
import { mountDatabase, type DbMount } from './db-harness.suite.js';

const CREATE = `CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}';`;
const GRANT = 'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{{name}}";';

describe('database engine: roles/:name and creds errors', () => {
  let db: DbMount;
  const users: string[] = [];

  beforeAll(async () => {
    db = await mountDatabase();
    await db.call('update', 'config/pg', connectionConfig({ allowed_roles: ['app-*', 'exact'] }));
  });
  afterAll(async () => {
    await db?.engine.close?.();
    await dropRoles(users);
  });

  it('creates, reads, updates, lists and deletes a role (TTLs in seconds, unset lists empty)', async () => {
    expect(await db.call('update', 'roles/app-one', { db_name: 'pg', creation_statements: CREATE, default_ttl: '1h', max_ttl: 86400 })).toBeNull();
    expect(db.lastOperation()).toBe('create');
    expect((await db.call('read', 'roles/app-one'))?.data).toEqual({
      db_name: 'pg',
      creation_statements: [CREATE],
      revocation_statements: [],
      rollback_statements: [],
      renew_statements: [],
      default_ttl: 3600,
      max_ttl: 86400,
      credential_type: 'password',
    });
    expect(await db.call('update', 'roles/app-one', { default_ttl: '2h', credential_config: { password_policy: '' } })).toBeNull();
    expect(db.lastOperation()).toBe('update');
    expect((await db.call('read', 'roles/app-one'))?.data).toMatchObject({ default_ttl: 7200, creation_statements: [CREATE] });
    await db.call('update', 'roles/app-two', { db_name: 'pg', creation_statements: CREATE });
    expect(await db.call('list', 'roles')).toEqual({ data: { keys: ['app-one', 'app-two'] } });
    expect(await db.call('delete', 'roles/app-two')).toBeNull();
    expect(await db.call('read', 'roles/app-two')).toBeNull();
  });

  it('accepts statements in every form of §7.2 and issues working credentials from each', async () => {
    const forms: Record<string, unknown> = {
      array: [CREATE, GRANT],
      string: `${CREATE}${GRANT}`,
      json: JSON.stringify([CREATE, GRANT]),
      base64: Buffer.from(`${CREATE}\n${GRANT}`).toString('base64'),
      base64json: Buffer.from(JSON.stringify([CREATE, GRANT])).toString('base64'),
    };
    for (const [form, creation_statements] of Object.entries(forms)) {
      expect(await db.call('update', `roles/app-${form}`, { db_name: 'pg', creation_statements })).toBeNull();
      const resp = (await db.call('read', `creds/app-${form}`)) as EngineResponse;
      users.push((resp.data as { username: string }).username);
      await db.revoke(resp);
    }
  });

  it('refuses statements that do not parse when the role is written', async () => {
    const err = await db.fail('update', 'roles/app-bad', { db_name: 'pg', creation_statements: `CREATE ROLE "{{name}}" PASSWORD '{{password}}` });
    expect(err.status).toBe(400);
    expect(err.message).toMatch(/^creation_statements do not parse: unterminated quoted string at line 1, column 33/);
    const rev = await db.fail('update', 'roles/app-bad', { db_name: 'pg', creation_statements: CREATE, revocation_statements: 'DO $$ BEGIN NULL; END' });
    expect(rev.message).toMatch(/^revocation_statements do not parse: unterminated dollar-quoted string/);
    expect(await db.call('read', 'roles/app-bad')).toBeNull();
  });

  it('validates the rest of a role as Vault does', async () => {
    expect((await db.fail('update', 'roles/app-x', { creation_statements: CREATE })).message).toBe('database name is required');
    expect((await db.fail('update', 'roles/app-x', { db_name: 'pg' })).message).toBe('creation_statements are required');
    expect((await db.fail('update', 'roles/app-x', { db_name: 'pg', creation_statements: CREATE, credential_type: 'token' })).message).toBe('invalid credential_type "token"');
    expect((await db.fail('update', 'roles/app-x', { db_name: 'pg', creation_statements: CREATE, default_ttl: 'soon' })).status).toBe(400);
  });

  it("answers creds with Vault's statuses and messages", async () => {
    const unknown = await db.fail('read', 'creds/nope');
    expect([unknown.status, unknown.message]).toEqual([400, 'unknown role: nope']);
    await db.call('update', 'roles/other', { db_name: 'pg', creation_statements: CREATE });
    const denied = await db.fail('read', 'creds/other');
    expect([denied.status, denied.message]).toEqual([500, '"other" is not an allowed role']);
    // Globs and exact names of allowed_roles.
    await db.call('update', 'roles/exact', { db_name: 'pg', creation_statements: CREATE });
    const ok = (await db.call('read', 'creds/exact')) as EngineResponse;
    users.push((ok.data as { username: string }).username);
    await db.revoke(ok);
    await db.call('update', 'roles/app-orphan', { db_name: 'missing', creation_statements: CREATE });
    const missing = await db.fail('read', 'creds/app-orphan');
    expect([missing.status, missing.message]).toEqual([500, 'failed to find entry for connection with name: "missing"']);
  });

  it('keeps dynamic and static role names apart', async () => {
    await db.call('update', 'roles/app-dyn', { db_name: 'pg', creation_statements: CREATE });
    const err = await db.fail('update', 'static-roles/app-dyn', { db_name: 'pg', username: 'x', rotation_period: 3600 });
    expect(err.message).toBe('Role and Static Role names must be unique');
  });
});
