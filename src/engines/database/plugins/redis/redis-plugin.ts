import type { ConnectionConfig, DatabasePlugin, DeleteUserRequest, NewUserRequest, UpdateUserRequest } from '../../plugin.js';
import { WardError, internalError, invalidRequest, type ErrorCode } from '../../../../lib/errors.js';
import { scrubSecrets } from '../../scrub.js';
import { RedisConnection } from './connection.js';
import { REDIS_DEFAULT_RULES, parseRedisRules } from './rules.js';
import { parseRedisTarget, type RedisTarget } from './target.js';

export const REDIS_PLUGIN_NAME = 'redis-database-plugin';

const TIMEOUTS = { connectMs: 10_000, commandMs: 10_000 };
/** Cleanup after a cut-off creation runs on its own clock: the request's signal may be what cut it off. */
const CLEANUP_TIMEOUT_MS = 10_000;

interface Live {
  conn: RedisConnection;
  target: RedisTarget;
}

/**
 * The Redis plugin (Vault's `redis-database-plugin`): users are Redis 6+/7 ACL users. Creation statements are
 * ACL rules (`["~foo:*", "+get"]`, see `parseRedisRules`); revocation removes the user and disconnects its clients;
 * revocation statements are ignored, as in Vault. With `persistence_mode`, every change is saved (`ACL SAVE` or
 * `CONFIG REWRITE`).
 */
export class RedisPlugin implements DatabasePlugin {
  readonly name = REDIS_PLUGIN_NAME;
  #live: Live | undefined;
  #closed = false;
  readonly #secrets = new Set<string>();

  async initialize(config: ConnectionConfig, options: { verify: boolean; signal: AbortSignal }): Promise<ConnectionConfig> {
    if (this.#closed) throw closedError();
    const target = parseRedisTarget(config);
    this.#secrets.add(config.password);
    const conn = new RedisConnection(target, TIMEOUTS);
    if (options.verify) {
      try {
        await conn.call(options.signal, 'PING');
      } catch (err) {
        conn.close();
        throw this.#error('invalid_request', `error verifying connection to ${target.label}: ${messageOf(err)}`);
      }
    }
    const previous = this.#live;
    this.#live = { conn, target };
    previous?.conn.close();
    return config;
  }

  async newUser(req: NewUserRequest, signal: AbortSignal): Promise<{ username: string }> {
    const live = this.#ready();
    const parsed = parseRedisRules(req.statements);
    const rules = parsed.length > 0 ? parsed : [...REDIS_DEFAULT_RULES];
    const username = checkUsername(req.username);
    const secrets = [req.password];
    const fail = (what: string, err: unknown): WardError =>
      this.#error('upstream', `creating user "${username}" on ${live.target.label}: ${what}${messageOf(err)}`, secrets);
    try {
      if ((await live.conn.call(signal, 'ACL', 'GETUSER', username)) !== null) throw new Error('the user already exists');
    } catch (err) {
      throw fail('', err);
    }
    await req.durable; // SETUSER applies at once: nothing may be sent before this
    try {
      // `reset` first: whatever a user of that name had is gone, then on, the password, and the role's rules.
      await live.conn.call(signal, 'ACL', 'SETUSER', username, 'reset', 'on', `>${req.password}`, ...rules);
    } catch (err) {
      // A refused SETUSER changes nothing (it is atomic); one cut off may still have been applied.
      if (signal.aborted) await this.#cleanup(live, username);
      throw fail('', err);
    }
    try {
      await this.#persist(live, signal);
    } catch (err) {
      await this.#cleanup(live, username);
      throw fail('saving the ACL failed, the user was removed: ', err);
    }
    return { username };
  }

  async updateUser(req: UpdateUserRequest, signal: AbortSignal): Promise<void> {
    const live = this.#ready();
    if (req.password === undefined && req.expiration === undefined) throw invalidRequest('no change requested');
    // Redis users do not expire: a renewal has nothing to change.
    if (req.password === undefined) return;
    const { newPassword } = req.password;
    if (newPassword === '') throw invalidRequest('new password cannot be empty');
    try {
      if ((await live.conn.call(signal, 'ACL', 'GETUSER', req.username)) === null) throw new Error('the user does not exist');
      await live.conn.call(signal, 'ACL', 'SETUSER', req.username, 'resetpass', `>${newPassword}`);
      await this.#persist(live, signal);
    } catch (err) {
      throw this.#error('upstream', `changing the password of "${req.username}" on ${live.target.label}: ${messageOf(err)}`, [newPassword]);
    }
    if (req.username === live.target.username) this.#secrets.add(newPassword);
  }

  async deleteUser(req: DeleteUserRequest, signal: AbortSignal): Promise<void> {
    const live = this.#ready();
    try {
      await this.#remove(live, req.username, signal);
    } catch (err) {
      throw this.#error('upstream', `revoking user "${req.username}" on ${live.target.label}: ${messageOf(err)}`);
    }
  }

  secretValues(): string[] {
    return [...this.#secrets];
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#live?.conn.close();
    this.#live = undefined;
  }

  /** Disconnects the user's clients, then deletes it (which also disconnects any that came in between). */
  async #remove(live: Live, username: string, signal: AbortSignal): Promise<void> {
    try {
      await live.conn.call(signal, 'CLIENT', 'KILL', 'USER', username);
    } catch (err) {
      // Redis answers "ERR No such user '…'" for a user that is already gone: that is success here.
      if (!/no such user/i.test(messageOf(err))) throw err;
    }
    await live.conn.call(signal, 'ACL', 'DELUSER', username);
    await this.#persist(live, signal);
  }

  async #cleanup(live: Live, username: string): Promise<void> {
    await this.#remove(live, username, AbortSignal.timeout(CLEANUP_TIMEOUT_MS)).catch(() => undefined);
  }

  async #persist(live: Live, signal: AbortSignal): Promise<void> {
    if (live.target.persistence === 'ACLFILE') await live.conn.call(signal, 'ACL', 'SAVE');
    else if (live.target.persistence === 'REWRITE') await live.conn.call(signal, 'CONFIG', 'REWRITE');
  }

  #ready(): Live {
    if (this.#closed) throw closedError();
    if (this.#live === undefined) throw internalError(`${this.name} is not initialized`);
    return this.#live;
  }

  #error(code: ErrorCode, message: string, extraSecrets: readonly string[] = []): WardError {
    return new WardError(code, scrubSecrets(message, [...this.#secrets, ...extraSecrets]));
  }
}

/** ACL user names are single arguments; refuse what Redis would misread or a log would garble. */
function checkUsername(username: string): string {
  if (username === '' || [...username].some((ch) => ch.trim() === '' || (ch.codePointAt(0) ?? 0) < 0x20)) {
    throw invalidRequest('a Redis username must be non-empty, without spaces or control characters');
  }
  return username;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message || err.name : String(err);
}

function closedError(): WardError {
  return internalError('the Redis plugin is closed');
}
