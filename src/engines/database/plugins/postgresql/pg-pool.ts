import { Client, Pool, type ClientConfig, type PoolClient } from 'pg';
import { describeTarget, type PgTarget } from './connection-url.js';

/** Bounds on every network call; the caller's AbortSignal may end a call sooner. */
export const CONNECT_TIMEOUT_MS = 10_000;
export const QUERY_TIMEOUT_MS = 60_000;

export interface PoolLimits {
  /** Maximum open connections (Vault's `max_open_connections`, default 4). */
  max: number;
  /** How long an idle connection is kept, ms (0 = close idle connections at once). */
  idleMillis: number;
  /** Seconds a connection may be reused (0 = forever). */
  maxLifetimeSeconds: number;
}

/** A queryable connection, from the pool or a one-off client. */
export type Queryable = Pick<PoolClient, 'query'>;

function sslOption(target: PgTarget, ca: string | undefined): ClientConfig['ssl'] {
  switch (target.sslmode) {
    case 'require':
      return { rejectUnauthorized: false, ...(ca ? { ca } : {}) };
    case 'verify-ca':
      return { rejectUnauthorized: true, checkServerIdentity: () => undefined, ...(ca ? { ca } : {}) };
    case 'verify-full':
      return { rejectUnauthorized: true, ...(ca ? { ca } : {}) };
    default:
      // "", disable, allow, prefer: node-postgres cannot fall back from TLS to plain, so these connect in plain.
      return false;
  }
}

/** node-postgres settings for `target` (optionally another database on the same server). */
export function clientConfig(target: PgTarget, database = target.database, ca?: string): ClientConfig {
  const connectTimeout = Number(target.params.connect_timeout);
  return {
    host: target.host,
    port: target.port,
    database,
    user: target.user,
    password: target.password,
    ssl: sslOption(target, ca),
    application_name: target.params.application_name ?? 'ward',
    ...(target.params.options ? { options: target.params.options } : {}),
    connectionTimeoutMillis: connectTimeout > 0 ? connectTimeout * 1000 : CONNECT_TIMEOUT_MS,
    query_timeout: QUERY_TIMEOUT_MS,
  };
}

/** Why a connection attempt failed, naming where (host, port, database) and never the password. */
export class ConnectError extends Error {
  constructor(target: Pick<PgTarget, 'host' | 'port' | 'database' | 'user'>, cause: string) {
    super(`cannot connect to ${describeTarget(target)} as "${target.user}": ${cause}`);
    this.name = 'ConnectError';
  }
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error('the operation was aborted');
}

/**
 * Runs `fn` on `client`, ending the connection if `signal` fires meanwhile: node-postgres then fails the running
 * query at once ("Connection terminated"), and PostgreSQL rolls back whatever transaction was open on it.
 */
async function guarded<T>(client: Client | PoolClient, signal: AbortSignal, fn: () => Promise<T>): Promise<{ value?: T; error?: unknown; aborted: boolean }> {
  let aborted = false;
  const onAbort = (): void => {
    aborted = true;
    void client.end().catch(() => undefined);
  };
  if (signal.aborted) return { error: abortError(signal), aborted: true };
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    return { value: await fn(), aborted: false };
  } catch (error) {
    return { error: aborted ? abortError(signal) : error, aborted };
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** Errors after which a pooled connection must not be reused. */
function isConnectionBroken(err: unknown): boolean {
  if (!(err instanceof Error)) return true;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && /^(57P0|08)/.test(code)) return true;
  return /Connection terminated|Query read timeout|ECONNRESET|EPIPE|socket/i.test(err.message);
}

/**
 * One pool of connections to one PostgreSQL database (one configured connection), with abortable, time-bounded
 * calls. Idle connections do not keep the process alive.
 */
export class PgConnection {
  readonly #pool: Pool;
  readonly #target: PgTarget;
  readonly #ca: string | undefined;

  constructor(target: PgTarget, limits: PoolLimits, ca?: string) {
    this.#target = target;
    this.#ca = ca;
    this.#pool = new Pool({
      ...clientConfig(target, target.database, ca),
      max: Math.max(1, limits.max),
      idleTimeoutMillis: Math.max(1, limits.idleMillis),
      ...(limits.maxLifetimeSeconds > 0 ? { maxLifetimeSeconds: limits.maxLifetimeSeconds } : {}),
      allowExitOnIdle: true,
    });
    // An idle connection the server drops (restart, pg_terminate_backend) must not crash the process.
    this.#pool.on('error', () => undefined);
  }

  get target(): PgTarget {
    return this.#target;
  }

  async #acquire(signal: AbortSignal): Promise<PoolClient> {
    if (signal.aborted) throw abortError(signal);
    const pending = this.#pool.connect();
    let onAbort: () => void = () => undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(abortError(signal));
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([pending, aborted]);
    } catch (err) {
      // A connection that arrives after the abort goes straight back.
      pending.then((c) => c.release(), () => undefined);
      if (signal.aborted) throw abortError(signal);
      throw new ConnectError(this.#target, err instanceof Error ? err.message : String(err));
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** Runs `fn` with a pooled connection; a connection that broke or was aborted is discarded, not reused. */
  async withClient<T>(signal: AbortSignal, fn: (c: Queryable) => Promise<T>): Promise<T> {
    const client = await this.#acquire(signal);
    // The server may end a checked-out connection between queries (pg_terminate_backend, restart): node-postgres then
    // emits 'error' on the client, which must not crash the process. The next query fails and the client is dropped.
    let broken: Error | null = null;
    const onError = (err: Error): void => {
      broken = err;
    };
    client.on('error', onError);
    const out = await guarded(client, signal, () => fn(client));
    client.removeListener('error', onError);
    if (out.error === undefined && broken !== null) {
      client.release(broken);
      return out.value as T;
    }
    if (out.error !== undefined) {
      client.release(out.aborted || isConnectionBroken(out.error) ? (out.error instanceof Error ? out.error : new Error(String(out.error))) : undefined);
      throw out.error;
    }
    client.release();
    return out.value as T;
  }

  /** Runs `fn` inside BEGIN/COMMIT on one connection; any error rolls back. */
  async transaction<T>(signal: AbortSignal, fn: (c: Queryable) => Promise<T>): Promise<T> {
    return this.withClient(signal, async (c) => {
      await c.query('BEGIN');
      try {
        const value = await fn(c);
        await c.query('COMMIT');
        return value;
      } catch (err) {
        await c.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  }

  /** Runs `fn` on a one-off connection to another database of the same server (as the same user). */
  async withDatabase<T>(database: string, signal: AbortSignal, fn: (c: Queryable) => Promise<T>): Promise<T> {
    const client = new Client(clientConfig(this.#target, database, this.#ca));
    client.on('error', () => undefined);
    const connected = await guarded(client, signal, async () => {
      await client.connect();
    });
    if (connected.error !== undefined) {
      await client.end().catch(() => undefined);
      if (connected.aborted) throw connected.error;
      const cause = connected.error instanceof Error ? connected.error.message : String(connected.error);
      throw new ConnectError({ ...this.#target, database }, cause);
    }
    try {
      const out = await guarded(client, signal, () => fn(client));
      if (out.error !== undefined) throw out.error;
      return out.value as T;
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  /** Checks that a connection can be made and used. */
  async ping(signal: AbortSignal): Promise<void> {
    await this.withClient(signal, async (c) => {
      await c.query('SELECT 1');
    });
  }

  async close(): Promise<void> {
    await this.#pool.end().catch(() => undefined);
  }
}
