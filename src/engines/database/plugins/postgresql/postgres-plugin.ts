import type { ConnectionConfig, DatabasePlugin, DeleteUserRequest, NewUserRequest, UpdateUserRequest } from '../../plugin.js';
import { KeyedLock } from '../../../../lib/keyed-lock.js';
import { scrubSecrets } from '../../scrub.js';
import { describeTarget, parseConnectionUrl } from './connection-url.js';
import { ACL_FULL_HINT, describePgError, isAclFull } from './pg-errors.js';
import { PgConnection, type Queryable } from './pg-pool.js';
import { retryConflicts } from './retry.js';
import { defaultRevoke, roleOid, terminateSessions } from './revoke.js';
import { scramSha256Verifier } from './scram.js';
import { changesAcl } from './sql-lexer.js';
import { expandStatements, formatExpiration, renderStatement, type StatementValues } from './statements.js';

/** Vault's defaults for renewal and password changes (plugins/database/postgresql). */
export const DEFAULT_RENEW_STATEMENT = `ALTER ROLE "{{name}}" VALID UNTIL '{{expiration}}';`;
export const DEFAULT_CHANGE_PASSWORD_STATEMENT = `ALTER ROLE "{{username}}" WITH PASSWORD '{{password}}';`;

/** Vault's default `max_open_connections`. */
const DEFAULT_MAX_OPEN = 4;
/** How long idle pooled connections are kept unless `max_idle_connections` is negative. */
const IDLE_MILLIS = 30_000;
/** Bound on the clean-up after a failed creation, which runs even when the caller's signal has fired. */
const CLEANUP_TIMEOUT_MS = 15_000;

/**
 * ACL-changing statements (GRANT, REVOKE, default privileges, REASSIGN/DROP OWNED) on one database run one at a time
 * in this process: PostgreSQL fails concurrent GRANTs on one table with `tuple concurrently updated` or deadlocks.
 * Shared by every connection config that points at the same database. Conflicts with other processes are retried.
 */
const aclLocks = new KeyedLock();

function errorMessage(err: unknown): string {
  return describePgError(err);
}

/** The PostgreSQL plugin (`postgresql-database-plugin`): one pool per configured connection. */
export class PostgresPlugin implements DatabasePlugin {
  readonly name: string;
  #conn: PgConnection | null = null;
  #config: ConnectionConfig | null = null;

  constructor(name: string) {
    this.name = name;
  }

  #require(): PgConnection {
    if (!this.#conn) throw new Error('the plugin is not initialized');
    return this.#conn;
  }

  #aclKey(database: string): string {
    const t = this.#require().target;
    return `${t.host}:${t.port}/${database}`;
  }

  #withAclLock<T>(acl: boolean, database: string, fn: () => Promise<T>): Promise<T> {
    return acl ? aclLocks.run(this.#aclKey(database), fn) : fn();
  }

  /** Runs rendered statements in one transaction, serialised when they change ACLs, retried on conflicts. */
  /** Runs `statements` in one transaction; `beforeCommit`, if given, must resolve before COMMIT (else: ROLLBACK). */
  async #runTransaction(statements: string[], values: StatementValues, signal: AbortSignal, beforeCommit?: Promise<void>): Promise<void> {
    const conn = this.#require();
    const rendered = statements.map((s) => renderStatement(s, values));
    await this.#withAclLock(statements.some(changesAcl), conn.target.database, () =>
      retryConflicts(signal, () =>
        conn.transaction(signal, async (c: Queryable) => {
          for (const q of rendered) await c.query(q);
          await beforeCommit;
        }),
      ),
    );
  }

  #revokeContext(signal: AbortSignal): Parameters<typeof defaultRevoke>[0] {
    return { conn: this.#require(), signal, withAclLock: (db, fn) => aclLocks.run(this.#aclKey(db), fn) };
  }

  /** An Error with `err`'s message, prefixed, and scrubbed of every secret involved. */
  #fail(prefix: string, err: unknown, secrets: string[]): Error {
    const cause = errorMessage(err);
    const text = isAclFull(err) ? `${ACL_FULL_HINT}: ${cause}` : `${prefix}: ${cause}`;
    return new Error(scrubSecrets(text, [...secrets, ...this.secretValues()]));
  }

  async initialize(config: ConnectionConfig, options: { verify: boolean; signal: AbortSignal }): Promise<ConnectionConfig> {
    const auth = config.passwordAuthentication as string;
    if (auth !== 'password' && auth !== 'scram-sha-256') throw new Error(`'${auth}' is not a valid password authentication type`);
    let target;
    try {
      target = parseConnectionUrl(config.connectionUrl, config.username, config.password);
    } catch (err) {
      throw new Error(scrubSecrets(err instanceof Error ? err.message : String(err), [config.password]));
    }
    const max = config.maxOpenConnections > 0 ? config.maxOpenConnections : config.maxOpenConnections < 0 ? 100 : DEFAULT_MAX_OPEN;
    const ca = typeof config.extra.tls_ca === 'string' && config.extra.tls_ca !== '' ? config.extra.tls_ca : undefined;
    const conn = new PgConnection(target, { max, idleMillis: config.maxIdleConnections < 0 ? 1 : IDLE_MILLIS, maxLifetimeSeconds: config.maxConnectionLifetime }, ca);
    if (options.verify) {
      try {
        await conn.ping(options.signal);
      } catch (err) {
        // Not awaited: a connection attempt still in flight (after an abort) would hold the pool open until its own
        // connect timeout; it is dropped when that attempt ends.
        void conn.close();
        const where = describeTarget(target);
        const message = errorMessage(err);
        throw new Error(scrubSecrets(message.includes(where) ? `error verifying connection: ${message}` : `error verifying connection to ${where}: ${message}`, [config.password, target.password]));
      }
    }
    const previous = this.#conn;
    this.#conn = conn;
    this.#config = { ...config, maxOpenConnections: max };
    await previous?.close();
    return this.#config;
  }

  async newUser(req: NewUserRequest, signal: AbortSignal): Promise<{ username: string }> {
    const statements = expandStatements(req.statements);
    if (statements.length === 0) throw new Error('empty creation statements');
    const password = this.#config?.passwordAuthentication === 'scram-sha-256' ? await scramSha256Verifier(req.password) : req.password;
    const values: StatementValues = { name: req.username, username: req.username, password, expiration: formatExpiration(req.expiresAt) };
    try {
      await this.#runTransaction(statements, values, signal, req.durable);
    } catch (err) {
      await this.#undoCreate(req);
      throw this.#fail('failed to execute query', err, [req.password, password]);
    }
    return { username: req.username };
  }

  /**
   * After a failed creation (the transaction rolled back, or its outcome is unknown because the connection broke):
   * the role's rollback statements, then the default revocation, which finds nothing when the rollback worked.
   * Runs on its own time bound; errors are swallowed (the engine keeps a record and retries the clean-up).
   */
  async #undoCreate(req: NewUserRequest): Promise<void> {
    const signal = AbortSignal.timeout(CLEANUP_TIMEOUT_MS);
    try {
      const rollback = expandStatements(req.rollbackStatements);
      if (rollback.length > 0) await this.#runTransaction(rollback, { name: req.username, username: req.username }, signal);
    } catch {
      /* the default revocation below still runs */
    }
    await defaultRevoke(this.#revokeContext(signal), req.username).catch(() => undefined);
  }

  async updateUser(req: UpdateUserRequest, signal: AbortSignal): Promise<void> {
    if (req.username === '') throw new Error('missing username');
    if (!req.password && !req.expiration) throw new Error('no changes requested');
    if (req.password) {
      if (req.password.newPassword === '') throw new Error('missing password');
      const plain = req.password.newPassword;
      const password = this.#config?.passwordAuthentication === 'scram-sha-256' ? await scramSha256Verifier(plain) : plain;
      const statements = expandStatements(req.password.statements.length > 0 ? req.password.statements : [DEFAULT_CHANGE_PASSWORD_STATEMENT]);
      try {
        await this.#runTransaction(statements, { name: req.username, username: req.username, password }, signal);
      } catch (err) {
        throw this.#fail('failed to change the password', err, [plain, password]);
      }
    }
    if (req.expiration) {
      const statements = expandStatements(req.expiration.statements.length > 0 ? req.expiration.statements : [DEFAULT_RENEW_STATEMENT]);
      const values = { name: req.username, username: req.username, expiration: formatExpiration(req.expiration.expiresAt) };
      try {
        await this.#runTransaction(statements, values, signal);
      } catch (err) {
        throw this.#fail('failed to change the expiration', err, []);
      }
    }
  }

  async deleteUser(req: DeleteUserRequest, signal: AbortSignal): Promise<void> {
    if (req.statements.length === 0) {
      try {
        await defaultRevoke(this.#revokeContext(signal), req.username);
      } catch (err) {
        throw this.#fail('failed to revoke the user', err, []);
      }
      return;
    }
    try {
      await this.#customRevoke(req, signal);
    } catch (customErr) {
      // The role's own statements failed (typically on dependencies Vault's statements do not clear): the default
      // revocation clears them. Only when that fails too is there an error to report.
      try {
        await defaultRevoke(this.#revokeContext(signal), req.username);
      } catch (defaultErr) {
        throw new Error(
          scrubSecrets(`the role's revocation statements failed (${errorMessage(customErr)}) and the default revocation also failed: ${errorMessage(defaultErr)}`, this.secretValues()),
        );
      }
    }
  }

  /** The role's revocation statements, with the user's sessions ended before and (if it is gone) after. */
  async #customRevoke(req: DeleteUserRequest, signal: AbortSignal): Promise<void> {
    const conn = this.#require();
    const statements = expandStatements(req.statements);
    const oid = await conn.withClient(signal, (c) => roleOid(c, req.username));
    if (oid === null) return;
    await conn.withClient(signal, (c) => terminateSessions(c, oid)).catch(() => undefined);
    await this.#runTransaction(statements, { name: req.username, username: req.username }, signal);
    await conn.withClient(signal, (c) => terminateSessions(c, oid)).catch(() => undefined);
  }

  secretValues(): string[] {
    const out: string[] = [];
    if (this.#config?.password) out.push(this.#config.password);
    const urlPassword = this.#conn?.target.password;
    if (urlPassword) out.push(urlPassword);
    return out;
  }

  async close(): Promise<void> {
    const conn = this.#conn;
    this.#conn = null;
    await conn?.close();
  }
}
