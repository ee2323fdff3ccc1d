import { Redis, type RedisOptions } from 'ioredis';
import type { RedisTarget } from './target.js';

/** Bounds that apply when the caller's signal has none tighter. */
export interface RedisTimeouts {
  connectMs: number;
  commandMs: number;
}

/**
 * One ioredis client per plugin instance (Redis pipelines every command over one connection, so a pool would
 * add nothing). It never reconnects or queues on its own: a lost connection fails the commands in flight and the
 * next call dials again, so each call's outcome is known. Every call takes an AbortSignal.
 */
export class RedisConnection {
  readonly #target: RedisTarget;
  readonly #timeouts: RedisTimeouts;
  #client: Redis | undefined;
  #dialing: Promise<Redis> | undefined;
  #closed = false;

  constructor(target: RedisTarget, timeouts: RedisTimeouts) {
    this.#target = target;
    this.#timeouts = timeouts;
  }

  /** Sends one command; its reply (null for a nil reply). */
  async call(signal: AbortSignal, command: string, ...args: string[]): Promise<unknown> {
    signal.throwIfAborted();
    const client = await raceAbort(this.#connected(), signal);
    return raceAbort(client.call(command, ...args), signal);
  }

  /** Disconnects; later calls fail. */
  close(): void {
    this.#closed = true;
    this.#client?.disconnect();
    this.#client = undefined;
  }

  #connected(): Promise<Redis> {
    if (this.#closed) return Promise.reject(new Error('the connection is closed'));
    if (this.#client?.status === 'ready') return Promise.resolve(this.#client);
    this.#dialing ??= this.#dial().finally(() => {
      this.#dialing = undefined;
    });
    return this.#dialing;
  }

  async #dial(): Promise<Redis> {
    this.#client?.disconnect();
    this.#client = undefined;
    const client = new Redis(redisOptions(this.#target, this.#timeouts));
    // ioredis reports why a connection failed only as an 'error' event; connect() just says "Connection is closed".
    let lastError: Error | undefined;
    client.on('error', (err: Error) => {
      lastError = err;
    });
    const giveUp = setTimeout(() => client.disconnect(), this.#timeouts.connectMs + this.#timeouts.commandMs);
    try {
      await client.connect();
    } catch (err) {
      client.disconnect();
      throw lastError ?? err;
    } finally {
      clearTimeout(giveUp);
    }
    if (this.#closed) {
      client.disconnect();
      throw new Error('the connection is closed');
    }
    this.#client = client;
    return client;
  }
}

/** ioredis options for one admin or test connection: no retries, no offline queue, bounded waits. */
export function redisOptions(target: RedisTarget, timeouts: RedisTimeouts): RedisOptions {
  const options: RedisOptions = {
    host: target.host,
    port: target.port,
    username: target.username,
    password: target.password,
    lazyConnect: true,
    connectTimeout: timeouts.connectMs,
    commandTimeout: timeouts.commandMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: true,
    retryStrategy: () => null,
    reconnectOnError: () => false,
    connectionName: 'ward',
  };
  if (target.tls) options.tls = { ...target.tls };
  return options;
}

/** Settles with `promise`, or rejects with the signal's reason as soon as it fires. */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(abortReason(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  const err = new Error('the operation was aborted');
  err.name = 'AbortError';
  return err;
}
