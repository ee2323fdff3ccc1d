import { escapeIdentifier } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionConfig, dropRoles, su, tryLogin, uniqueName } from '../../../test/helpers/postgres.js';
import { mountDatabase, type DbMount } from './db-harness.suite.js';
import { listWal, putWal } from './wal.js';

interface StaticCreds {
  username: string;
  password: string;
  ttl: number;
  last_vault_rotation?: string;
  rotation_period?: number;
  rotation_schedule?: string;
  rotation_window?: number;
}

describe('database engine: static roles', () => {
  let db: DbMount;
  const accounts: string[] = [];

  const account = async (): Promise<string> => {
    const name = uniqueName('static');
    accounts.push(name);
    await su(`CREATE ROLE ${escapeIdentifier(name)} LOGIN PASSWORD 'Initial-Pass-1'`);
    return name;
  };
  const staticCreds = async (role: string): Promise<StaticCreds> => (await db.call('read', `static-creds/${role}`))?.data as unknown as StaticCreds;

  beforeAll(async () => {
    db = await mountDatabase();
    await db.call('update', 'config/pg', connectionConfig());
  });
  afterAll(async () => {
    await db?.engine.close?.();
    await dropRoles(accounts);
  });

  it('rotates the password when the role is created; static-creds returns it with the rotation details', async () => {
    const user = await account();
    expect(await db.call('update', 'static-roles/svc', { db_name: 'pg', username: user, rotation_period: '1h' })).toBeNull();
    const c = await staticCreds('svc');
    expect(c).toMatchObject({ username: user, rotation_period: 3600 });
    expect(c.ttl).toBeGreaterThan(3590);
    expect(c.last_vault_rotation).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
    expect((await tryLogin(user, 'Initial-Pass-1')).ok).toBe(false);
    expect((await tryLogin(user, c.password)).ok).toBe(true);
    expect((await db.call('read', 'static-roles/svc'))?.data).toMatchObject({ db_name: 'pg', username: user, rotation_period: 3600, rotation_statements: [], credential_type: 'password' });
    expect(await db.call('list', 'static-roles')).toEqual({ data: { keys: ['svc'] } });
    expect(await listWal(db.storage, 'static')).toEqual([]);
  });

  it('rotate-role sets a new password now', async () => {
    const before = await staticCreds('svc');
    expect(await db.call('update', 'rotate-role/svc')).toBeNull();
    const after = await staticCreds('svc');
    expect(after.password).not.toBe(before.password);
    expect((await tryLogin(after.username, before.password)).ok).toBe(false);
    expect((await tryLogin(after.username, after.password)).ok).toBe(true);
  });

  it('the periodic pass rotates a role once its period has passed', async () => {
    const before = await staticCreds('svc');
    await db.engine.periodic?.();
    expect((await staticCreds('svc')).password).toBe(before.password);
    db.system.advance(3601_000);
    await db.engine.periodic?.();
    const after = await staticCreds('svc');
    expect(after.password).not.toBe(before.password);
    expect((await tryLogin(after.username, after.password)).ok).toBe(true);
  });

  it('finishes a rotation interrupted after the database changed, with the recorded password', async () => {
    const c = await staticCreds('svc');
    const recorded = 'Recorded-Before-Crash-5';
    await su(`ALTER ROLE ${escapeIdentifier(c.username)} PASSWORD '${recorded}'`);
    await putWal(db.storage, 'static', 'svc', { role: 'svc', username: c.username, newPassword: recorded, createdAt: Date.now() });
    await db.engine.periodic?.();
    expect((await staticCreds('svc')).password).toBe(recorded);
    expect(await listWal(db.storage, 'static')).toEqual([]);
    expect((await tryLogin(c.username, recorded)).ok).toBe(true);
  });

  it('accepts a cron schedule with a window, and reads it back', async () => {
    const user = await account();
    expect(await db.call('update', 'static-roles/nightly', { db_name: 'pg', username: user, rotation_schedule: '0 3 * * *', rotation_window: '2h' })).toBeNull();
    const c = await staticCreds('nightly');
    expect(c).toMatchObject({ rotation_schedule: '0 3 * * *', rotation_window: 7200 });
    expect(c.rotation_period).toBeUndefined();
    expect(c.ttl).toBeGreaterThan(0);
    expect(c.ttl).toBeLessThanOrEqual(86400);
    expect((await tryLogin(user, c.password)).ok).toBe(true);
  });

  it("refuses bad static roles with Vault's messages", async () => {
    const user = await account();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ username: user, rotation_period: 60 }, 'database name is a required field'],
      [{ db_name: 'pg', rotation_period: 60 }, 'username is a required field to create a static account'],
      [{ db_name: 'pg', username: user }, 'one of rotation_schedule or rotation_period must be provided to create a static account'],
      [{ db_name: 'pg', username: user, rotation_period: 60, rotation_schedule: '* * * * *' }, 'mutually exclusive fields rotation_period and rotation_schedule were both specified; only one of them can be provided'],
      [{ db_name: 'pg', username: user, rotation_period: 4 }, 'rotation_period must be 5 seconds or more'],
      [{ db_name: 'pg', username: user, rotation_period: 60, rotation_window: 7200 }, 'rotation_window is invalid with use of rotation_period'],
      [{ db_name: 'pg', username: user, rotation_schedule: '0 3 * * *', rotation_window: 60 }, 'rotation_window is invalid: rotation_window must be 3600 seconds or more'],
    ];
    for (const [body, message] of cases) expect((await db.fail('update', 'static-roles/bad', body)).message).toBe(message);
    expect((await db.fail('update', 'static-roles/bad', { db_name: 'pg', username: user, rotation_schedule: '61 * * * *' })).message).toMatch(/^could not parse rotation_schedule: minute 61 out of range/);
    expect((await db.fail('update', 'static-roles/svc', { username: 'someone-else' })).message).toBe('cannot update static account username');
    expect((await db.fail('read', 'static-creds/nope')).message).toBe('unknown role: nope');
    expect((await db.fail('update', 'rotate-role/nope')).message).toBe('no static role found for role name');
  });

  it('a failed first rotation (unknown user) stores no role', async () => {
    const err = await db.fail('update', 'static-roles/ghost', { db_name: 'pg', username: uniqueName('ghost'), rotation_period: 60 });
    expect(err.status).toBe(502);
    expect(await db.call('read', 'static-roles/ghost')).toBeNull();
    expect(await listWal(db.storage, 'static')).toEqual([]);
  });

  it('delete removes the role (not the database user)', async () => {
    const c = await staticCreds('nightly');
    expect(await db.call('delete', 'static-roles/nightly')).toBeNull();
    expect(await db.call('read', 'static-roles/nightly')).toBeNull();
    expect((await tryLogin(c.username, c.password)).ok).toBe(true);
  });
});
