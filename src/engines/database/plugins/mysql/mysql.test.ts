import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { databasePluginSuite } from '../../plugin.suite.js';
import { MysqlPlugin } from './mysql-plugin.js';
import { MYSQL_PLUGIN_NAMES, mysqlMaxUsernameLength } from './usernames.js';
import { accountHostsOf, adminQuery, canLogin, connectAs, mariadbConfig, userExists } from './mariadb-harness.suite.js';

const CREATE = ["CREATE USER '{{name}}'@'%' IDENTIFIED BY '{{password}}'", "GRANT SELECT ON ward_test.* TO '{{name}}'@'%'"];

for (const pluginName of ['mysql-database-plugin', 'mysql-legacy-database-plugin']) {
  databasePluginSuite(`${pluginName} on MariaDB`, async () => ({
    plugin: new MysqlPlugin(pluginName),
    config: mariadbConfig(),
    canLogin,
    exists: userExists,
    creationStatements: CREATE,
  }));
}

const signal = (): AbortSignal => AbortSignal.timeout(20_000);
const uniqueName = (prefix = 'wm'): string => `${prefix}${randomBytes(4).toString('hex')}`;
const password = (): string => `Aa1-${randomBytes(12).toString('base64url')}`;

describe('MySQL plugin on MariaDB', () => {
  const plugins: MysqlPlugin[] = [];
  const users = new Set<string>();

  async function plugin(name = 'mysql-database-plugin'): Promise<MysqlPlugin> {
    const p = new MysqlPlugin(name);
    plugins.push(p);
    await p.initialize(mariadbConfig(), { verify: true, signal: signal() });
    return p;
  }

  async function newUser(p: MysqlPlugin, username: string, pw: string, statements = CREATE, rollbackStatements: string[] = []): Promise<string> {
    users.add(username);
    const res = await p.newUser(
      { usernameMeta: { displayName: 'token', roleName: 'r' }, username, statements, rollbackStatements, password: pw, expiresAt: new Date(Date.now() + 3_600_000) },
      signal(),
    );
    users.add(res.username);
    return res.username;
  }

  afterEach(async () => {
    for (const user of users) for (const host of await accountHostsOf(user)) await adminQuery('DROP USER IF EXISTS ?@?', [user, host]);
    users.clear();
    for (const p of plugins.splice(0)) await p.close();
  });

  it('kills the open sessions of a revoked user', async () => {
    const p = await plugin();
    const pw = password();
    const username = await newUser(p, uniqueName(), pw);
    const session = await connectAs(username, pw);
    if (session === undefined) throw new Error('the new user could not log in');
    const closed = new Promise<void>((resolve) => {
      session.on('error', () => resolve());
      session.on('end', () => resolve());
    });
    session.on('error', () => undefined);
    await session.query('SELECT 1');
    await p.deleteUser({ username, statements: [] }, signal());
    const outcome = await Promise.race([
      session.query('SELECT 1').then(() => 'still open', () => 'closed'),
      closed.then(() => 'closed'),
    ]);
    expect(outcome).toBe('closed');
    expect(await adminQuery('SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE USER = ?', [username])).toEqual([{ n: 0 }]);
    session.destroy();
  });

  it.each(MYSQL_PLUGIN_NAMES.map((name) => [name, mysqlMaxUsernameLength(name)] as const))(
    '%s cuts a long username to %i with a random suffix, and two cuts never collide',
    async (pluginName, max) => {
      expect(max).toBe(pluginName === 'mysql-database-plugin' ? 32 : 16);
      const p = await plugin(pluginName);
      const long = `${uniqueName('wl')}-${'x'.repeat(40)}`;
      const pw = password();
      const first = await newUser(p, long, pw);
      const second = await newUser(p, long, pw);
      for (const name of [first, second]) {
        expect(name).toHaveLength(max);
        expect(long.startsWith(name.slice(0, max - 8))).toBe(true);
        expect(await canLogin(name, pw)).toBe(true);
      }
      expect(first).not.toBe(second);
    },
  );

  it('keeps a username that fits unchanged', async () => {
    const p = await plugin('mysql-legacy-database-plugin');
    const name = uniqueName();
    expect(await newUser(p, name, password())).toBe(name);
  });

  it('escapes placeholder values for the quoting they sit in', async () => {
    const p = await plugin();
    const tricky = `it's a \\ "pass" $& \`word\``;
    const username = await newUser(p, uniqueName(), tricky);
    expect(await canLogin(username, tricky)).toBe(true);
  });

  it('runs multi-statement strings split by a real lexer', async () => {
    const p = await plugin();
    const pw = password();
    const statements = [
      `-- a role written as one string; the ';' inside quotes and comments must not split it
       CREATE USER '{{name}}'@'%' IDENTIFIED BY '{{password}}'; /* ; */
       GRANT SELECT ON \`ward_test\`.* TO '{{name}}'@'%' # ; trailing comment`,
    ];
    const username = await newUser(p, uniqueName(), pw, statements);
    expect(await canLogin(username, pw)).toBe(true);
  });

  it('rolls back a half-made user with the role rollback statements, and the password stays out of the error', async () => {
    const p = await plugin();
    const pw = password();
    const username = uniqueName();
    const statements = [CREATE[0] as string, "GRANT SELEC ON ward_test.* TO '{{name}}'@'%' IDENTIFIED BY '{{password}}'"];
    const err = await p.newUser(
      { usernameMeta: { displayName: 't', roleName: 'r' }, username, statements, rollbackStatements: ["DROP USER '{{name}}'@'%'"], password: pw, expiresAt: new Date() },
      signal(),
    ).then(() => undefined, (e: unknown) => e as Error);
    users.add(username);
    expect(err?.message).toMatch(/rolled back/);
    expect(err?.message).not.toContain(pw);
    expect(await userExists(username)).toBe(false);
  });

  it('never takes over or drops an account that already exists', async () => {
    const p = await plugin();
    const pw = password();
    const username = await newUser(p, uniqueName(), pw);
    await expect(newUser(p, username, password())).rejects.toThrow(/errno 1396/);
    expect(await canLogin(username, pw)).toBe(true);
  });

  it('drops the account at every host by default', async () => {
    const p = await plugin();
    const pw = password();
    const statements = [...CREATE, "CREATE USER '{{name}}'@'localhost' IDENTIFIED BY '{{password}}'"];
    const username = await newUser(p, uniqueName(), pw, statements);
    expect((await accountHostsOf(username)).sort()).toEqual(['%', 'localhost']);
    await p.deleteUser({ username, statements: [] }, signal());
    expect(await accountHostsOf(username)).toEqual([]);
  });

  it("falls back to the default revocation when the role's own statements fail", async () => {
    const p = await plugin();
    const pw = password();
    const username = await newUser(p, uniqueName(), pw);
    await p.deleteUser({ username, statements: ['REVOKE SELECT ON no_such_db.no_such_table FROM nobody_at_all'] }, signal());
    expect(await userExists(username)).toBe(false);
  });

  it("runs the role's own revocation statements, tolerating an account that is already gone", async () => {
    const p = await plugin();
    const username = await newUser(p, uniqueName(), password());
    const statements = ["REVOKE ALL PRIVILEGES, GRANT OPTION FROM '{{name}}'@'%'", "DROP USER '{{name}}'@'%'"];
    await p.deleteUser({ username, statements }, signal());
    await p.deleteUser({ username, statements }, signal());
    expect(await userExists(username)).toBe(false);
  });

  it('rotates a password with the default ALTER USER statement and with custom statements', async () => {
    const p = await plugin();
    const username = await newUser(p, uniqueName(), password());
    const next = password();
    await p.updateUser({ username, password: { newPassword: next, statements: [] } }, signal());
    expect(await canLogin(username, next)).toBe(true);
    const custom = password();
    const statements = ["ALTER USER '{{username}}'@'%' IDENTIFIED BY '{{password}}' PASSWORD EXPIRE NEVER"];
    await p.updateUser({ username, password: { newPassword: custom, statements } }, signal());
    expect(await canLogin(username, next)).toBe(false);
    expect(await canLogin(username, custom)).toBe(true);
  });

  it('refuses a connection_url that is not a DSN, and statements that do not parse', async () => {
    const p = new MysqlPlugin('mysql-database-plugin');
    plugins.push(p);
    await expect(p.initialize(mariadbConfig({ connectionUrl: 'not a dsn' }), { verify: false, signal: signal() })).rejects.toThrow(/not a MySQL DSN/);
    const ok = await plugin();
    await expect(newUser(ok, uniqueName(), password(), ["CREATE USER 'unterminated"])).rejects.toThrow(/unterminated/);
  });

  it('accepts the mysql:// URL form', async () => {
    const p = new MysqlPlugin('mysql-database-plugin');
    plugins.push(p);
    await p.initialize(mariadbConfig({ connectionUrl: 'mysql://{{username}}:{{password}}@127.0.0.1:3306/ward_test' }), { verify: true, signal: signal() });
  });

  it('refuses an unknown plugin name', () => {
    expect(() => new MysqlPlugin('mysql-nope-database-plugin')).toThrow(/unknown MySQL plugin/);
  });
});
