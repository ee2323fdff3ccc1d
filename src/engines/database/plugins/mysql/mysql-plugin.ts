import type {
  ConnectionConfig,
  DatabasePlugin,
  DeleteUserRequest,
  NewUserRequest,
  UpdateUserRequest,
} from '../../plugin.js';
import { internalError, invalidRequest, type WardError } from '../../../../lib/errors.js';
import { connectTimeoutMs, parseMysqlConnectionUrl, type MysqlTarget } from './dsn.js';
import { driverMessage, mysqlErrno, pluginError } from './errors.js';
import { MysqlPool, type MysqlSession } from './pool.js';
import { dropAccounts, killSessions, runRevocationStatements } from './revoke.js';
import { expandMysqlStatements } from './statements.js';
import { formatExpiration, renderMysqlStatement, type StatementVars } from './sql-render.js';
import { isMysqlPluginName, mysqlMaxUsernameLength, truncateUsername } from './usernames.js';
import { mysqlTlsOptions } from './tls.js';

/** Vault's default root-rotation and password-change statement. */
export const MYSQL_DEFAULT_ROTATION_STATEMENT = "ALTER USER '{{username}}'@'%' IDENTIFIED BY '{{password}}'";

const CONNECT_TIMEOUT_MS = 10_000;
const QUERY_TIMEOUT_MS = 30_000;
const ACQUIRE_TIMEOUT_MS = 30_000;
/** A rollback runs on its own clock: the request's signal may be what cut the creation off. */
const ROLLBACK_TIMEOUT_MS = 15_000;
/** Fresh random suffixes tried when a truncated name exists already. */
const NAME_ATTEMPTS = 3;
const ER_CANNOT_USER = 1396;

interface Live {
  pool: MysqlPool;
  target: MysqlTarget;
}

/**
 * The MySQL/MariaDB plugin (`mysql-database-plugin` and the `-aurora-`, `-rds-`, `-legacy-` variants, which differ
 * only in the longest username: 16 instead of 32). Statements are split by a real MySQL lexer and placeholders
 * are escaped for the quoting they sit in; revocation drops the account at every host and kills its sessions.
 */
export class MysqlPlugin implements DatabasePlugin {
  readonly name: string;
  #live: Live | undefined;
  #closed = false;
  readonly #secrets = new Set<string>();

  constructor(name: string) {
    if (!isMysqlPluginName(name)) throw invalidRequest(`unknown MySQL plugin: ${name}`);
    this.name = name;
  }

  async initialize(config: ConnectionConfig, options: { verify: boolean; signal: AbortSignal }): Promise<ConnectionConfig> {
    if (this.#closed) throw closedError();
    const target = parseMysqlConnectionUrl(config.connectionUrl, { username: config.username, password: config.password });
    for (const secret of [config.password, target.password]) if (secret !== '') this.#secrets.add(secret);
    const maxOpen = config.maxOpenConnections > 0 ? config.maxOpenConnections : 4;
    const maxIdle = config.maxIdleConnections > 0 ? Math.min(config.maxIdleConnections, maxOpen) : maxOpen;
    if (config.maxConnectionLifetime < 0) throw invalidRequest('max_connection_lifetime must not be negative');
    const pool = new MysqlPool({
      target,
      maxOpenConnections: maxOpen,
      maxIdleConnections: maxIdle,
      maxConnectionLifetime: config.maxConnectionLifetime,
      connectTimeoutMs: connectTimeoutMs(target, CONNECT_TIMEOUT_MS),
      queryTimeoutMs: QUERY_TIMEOUT_MS,
      acquireTimeoutMs: ACQUIRE_TIMEOUT_MS,
      ssl: mysqlTlsOptions(target, config.extra),
    });
    if (options.verify) {
      try {
        await pool.withSession(options.signal, (s) => s.query('SELECT 1'));
      } catch (err) {
        // Not awaited: ending waits for a connection attempt still in flight, which may outlive the signal.
        void pool.end().catch(() => undefined);
        throw pluginError('invalid_request', `error verifying connection to ${target.label}: ${driverMessage(err)}`, this.secretValues());
      }
    }
    const previous = this.#live;
    this.#live = { pool, target };
    await previous?.pool.end().catch(() => undefined);
    return config;
  }

  async newUser(req: NewUserRequest, signal: AbortSignal): Promise<{ username: string }> {
    const live = this.#ready();
    const statements = expandMysqlStatements(req.statements);
    if (statements.length === 0) throw invalidRequest('empty creation statements');
    const rollback = expandMysqlStatements(req.rollbackStatements);
    if (req.username === '') throw invalidRequest('username cannot be empty');
    const max = mysqlMaxUsernameLength(this.name);
    const truncated = [...req.username].length > max;
    const secrets = [...this.secretValues(), req.password];
    for (let attempt = 1; ; attempt += 1) {
      const username = truncated ? truncateUsername(req.username, max) : req.username;
      const vars: StatementVars = { name: username, username, password: req.password, expiration: formatExpiration(req.expiresAt) };
      let sent = 0;
      try {
        await req.durable; // MySQL commits each account statement by itself: nothing may be sent before this
        await live.pool.withSession(signal, async (session) => {
          for (const statement of statements) {
            sent += 1;
            await session.query(renderMysqlStatement(statement, vars));
          }
        });
        return { username };
      } catch (err) {
        // Nothing sent, or the first statement refused by the server, changed nothing (and a name that exists
        // already is someone else's account: never drop it). Anything else may have created the user.
        const nothingDone = sent === 0 || (sent === 1 && mysqlErrno(err) !== undefined && !signal.aborted);
        if (nothingDone && mysqlErrno(err) === ER_CANNOT_USER && truncated && attempt < NAME_ATTEMPTS) continue;
        const rollbackNote = nothingDone ? '' : await this.#rollback(live, username, rollback);
        throw pluginError('upstream', `creating user "${username}" on ${live.target.label}: ${driverMessage(err)}${rollbackNote}`, secrets);
      }
    }
  }

  async updateUser(req: UpdateUserRequest, signal: AbortSignal): Promise<void> {
    const live = this.#ready();
    if (req.password === undefined && req.expiration === undefined) throw invalidRequest('no change requested');
    if (req.username === '') throw invalidRequest('username cannot be empty');
    const secrets = [...this.secretValues()];
    const runs: { statements: string[]; vars: StatementVars }[] = [];
    if (req.password !== undefined) {
      if (req.password.newPassword === '') throw invalidRequest('new password cannot be empty');
      secrets.push(req.password.newPassword);
      const given = expandMysqlStatements(req.password.statements);
      runs.push({
        statements: given.length > 0 ? given : [MYSQL_DEFAULT_ROTATION_STATEMENT],
        vars: { name: req.username, username: req.username, password: req.password.newPassword },
      });
    }
    if (req.expiration !== undefined) {
      // MySQL has no expiring logins: renewal runs the role's renew statements, and by default nothing.
      const vars = { name: req.username, username: req.username, expiration: formatExpiration(req.expiration.expiresAt) };
      runs.push({ statements: expandMysqlStatements(req.expiration.statements), vars });
    }
    try {
      await live.pool.withSession(signal, async (session) => {
        for (const run of runs) for (const statement of run.statements) await session.query(renderMysqlStatement(statement, run.vars));
      });
    } catch (err) {
      throw pluginError('upstream', `updating user "${req.username}" on ${live.target.label}: ${driverMessage(err)}`, secrets);
    }
    if (req.password !== undefined && req.username === live.target.user) this.#secrets.add(req.password.newPassword);
  }

  async deleteUser(req: DeleteUserRequest, signal: AbortSignal): Promise<void> {
    const live = this.#ready();
    if (req.username === '') throw invalidRequest('username cannot be empty');
    const statements = expandMysqlStatements(req.statements);
    try {
      await live.pool.withSession(signal, async (session) => {
        await this.#revoke(session, req.username, statements);
        await killSessions(session, req.username);
      });
    } catch (err) {
      throw pluginError('upstream', `revoking user "${req.username}" on ${live.target.label}: ${driverMessage(err)}`, this.secretValues());
    }
  }

  secretValues(): string[] {
    return [...this.#secrets];
  }

  async close(): Promise<void> {
    this.#closed = true;
    const live = this.#live;
    this.#live = undefined;
    await live?.pool.end();
  }

  /** A role's statements first; if they fail for a reason other than "already gone", the thorough default. */
  async #revoke(session: MysqlSession, username: string, statements: string[]): Promise<void> {
    if (statements.length === 0) return dropAccounts(session, username);
    try {
      await runRevocationStatements(session, statements, username);
    } catch (roleError) {
      try {
        await dropAccounts(session, username);
      } catch (defaultError) {
        throw new Error(
          `the role's revocation statements failed (${driverMessage(roleError)}) and so did the default revocation (${driverMessage(defaultError)})`,
        );
      }
    }
  }

  /** Undoes a half-made user: the role's rollback statements, then the default drop. Returns a note for the error. */
  async #rollback(live: Live, username: string, statements: string[]): Promise<string> {
    let roleNote = '';
    try {
      await live.pool.withSession(AbortSignal.timeout(ROLLBACK_TIMEOUT_MS), async (session) => {
        try {
          await runRevocationStatements(session, statements, username);
        } catch (err) {
          roleNote = ` (its rollback statements failed: ${driverMessage(err)}; the default drop did it)`;
        }
        await dropAccounts(session, username);
        await killSessions(session, username);
      });
      return `; the user was rolled back${roleNote}`;
    } catch (err) {
      return `; rollback failed: ${driverMessage(err)}`;
    }
  }

  #ready(): Live {
    if (this.#closed) throw closedError();
    if (this.#live === undefined) throw internalError(`${this.name} is not initialized`);
    return this.#live;
  }
}

function closedError(): WardError {
  return internalError('the MySQL plugin is closed');
}
