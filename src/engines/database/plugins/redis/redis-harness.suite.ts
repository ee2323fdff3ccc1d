import { Redis } from 'ioredis';
import type { ConnectionConfig } from '../../plugin.js';

/**
 * The local Redis the tests use, as `scripts/setup-redis.sh` prepares it: ACL user `ward_admin` with a known
 * password (override with WARD_TEST_REDIS_* variables).
 */
export const REDIS = {
  host: process.env.WARD_TEST_REDIS_HOST ?? '127.0.0.1',
  port: Number(process.env.WARD_TEST_REDIS_PORT ?? 6379),
  user: process.env.WARD_TEST_REDIS_ADMIN_USER ?? 'ward_admin',
  password: process.env.WARD_TEST_REDIS_ADMIN_PASSWORD ?? 'ward-admin-test-pw',
};

/** A connection config with Vault's Redis fields (`host`, `port`) in `extra`. */
export function redisConfig(overrides: Partial<ConnectionConfig> = {}): ConnectionConfig {
  return {
    connectionUrl: '',
    username: REDIS.user,
    password: REDIS.password,
    maxOpenConnections: 4,
    maxIdleConnections: 0,
    maxConnectionLifetime: 0,
    disableEscaping: false,
    passwordAuthentication: 'password',
    extra: { host: REDIS.host, port: REDIS.port },
    ...overrides,
  };
}

/** Connects as `username`; undefined when Redis refuses the credentials (WRONGPASS). */
export async function connectAs(username: string, password: string): Promise<Redis | undefined> {
  const client = new Redis({
    host: REDIS.host,
    port: REDIS.port,
    username,
    password,
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    connectTimeout: 5_000,
    commandTimeout: 5_000,
  });
  let lastError: Error | undefined;
  client.on('error', (err: Error) => {
    lastError = err;
  });
  try {
    await client.connect();
    return client;
  } catch (err) {
    client.disconnect();
    if (lastError?.message.startsWith('WRONGPASS')) return undefined;
    throw lastError ?? err;
  }
}

export async function canLogin(username: string, password: string): Promise<boolean> {
  const client = await connectAs(username, password);
  if (client === undefined) return false;
  client.disconnect();
  return true;
}

/** Runs one command as ward_admin. */
export async function adminCall(command: string, ...args: string[]): Promise<unknown> {
  const client = await connectAs(REDIS.user, REDIS.password);
  if (client === undefined) throw new Error('ward_admin cannot log in: run scripts/setup-redis.sh');
  try {
    return await client.call(command, ...args);
  } finally {
    client.disconnect();
  }
}

export async function userExists(username: string): Promise<boolean> {
  return (await adminCall('ACL', 'GETUSER', username)) !== null;
}
