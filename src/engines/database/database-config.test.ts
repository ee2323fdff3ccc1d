import { escapeIdentifier } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PG_ADMIN_PASSWORD, connectionConfig, connectionUrl, dropRoles, roleExists, su, tryLogin, uniqueName } from '../../../test/helpers/postgres.js';
import { getJSON, type EngineResponse } from '../../framework/index.js';
import type { StoredConnection } from './connection-store.js';
import { mountDatabase, type DbMount } from './db-harness.suite.js';
import { getWal, listWal, putWal, type RootRotationWal } from './wal.js';

const stored = (db: DbMount, name: string): Promise<StoredConnection | null> => getJSON<StoredConnection>(db.storage, `config/${name}`);

describe('database engine: config/:name, reset, rotate-root', () => {
  let db: DbMount;
  const users: string[] = [];

  beforeAll(async () => {
    db = await mountDatabase();
  });
  afterAll(async () => {
    await db?.engine.close?.();
    await dropRoles(users);
  });

  it('refuses an unreachable database with a 400 naming host and port, never the password, and stores nothing', async () => {
    const err = await db.fail('update', 'config/down', connectionConfig({ connection_url: 'postgresql://{{username}}:{{password}}@127.0.0.1:1/ward_test' }));
    expect(err.status).toBe(400);
    expect(err.message).toMatch(/^error creating database object: .*127\.0\.0\.1:1/);
    expect(err.message).not.toContain(PG_ADMIN_PASSWORD);
    expect(await db.call('read', 'config/down')).toBeNull();
  });

  it('refuses a wrong password with a 400 that does not contain it', async () => {
    const err = await db.fail('update', 'config/wrong', connectionConfig({ password: 'not-the-password-42' }));
    expect(err.status).toBe(400);
    expect(err.message).toMatch(/password authentication failed/);
    expect(err.message).not.toContain('not-the-password-42');
  });

  it('stores an unreachable connection when verify_connection is false', async () => {
    expect(await db.call('update', 'config/later', connectionConfig({ connection_url: 'postgresql://{{username}}:{{password}}@127.0.0.1:1/x', verify_connection: false }))).toBeNull();
    expect((await db.call('read', 'config/later'))?.data).toMatchObject({ verify_connection: false });
    await db.call('delete', 'config/later');
  });

  it('reads back every field but the password (connection_details), lists and deletes', async () => {
    expect(await db.call('update', 'config/main', connectionConfig({ allowed_roles: 'app-*, web', max_open_connections: 3, password_policy: '' }))).toBeNull();
    expect(db.lastOperation()).toBe('create');
    const read = (await db.call('read', 'config/main')) as EngineResponse;
    expect(read.data).toEqual({
      allowed_roles: ['app-*', 'web'],
      connection_details: { connection_url: connectionUrl(), username: 'ward_admin', max_open_connections: 3 },
      password_policy: '',
      plugin_name: 'postgresql-database-plugin',
      plugin_version: '',
      root_credentials_rotate_statements: [],
      verify_connection: true,
    });
    expect(JSON.stringify(read)).not.toContain(PG_ADMIN_PASSWORD);
    // An update changes only what it names.
    expect(await db.call('update', 'config/main', { allowed_roles: ['*'] })).toBeNull();
    expect(db.lastOperation()).toBe('update');
    expect((await db.call('read', 'config/main'))?.data).toMatchObject({ allowed_roles: ['*'], connection_details: { max_open_connections: 3 } });
    expect(await db.call('list', 'config')).toEqual({ data: { keys: ['main'] } });
    expect(await db.call('update', 'reset/main')).toBeNull();
    expect(await db.call('delete', 'config/main')).toBeNull();
    expect(await db.call('read', 'config/main')).toBeNull();
    expect(await db.call('list', 'config')).toBeNull();
  });

  it('redacts a literal password in connection_url and warns about it', async () => {
    const url = `postgresql://ward_admin:${encodeURIComponent(PG_ADMIN_PASSWORD)}@127.0.0.1:5432/ward_test?sslmode=disable`;
    const resp = await db.call('update', 'config/literal', { plugin_name: 'postgresql-database-plugin', connection_url: url, allowed_roles: '*' });
    expect(resp?.warnings?.[0]).toMatch(/Password found in connection_url/);
    const read = (await db.call('read', 'config/literal')) as EngineResponse;
    expect((read.data?.connection_details as { connection_url: string }).connection_url).toBe('postgresql://ward_admin:xxxxx@127.0.0.1:5432/ward_test?sslmode=disable');
    const err = await db.fail('update', 'rotate-root/literal');
    expect(err.message).toMatch(/literal password/);
    await db.call('delete', 'config/literal');
  });

  it('refuses unknown plugins, a missing plugin name, bad types and a bad username template', async () => {
    expect((await db.fail('update', 'config/x', connectionConfig({ plugin_name: 'nope-database-plugin' }))).message).toMatch(/plugin "nope-database-plugin" not found/);
    expect((await db.fail('update', 'config/x', { connection_url: connectionUrl() })).message).toBe('empty plugin name');
    expect((await db.fail('update', 'config/x', connectionConfig({ max_open_connections: 'many' }))).status).toBe(400);
    expect((await db.fail('update', 'config/x', connectionConfig({ password_authentication: 'md5' }))).message).toMatch(/'md5' is not a valid password authentication type/);
    const tpl = await db.fail('update', 'config/x', connectionConfig({ username_template: '{{ nosuchfunc .RoleName }}' }));
    expect(tpl.status).toBe(400);
    expect(tpl.message).toMatch(/invalid username template/);
    expect(await db.call('read', 'config/x')).toBeNull();
    expect((await db.fail('update', 'reset/x')).status).toBe(500);
  });

  it('uses a custom username_template for new users', async () => {
    await db.call('update', 'config/tpl', connectionConfig({ username_template: 'ward-{{.RoleName}}-{{random 8 | lowercase}}' }));
    await db.call('update', 'roles/tplrole', { db_name: 'tpl', creation_statements: `CREATE ROLE "{{name}}" LOGIN PASSWORD '{{password}}'` });
    const resp = (await db.call('read', 'creds/tplrole')) as EngineResponse;
    const username = (resp.data as { username: string }).username;
    users.push(username);
    expect(username).toMatch(/^ward-tplrole-[a-z0-9]{8}$/);
    await db.revoke(resp);
  });

  describe('rotate-root', () => {
    let root: string;
    const initial = 'Root-Initial-Pass-1';
    beforeAll(async () => {
      root = uniqueName('root');
      users.push(root);
      await su(`CREATE ROLE ${escapeIdentifier(root)} LOGIN CREATEROLE PASSWORD '${initial}'`);
    });

    it('changes the root password at the database and in storage, never shows it, and leaves no record', async () => {
      await db.call('update', 'config/rot', connectionConfig({ username: root, password: initial }));
      expect(await db.call('update', 'rotate-root/rot')).toBeNull();
      const conn = await stored(db, 'rot');
      const next = conn?.config.password ?? '';
      expect(next).not.toBe(initial);
      expect(conn?.details.password).toBe(next);
      expect((await tryLogin(root, initial)).ok).toBe(false);
      expect((await tryLogin(root, next)).ok).toBe(true);
      expect(JSON.stringify(await db.call('read', 'config/rot'))).not.toContain(next);
      expect(await listWal(db.storage, 'root')).toEqual([]);
      // The rebuilt pool works: a credential can be issued with the new root password.
      await db.call('update', 'roles/afterrot', { db_name: 'rot', creation_statements: `CREATE ROLE "{{name}}" LOGIN PASSWORD '{{password}}'` });
      const resp = (await db.call('read', 'creds/afterrot')) as EngineResponse;
      const username = (resp.data as { username: string }).username;
      users.push(username);
      expect(await roleExists(username)).toBe(true);
      await db.revoke(resp);
    });

    it('settles a record left by a crash after the database changed: the new password is stored', async () => {
      const conn = (await stored(db, 'rot')) as StoredConnection;
      const crashed = 'Crash-After-Change-7';
      await su(`ALTER ROLE ${escapeIdentifier(root)} PASSWORD '${crashed}'`);
      await putWal(db.storage, 'root', 'rot', { connection: 'rot', connectionId: conn.id, username: root, newPassword: crashed, createdAt: Date.now() });
      await db.engine.periodic?.();
      expect((await stored(db, 'rot'))?.config.password).toBe(crashed);
      expect(await getWal<RootRotationWal>(db.storage, 'root', 'rot')).toBeNull();
    });

    it('settles a record left by a crash before the database changed: the stored password is kept', async () => {
      const conn = (await stored(db, 'rot')) as StoredConnection;
      await putWal(db.storage, 'root', 'rot', { connection: 'rot', connectionId: conn.id, username: root, newPassword: 'Never-Applied-9', createdAt: Date.now() });
      await db.engine.periodic?.();
      expect((await stored(db, 'rot'))?.config.password).toBe(conn.config.password);
      expect(await listWal(db.storage, 'root')).toEqual([]);
      expect((await tryLogin(root, conn.config.password)).ok).toBe(true);
    });

    it('keeps the record while neither password connects, and settles it once one does', async () => {
      const conn = (await stored(db, 'rot')) as StoredConnection;
      await su(`ALTER ROLE ${escapeIdentifier(root)} NOLOGIN`);
      await putWal(db.storage, 'root', 'rot', { connection: 'rot', connectionId: conn.id, username: root, newPassword: 'Pending-Pass-3', createdAt: Date.now() });
      await db.engine.periodic?.();
      expect(await listWal(db.storage, 'root')).toEqual(['rot']);
      // A rotation meanwhile refuses to start rather than stack a second unknown on the first.
      expect((await db.fail('update', 'rotate-root/rot')).status).toBe(502);
      await su(`ALTER ROLE ${escapeIdentifier(root)} LOGIN`);
      await db.engine.periodic?.();
      expect(await listWal(db.storage, 'root')).toEqual([]);
      expect(await db.call('update', 'rotate-root/rot')).toBeNull();
    });

    it('refuses a connection with no password', async () => {
      await db.call('update', 'config/nopw', { plugin_name: 'postgresql-database-plugin', connection_url: connectionUrl(), username: root, verify_connection: false });
      expect((await db.fail('update', 'rotate-root/nopw')).message).toBe('unable to rotate root credentials: no password in configuration');
      expect((await db.fail('update', 'rotate-root/none')).message).toBe('failed to find entry for connection with name: "none"');
    });
  });
});
