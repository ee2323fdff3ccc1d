import mysql from 'mysql2/promise';
import type { Pool, PoolConnection, PoolOptions, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { MysqlTarget } from './dsn.js';
import { mysqlErrno } from './errors.js';

/** Bounds that apply when the caller's signal has none tighter. */
export interface MysqlPoolSettings {
  target: MysqlTarget;
  maxOpenConnections: number;
  maxIdleConnections: number;
  /** Seconds; 0 = connections live forever. */
  maxConnectionLifetime: number;
  connectTimeoutMs: number;
  queryTimeoutMs: number;
  /** Longest wait for a free connection when all `maxOpenConnections` are busy. */
  acquireTimeoutMs: number;
  ssl?: PoolOptions['ssl'];
}

/** Runs statements on one borrowed connection. */
export interface MysqlSession {
  /** Text-protocol query (`?` values escaped client-side), bounded by the query timeout. */
  query(sql: string, values?: readonly unknown[]): Promise<RowDataPacket[] | ResultSetHeader>;
}

const KILL_TIMEOUT_MS = 5_000;

/**
 * One mysql2 pool per plugin instance, bounded by `max_open_connections`. Every borrow takes an AbortSignal:
 * waiting for a connection, connecting and each query end when it fires. A connection whose statement was cut
 * off is destroyed, never returned to the pool, and its server thread is killed (awaited, so a rollback that
 * follows cannot race the statement that was cut off).
 */
export class MysqlPool {
  readonly #pool: Pool;
  readonly #settings: MysqlPoolSettings;
  // Keyed by the driver's core connection, which lives as long as the server session.
  readonly #born = new WeakMap<object, number>();

  constructor(settings: MysqlPoolSettings) {
    this.#settings = settings;
    const { target } = settings;
    const options: PoolOptions = {
      user: target.user,
      password: target.password,
      database: target.database === '' ? undefined : target.database,
      connectionLimit: settings.maxOpenConnections,
      maxIdle: settings.maxIdleConnections,
      idleTimeout: 60_000,
      waitForConnections: true,
      queueLimit: 0,
      connectTimeout: settings.connectTimeoutMs,
      multipleStatements: false,
      enableKeepAlive: true,
      ssl: settings.ssl,
    };
    if (target.socketPath !== undefined) options.socketPath = target.socketPath;
    else {
      options.host = target.host;
      options.port = target.port;
    }
    this.#pool = mysql.createPool(options);
  }

  /** Borrows a connection for `fn`; returns it to the pool afterwards, or destroys it if it was cut off. */
  async withSession<T>(signal: AbortSignal, fn: (session: MysqlSession) => Promise<T>): Promise<T> {
    signal.throwIfAborted();
    const conn = await this.#acquire(signal);
    let broken = false;
    const onAbort = (): void => {
      broken = true;
      conn.destroy();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const session: MysqlSession = {
      query: async (sql, values) => {
        signal.throwIfAborted();
        const [result] = await conn.query<RowDataPacket[] | ResultSetHeader>({
          sql,
          values: values === undefined ? undefined : [...values],
          timeout: this.#settings.queryTimeoutMs,
        });
        return result;
      },
    };
    try {
      return await fn(session);
    } catch (err) {
      if (!broken && isConnectionFatal(err)) {
        broken = true;
        conn.destroy();
      }
      if (broken) await this.#killThread(conn.threadId);
      if (signal.aborted) throw abortError(signal);
      throw err;
    } finally {
      signal.removeEventListener('abort', onAbort);
      if (!broken) conn.release();
    }
  }

  /** Closes every connection. Borrowed connections are closed as they come back. */
  async end(): Promise<void> {
    await this.#pool.end();
  }

  async #acquire(signal: AbortSignal): Promise<PoolConnection> {
    const lifetimeMs = this.#settings.maxConnectionLifetime * 1000;
    // A pool can hold at most maxOpen connections that are too old; one more borrow then gets a fresh one.
    for (let attempt = 0; attempt <= this.#settings.maxOpenConnections; attempt += 1) {
      const conn = await this.#borrow(signal);
      const now = Date.now();
      const born = this.#born.get(conn.connection);
      if (born === undefined) this.#born.set(conn.connection, now);
      if (lifetimeMs > 0 && born !== undefined && now - born >= lifetimeMs) {
        conn.destroy();
        continue;
      }
      return conn;
    }
    throw new Error('could not obtain a connection younger than max_connection_lifetime');
  }

  #borrow(signal: AbortSignal): Promise<PoolConnection> {
    const waitSignal = AbortSignal.any([signal, AbortSignal.timeout(this.#settings.acquireTimeoutMs)]);
    return new Promise<PoolConnection>((resolve, reject) => {
      let settled = false;
      const onAbort = (): void => {
        settled = true;
        reject(abortError(waitSignal));
      };
      waitSignal.addEventListener('abort', onAbort, { once: true });
      this.#pool.getConnection().then(
        (conn) => {
          waitSignal.removeEventListener('abort', onAbort);
          if (settled) conn.release();
          else resolve(conn);
        },
        (err: unknown) => {
          waitSignal.removeEventListener('abort', onAbort);
          if (!settled) reject(err);
        },
      );
    });
  }

  /** Ends the server side of a connection we cut off, so its last statement cannot still complete later. */
  async #killThread(threadId: number | null | undefined): Promise<void> {
    if (typeof threadId !== 'number' || !Number.isSafeInteger(threadId)) return;
    const signal = AbortSignal.timeout(KILL_TIMEOUT_MS);
    try {
      const conn = await this.#borrow(signal);
      try {
        await conn.query({ sql: `KILL CONNECTION ${threadId}`, timeout: KILL_TIMEOUT_MS });
        conn.release();
      } catch (err) {
        // 1094: unknown thread — it is already gone, and this connection is fine.
        if (mysqlErrno(err) === 1094) conn.release();
        else conn.destroy();
      }
    } catch {
      // Best effort: the server is unreachable, so the statement cannot complete either.
    }
  }
}

function isConnectionFatal(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { fatal, code } = err as { fatal?: unknown; code?: unknown };
  return fatal === true || code === 'PROTOCOL_SEQUENCE_TIMEOUT';
}

/** What an aborted wait rejects with: the signal's reason when it is an Error, else a plain AbortError. */
export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  const err = new Error('the operation was aborted');
  err.name = 'AbortError';
  return err;
}
