/**
 * The database plugin contract (Vault's database v5 semantics, DESIGN.md "Database plugin"). One plugin instance
 * serves one configured connection (`database/config/:name`) and keeps one pool of connections to its target; the
 * engine rebuilds it on `reset/:name` and on config changes. Every call takes an AbortSignal and must finish or fail
 * within a bounded time.
 */
export interface DatabasePlugin {
  /** Plugin name as configured (`postgresql-database-plugin`, `mysql-database-plugin`, …). */
  readonly name: string;
  /**
   * Validates the connection config, connects when `verify` is true, and returns the config to persist (with any
   * normalisation). Errors name host and port but never the password.
   */
  initialize(config: ConnectionConfig, options: { verify: boolean; signal: AbortSignal }): Promise<ConnectionConfig>;
  /**
   * Creates a user that never existed before and returns its name. On failure it runs `rollbackStatements` itself
   * (or drops the half-made user) before throwing, so nothing is left behind.
   */
  newUser(req: NewUserRequest, signal: AbortSignal): Promise<{ username: string }>;
  /** Changes a user's password and/or expiration (renewal, static-role rotation, root rotation). */
  updateUser(req: UpdateUserRequest, signal: AbortSignal): Promise<void>;
  /**
   * Removes a user and everything that would keep it alive (sessions, grants, owned objects, as the plugin can).
   * Idempotent: a user that is already gone is success.
   */
  deleteUser(req: DeleteUserRequest, signal: AbortSignal): Promise<void>;
  /** Values that must never appear in errors or logs (the root password); the core scrubs them. */
  secretValues(): string[];
  /** Closes the pool. */
  close(): Promise<void>;
}

export interface ConnectionConfig {
  connectionUrl: string;
  username: string;
  password: string;
  maxOpenConnections: number;
  maxIdleConnections: number;
  /** Seconds; 0 = unlimited. */
  maxConnectionLifetime: number;
  disableEscaping: boolean;
  /** PostgreSQL: `password` (plaintext sent) or `scram-sha-256` (hashed before it is sent). */
  passwordAuthentication: 'password' | 'scram-sha-256';
  /** Plugin-specific extra fields (`tls_ca`, `username_template` is handled by the engine). */
  extra: Record<string, unknown>;
}

export interface NewUserRequest {
  usernameMeta: { displayName: string; roleName: string };
  /** The generated username (the engine renders the username template). */
  username: string;
  statements: string[];
  rollbackStatements: string[];
  password: string;
  /** When the credential expires (for `{{expiration}}` / VALID UNTIL). */
  expiresAt: Date;
  /**
   * Resolves once Ward has durably recorded the lease that will revoke this user (so from then on a crash or a failure
   * cannot leave the user behind unrevoked); rejects if that failed. Nothing the plugin does may become visible in the database before it resolves. A
   * plugin whose creation is one transaction runs its statements and waits for it just before COMMIT, so the two
   * writes overlap; others wait for it before their first statement. Absent: already durable.
   */
  durable?: Promise<void>;
}

export interface UpdateUserRequest {
  username: string;
  password?: { newPassword: string; statements: string[] };
  expiration?: { expiresAt: Date; statements: string[] };
}

export interface DeleteUserRequest {
  username: string;
  /** The role's revocation statements at issue time; empty = the plugin's default, thorough revocation. */
  statements: string[];
}

/** Registry entry: builds a plugin for one connection. */
export interface DatabasePluginFactory {
  names: string[];
  /** Default username template (Go text/template syntax, §7.4) and the maximum length. */
  defaultUsernameTemplate(pluginName: string): string;
  create(pluginName: string): DatabasePlugin;
  /**
   * Optional: splits a role's statements (as stored: each entry may hold several statements, a JSON array or base64)
   * into the single statements the plugin will run, and throws an Error whose message names the problem when they do
   * not parse (an unterminated quote, dollar-quote or comment). The engine calls it when a role is written, so a role
   * whose statements cannot run is refused then rather than at the first `creds` request. Absent: not checked.
   */
  parseStatements?(pluginName: string, statements: string[]): string[];
}
