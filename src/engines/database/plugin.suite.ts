import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionConfig, DatabasePlugin } from './plugin.js';

/**
 * One real target for the conformance suite. `make` is called once per test (and once more to clean up), so each
 * test has its own plugin instance.
 */
export interface PluginUnderTest {
  /** A new plugin instance, not yet initialized. */
  plugin: DatabasePlugin;
  /**
   * A working configuration. The credentials must come from `username`/`password` (through `{{username}}` and
   * `{{password}}` in `connectionUrl`, or fields the plugin reads), and host and port must be written out in
   * `connectionUrl` (`host:port`, `tcp(host:port)`, `host=… port=…`) or in `extra.host`/`extra.port`: the suite
   * changes them to test failures.
   */
  config: ConnectionConfig;
  /** Whether `username` can log in to the target with `password` right now (false when refused). */
  canLogin(username: string, password: string): Promise<boolean>;
  /** Whether an account named `username` exists on the target. */
  exists(username: string): Promise<boolean>;
  /** Creation statements that make a user who can log in with `{{password}}`. */
  creationStatements: string[];
  /** Host and port, when they cannot be read from `config` as described above. */
  endpoint?: { host: string; port: number };
  /**
   * Creation statements that create the user and then fail. Default: `creationStatements` followed by a statement
   * that no target accepts.
   */
  badStatements?: string[];
}

const OP_TIMEOUT_MS = 20_000;
/** How long "fails quickly" may take. */
const QUICK_MS = 5_000;

const signal = (): AbortSignal => AbortSignal.timeout(OP_TIMEOUT_MS);
const newUsername = (): string => `w${randomBytes(5).toString('hex')}`;
const newPassword = (): string => `Aa1-${randomBytes(15).toString('base64url')}`;

/**
 * The database plugin conformance suite (STYLE.md habit 3): declares vitest tests that every `DatabasePlugin` must
 * pass against its real target — initialize and verify, create, change the password of, and delete users
 * (idempotently), leave nothing behind when creation fails, keep the root password out of errors, and stop working
 * once closed. Call it at the top level of a test file.
 */
export function databasePluginSuite(name: string, make: () => Promise<PluginUnderTest>): void {
  describe(`database plugin conformance: ${name}`, () => {
    const opened: DatabasePlugin[] = [];
    const createdUsers: string[] = [];

    async function ready(): Promise<PluginUnderTest> {
      const target = await make();
      opened.push(target.plugin);
      await target.plugin.initialize(target.config, { verify: true, signal: signal() });
      return target;
    }

    async function create(
      target: PluginUnderTest,
      statements = target.creationStatements,
      options: { requested?: string; durable?: Promise<void> } = {},
    ): Promise<{ username: string; password: string }> {
      const password = newPassword();
      const requested = options.requested ?? newUsername();
      createdUsers.push(requested);
      const { username } = await target.plugin.newUser(
        {
          usernameMeta: { displayName: 'token', roleName: 'conformance' },
          username: requested,
          statements,
          rollbackStatements: [],
          password,
          expiresAt: new Date(Date.now() + 3_600_000),
          ...(options.durable ? { durable: options.durable } : {}),
        },
        signal(),
      );
      createdUsers.push(username);
      return { username, password };
    }

    afterEach(async () => {
      const users = createdUsers.splice(0);
      const plugins = opened.splice(0);
      if (users.length > 0) {
        const cleaner = await make();
        plugins.push(cleaner.plugin);
        await cleaner.plugin.initialize(cleaner.config, { verify: false, signal: signal() });
        for (const username of new Set(users)) {
          await cleaner.plugin.deleteUser({ username, statements: [] }, signal()).catch(() => undefined);
        }
      }
      for (const plugin of plugins) await plugin.close().catch(() => undefined);
    });

    it('initialize with verify accepts a good configuration and returns the configuration to persist', async () => {
      const target = await make();
      opened.push(target.plugin);
      const persisted = await target.plugin.initialize(target.config, { verify: true, signal: signal() });
      expect(persisted.username).toBe(target.config.username);
      expect(persisted.connectionUrl).toBe(target.config.connectionUrl);
    });

    it('initialize with verify refuses a wrong password with an error naming host and port, never the password', async () => {
      const target = await make();
      opened.push(target.plugin);
      const endpoint = endpointOf(target);
      const wrong = `wrong-${newPassword()}`;
      const err = await rejection(target.plugin.initialize({ ...target.config, password: wrong }, { verify: true, signal: signal() }));
      expect(err.message).toContain(endpoint.host);
      expect(err.message).toContain(String(endpoint.port));
      expectFreeOf(err, [wrong, target.config.password]);
    });

    it('initialize with verify fails quickly on a port nobody listens on', async () => {
      const target = await make();
      opened.push(target.plugin);
      const endpoint = endpointOf(target);
      const port = await unusedPort();
      const started = Date.now();
      const err = await rejection(target.plugin.initialize(withPort(target, endpoint, port), { verify: true, signal: signal() }));
      expect(Date.now() - started).toBeLessThan(QUICK_MS);
      expect(err.message).toContain(String(port));
      expectFreeOf(err, [target.config.password]);
    });

    it('initialize with verify gives up when its signal fires, against a server that never answers', async () => {
      const target = await make();
      opened.push(target.plugin);
      const silent = await silentServer();
      try {
        const started = Date.now();
        const config = withPort(target, endpointOf(target), silent.port);
        await rejection(target.plugin.initialize(config, { verify: true, signal: AbortSignal.timeout(1_000) }));
        expect(Date.now() - started).toBeLessThan(QUICK_MS);
      } finally {
        await silent.close();
      }
    });

    it('initialize without verify does not connect', async () => {
      const target = await make();
      opened.push(target.plugin);
      const config = withPort(target, endpointOf(target), await unusedPort());
      await target.plugin.initialize(config, { verify: false, signal: signal() });
    });

    it('newUser creates a user that exists and can log in with its password', async () => {
      const target = await ready();
      const { username, password } = await create(target);
      expect(await target.exists(username)).toBe(true);
      expect(await target.canLogin(username, password)).toBe(true);
      expect(await target.canLogin(username, `${password}x`)).toBe(false);
    });

    it('newUser makes nothing visible until `durable` resolves (Ward has recorded the lease)', async () => {
      const target = await ready();
      let markDurable: () => void = () => undefined;
      const durable = new Promise<void>((resolve) => {
        markDurable = resolve;
      });
      const requested = newUsername();
      const creating = create(target, target.creationStatements, { requested, durable });
      await new Promise((r) => setTimeout(r, 300)); // time enough for every statement that does not wait
      expect(await target.exists(requested)).toBe(false);
      markDurable();
      const { username, password } = await creating;
      expect(await target.exists(username)).toBe(true);
      expect(await target.canLogin(username, password)).toBe(true);
    });

    it('newUser fails and leaves nothing behind when `durable` rejects (the lease could not be recorded)', async () => {
      const target = await ready();
      const requested = newUsername();
      const durable = new Promise<void>((_, reject) => setTimeout(() => reject(new Error('storage write failed: disk full')), 100));
      await rejection(create(target, target.creationStatements, { requested, durable }));
      expect(await target.exists(requested)).toBe(false);
    });

    it('updateUser with a password: the old one is refused, the new one works', async () => {
      const target = await ready();
      const { username, password } = await create(target);
      const next = newPassword();
      await target.plugin.updateUser({ username, password: { newPassword: next, statements: [] } }, signal());
      expect(await target.canLogin(username, password)).toBe(false);
      expect(await target.canLogin(username, next)).toBe(true);
    });

    it('updateUser with an expiration keeps the user working', async () => {
      const target = await ready();
      const { username, password } = await create(target);
      await target.plugin.updateUser({ username, expiration: { expiresAt: new Date(Date.now() + 7_200_000), statements: [] } }, signal());
      expect(await target.canLogin(username, password)).toBe(true);
    });

    it('deleteUser removes the user and its login is refused', async () => {
      const target = await ready();
      const { username, password } = await create(target);
      await target.plugin.deleteUser({ username, statements: [] }, signal());
      expect(await target.exists(username)).toBe(false);
      expect(await target.canLogin(username, password)).toBe(false);
    });

    it('deleteUser twice succeeds (idempotent)', async () => {
      const target = await ready();
      const { username } = await create(target);
      await target.plugin.deleteUser({ username, statements: [] }, signal());
      await target.plugin.deleteUser({ username, statements: [] }, signal());
      expect(await target.exists(username)).toBe(false);
    });

    it('deleteUser of a name that never existed succeeds', async () => {
      const target = await ready();
      const username = newUsername();
      await target.plugin.deleteUser({ username, statements: [] }, signal());
      expect(await target.exists(username)).toBe(false);
    });

    it('newUser with a bad statement fails and leaves nothing behind', async () => {
      const target = await ready();
      const bad = target.badStatements ?? [...target.creationStatements, 'THIS IS NOT A VALID STATEMENT'];
      const attempt = create(target, bad);
      await rejection(attempt);
      for (const username of createdUsers) expect(await target.exists(username)).toBe(false);
    });

    it('secretValues holds the root password, and no error the plugin throws contains it', async () => {
      const target = await ready();
      expect(target.plugin.secretValues()).toContain(target.config.password);
      const bad = target.badStatements ?? [...target.creationStatements, 'THIS IS NOT A VALID STATEMENT'];
      const errors = [
        await rejection(create(target, bad)),
        await rejection(
          target.plugin.updateUser({ username: newUsername(), password: { newPassword: newPassword(), statements: [] } }, signal()),
        ),
      ];
      for (const err of errors) expectFreeOf(err, [target.config.password]);
    });

    it('after close() every call fails', async () => {
      const target = await ready();
      const { username } = await create(target);
      await target.plugin.close();
      await rejection(create(target));
      await rejection(target.plugin.deleteUser({ username, statements: [] }, signal()));
      await rejection(target.plugin.updateUser({ username, password: { newPassword: newPassword(), statements: [] } }, signal()));
    });
  });
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(Error);
    return err as Error;
  }
  throw new Error('expected the call to fail, and it succeeded');
}

/** Asserts that no secret appears in the error's message, stack, or causes. */
function expectFreeOf(err: Error, secrets: readonly string[]): void {
  const texts: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current instanceof Error && depth < 5; depth += 1) {
    texts.push(current.message, current.stack ?? '', JSON.stringify(current));
    current = current.cause;
  }
  if (current !== undefined) texts.push(String(current));
  for (const secret of secrets) {
    if (secret === '') continue;
    for (const text of texts) expect(text).not.toContain(secret);
  }
}

/** Host and port of the target, from `endpoint`, `connectionUrl` or `extra.host`/`extra.port`. */
function endpointOf(target: PluginUnderTest): { host: string; port: number } {
  if (target.endpoint) return target.endpoint;
  const { connectionUrl, extra } = target.config;
  const keyHost = /(?:^|\s)host=(\S+)/.exec(connectionUrl);
  const keyPort = /(?:^|\s)port=(\d+)/.exec(connectionUrl);
  if (keyHost && keyPort) return { host: keyHost[1] as string, port: Number(keyPort[1]) };
  const tail = connectionUrl.slice(connectionUrl.lastIndexOf('@') + 1);
  const m = /(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d+)/.exec(tail);
  if (m) return { host: (m[1] as string).replace(/^\[|\]$/g, ''), port: Number(m[2]) };
  if (typeof extra.host === 'string' && extra.port !== undefined) return { host: extra.host, port: Number(extra.port) };
  throw new Error('the suite cannot find host and port in the config: pass `endpoint`');
}

/** The config with its port changed to `port` wherever the suite found it. */
function withPort(target: PluginUnderTest, endpoint: { host: string; port: number }, port: number): ConnectionConfig {
  const from = String(endpoint.port);
  const connectionUrl = target.config.connectionUrl
    .replace(new RegExp(`(:|port=)${from}(?!\\d)`), `$1${port}`);
  const extra = { ...target.config.extra };
  if (extra.port !== undefined) extra.port = typeof extra.port === 'string' ? String(port) : port;
  return { ...target.config, connectionUrl, extra };
}

/** A loopback port that nothing listens on (bound, then released). */
async function unusedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A loopback server that accepts connections and never sends a byte. */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
