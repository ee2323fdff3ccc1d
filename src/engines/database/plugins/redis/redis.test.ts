import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { databasePluginSuite } from '../../plugin.suite.js';
import { renderUsernameTemplate } from '../../username-template.js';
import { REDIS_DEFAULT_USERNAME_TEMPLATE, redisPluginFactory } from './index.js';
import { RedisPlugin } from './redis-plugin.js';
import { adminCall, canLogin, connectAs, redisConfig, userExists } from './redis-harness.suite.js';

databasePluginSuite('redis-database-plugin on Redis 7', async () => ({
  plugin: new RedisPlugin(),
  config: redisConfig(),
  canLogin,
  exists: userExists,
  creationStatements: ['["~*", "+@read"]'],
  // SETUSER is atomic: Redis refuses the whole rule list for one unknown command, and creates nothing.
  badStatements: ['["~*", "+@read", "+no-such-command"]'],
}));

const signal = (): AbortSignal => AbortSignal.timeout(20_000);
const uniqueName = (): string => `wr_${randomBytes(5).toString('hex')}`;
const password = (): string => `Aa1-${randomBytes(12).toString('base64url')}`;

describe('Redis plugin on Redis 7', () => {
  const plugins: RedisPlugin[] = [];
  const users = new Set<string>();

  async function plugin(): Promise<RedisPlugin> {
    const p = new RedisPlugin();
    plugins.push(p);
    await p.initialize(redisConfig(), { verify: true, signal: signal() });
    return p;
  }

  async function newUser(p: RedisPlugin, statements: string[], pw = password()): Promise<{ username: string; password: string }> {
    const username = uniqueName();
    users.add(username);
    await p.newUser(
      { usernameMeta: { displayName: 'token', roleName: 'r' }, username, statements, rollbackStatements: [], password: pw, expiresAt: new Date(Date.now() + 3_600_000) },
      signal(),
    );
    return { username, password: pw };
  }

  afterEach(async () => {
    for (const user of users) await adminCall('ACL', 'DELUSER', user);
    users.clear();
    for (const p of plugins.splice(0)) await p.close();
  });

  it("gives the user exactly the role's ACL rules", async () => {
    const p = await plugin();
    const { username, password: pw } = await newUser(p, ['["~foo:*", "+get"]']);
    await adminCall('SET', `foo:${username}`, 'bar');
    const client = await connectAs(username, pw);
    if (client === undefined) throw new Error('the new user could not log in');
    try {
      expect(await client.get(`foo:${username}`)).toBe('bar');
      await expect(client.set(`foo:${username}`, 'x')).rejects.toThrow(/NOPERM/);
      await expect(client.get('other:key')).rejects.toThrow(/NOPERM/);
    } finally {
      client.disconnect();
      await adminCall('DEL', `foo:${username}`);
    }
  });

  it('applies the default read-only rules when a role gives none', async () => {
    const p = await plugin();
    const { username } = await newUser(p, []);
    const acl = (await adminCall('ACL', 'GETUSER', username)) as unknown[];
    const fields = new Map<string, unknown>();
    for (let i = 0; i + 1 < acl.length; i += 2) fields.set(String(acl[i]), acl[i + 1]);
    expect(fields.get('keys')).toBe('~*');
    expect(String(fields.get('commands'))).toContain('+@read');
    expect(fields.get('flags')).toEqual(expect.arrayContaining(['on']));
  });

  it('disconnects the open clients of a revoked user', async () => {
    const p = await plugin();
    const { username, password: pw } = await newUser(p, ['["~*", "+@read"]']);
    const client = await connectAs(username, pw);
    if (client === undefined) throw new Error('the new user could not log in');
    const ended = new Promise<void>((resolve) => client.once('end', () => resolve()));
    expect(await client.get(`absent:${username}`)).toBeNull();
    await p.deleteUser({ username, statements: [] }, signal());
    await expect(Promise.race([ended.then(() => 'disconnected'), new Promise((r) => setTimeout(() => r('still open'), 3_000))])).resolves.toBe('disconnected');
    const clients = String(await adminCall('CLIENT', 'LIST'));
    expect(clients).not.toContain(`user=${username} `);
  });

  it('refuses rules that do not parse before touching Redis, and creates nothing', async () => {
    const p = await plugin();
    const username = uniqueName();
    users.add(username);
    const request = { usernameMeta: { displayName: 't', roleName: 'r' }, username, rollbackStatements: [], password: password(), expiresAt: new Date() };
    await expect(p.newUser({ ...request, statements: ['["~*", "+get"'] }, signal())).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(p.newUser({ ...request, statements: ['["nopass"]'] }, signal())).rejects.toThrow(/Ward sets the user's password/);
    expect(await userExists(username)).toBe(false);
  });

  it('refuses to take over a user that already exists', async () => {
    const p = await plugin();
    const { username, password: pw } = await newUser(p, ['["+@read"]']);
    const again = p.newUser(
      { usernameMeta: { displayName: 't', roleName: 'r' }, username, statements: ['["+@all"]'], rollbackStatements: [], password: password(), expiresAt: new Date() },
      signal(),
    );
    await expect(again).rejects.toThrow(/already exists/);
    expect(await canLogin(username, pw)).toBe(true);
  });

  it('reads host and port from a redis:// connection_url, and refuses a bad persistence_mode', async () => {
    const p = new RedisPlugin();
    plugins.push(p);
    await p.initialize(redisConfig({ connectionUrl: 'redis://127.0.0.1:6379', extra: {} }), { verify: true, signal: signal() });
    const q = new RedisPlugin();
    plugins.push(q);
    await expect(q.initialize(redisConfig({ extra: { host: '127.0.0.1', port: 6379, persistence_mode: 'disk' } }), { verify: false, signal: signal() })).rejects.toThrow(
      /persistence_mode can only be 'REWRITE' or 'ACLFILE'/,
    );
  });

  it("names users as Vault's Redis plugin does", () => {
    expect(redisPluginFactory.defaultUsernameTemplate('redis-database-plugin')).toBe(REDIS_DEFAULT_USERNAME_TEMPLATE);
    const name = renderUsernameTemplate(REDIS_DEFAULT_USERNAME_TEMPLATE, { DisplayName: 'token', RoleName: 'my-redis-admin-role' });
    expect(name).toMatch(/^V_TOKEN_MY-REDIS-ADMIN-ROLE_[A-Z0-9]{20}_\d+$/);
  });

  it('checks role statements through the factory when a role is written', () => {
    expect(redisPluginFactory.parseStatements?.('redis-database-plugin', ['["~foo:*","+get"]'])).toEqual(['~foo:*', '+get']);
    expect(() => redisPluginFactory.parseStatements?.('redis-database-plugin', ['not-a-rule'])).toThrow(/not a Redis ACL rule/);
  });
});
