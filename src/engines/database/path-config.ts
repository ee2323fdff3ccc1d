import { randomUUID } from 'node:crypto';
import { definePath, field, pattern, WardError, type EngineRequest, type EngineResponse, type FieldValues, type PathSpec } from '../../framework/index.js';
import { callSignal, type DatabaseBackend } from './backend.js';
import { PluginHandle } from './connection-manager.js';
import {
  ENGINE_FIELDS,
  SECRET_DETAILS,
  hasLiteralPassword,
  listConnections,
  readConnection,
  redactConnectionUrl,
  retireConnection,
  toPluginConfig,
  usernameTemplateOf,
  writeConnection,
  type StoredConnection,
} from './connection-store.js';
import { scrubbedMessage } from './plugin-errors.js';
import { compileUsernameTemplate } from './username-template.js';

const HELP = `
This path configures the connection details used to connect to a particular database. It names the plugin
(\`plugin_name\`) and passes the connection details to it. Besides the plugin's own fields it accepts
\`verify_connection\` (default true: connect on write, a failure is a 400), \`allowed_roles\` (names or globs of the
roles that may use this connection; \`*\` = all; empty = none), \`root_rotation_statements\`, \`password_policy\` and
\`username_template\`. A read never shows the password.
`;

const configFields = {
  name: field.string({ required: true, description: 'Name of this database connection.' }),
  plugin_name: field.string({ description: 'The plugin: postgresql-database-plugin, mysql-database-plugin, mysql-aurora-database-plugin, mysql-rds-database-plugin, mysql-legacy-database-plugin, redis-database-plugin.' }),
  plugin_version: field.string({ description: 'The version of the plugin to use (built-in plugins have none).' }),
  verify_connection: field.bool({ description: 'If true (the default), the connection details are verified by actually connecting to the database.' }),
  allowed_roles: field.commaStringList({ description: 'Comma separated string or array of the role names (or globs) allowed to get creds from this connection. "*" allows all; empty allows none.' }),
  root_rotation_statements: field.stringList({ description: "Statements run to rotate the root user's password (default: the plugin's)." }),
  password_policy: field.string({ description: 'Password policy used to generate passwords (default: 20 characters of [A-Za-z0-9-]).' }),
  connection_url: field.string({ description: 'Connection string; {{username}} and {{password}} are replaced by the root credential.' }),
  username: field.string({ description: 'Root username; substituted for {{username}} in connection_url.' }),
  password: field.string({ sensitive: true, description: 'Root password; substituted for {{password}} in connection_url. Never returned.' }),
  max_open_connections: field.int({ description: 'Maximum open connections to the database (default 4).' }),
  max_idle_connections: field.int({ description: 'Maximum idle connections (default 0 = same as open; negative closes idle connections at once).' }),
  max_connection_lifetime: field.duration({ description: 'Maximum time a connection may be reused (default 0s = forever).' }),
  disable_escaping: field.bool({ description: 'Turns off escaping of special characters in the username and password substituted into connection_url.' }),
  password_authentication: field.string({ description: 'PostgreSQL: "password" (default) sends the password to the database; "scram-sha-256" sends only its SCRAM verifier.' }),
  username_template: field.string({ description: "Template of generated usernames (Go text/template with Vault's functions); default: the plugin's." }),
};

type ConfigFields = FieldValues<typeof configFields>;

/** The request's connection-detail fields (everything not the engine's own), without nulls. */
function rawDetails(req: EngineRequest): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(req.data)) if (!ENGINE_FIELDS.includes(k) && v !== null && v !== undefined) out[k] = v;
  return out;
}

function readResponse(conn: StoredConnection): EngineResponse {
  const details: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(conn.details)) if (!SECRET_DETAILS.includes(k)) details[k] = v;
  if (typeof details.connection_url === 'string') details.connection_url = redactConnectionUrl(details.connection_url);
  return {
    data: {
      allowed_roles: conn.allowedRoles,
      connection_details: details,
      password_policy: conn.passwordPolicy,
      plugin_name: conn.pluginName,
      plugin_version: conn.pluginVersion,
      root_credentials_rotate_statements: conn.rootRotationStatements,
      verify_connection: conn.verifyConnection,
    },
  };
}

/** Writes a connection: builds and initialises its plugin (connecting unless verify_connection is false) first. */
async function writeConfig(b: DatabaseBackend, req: EngineRequest, name: string, f: ConfigFields): Promise<EngineResponse | null> {
  const existing = await readConnection(b.storage, name);
  const create = existing === null;
  const next: StoredConnection = existing
    ? structuredClone(existing)
    : { id: randomUUID(), pluginName: '', pluginVersion: '', verifyConnection: true, allowedRoles: [], rootRotationStatements: [], passwordPolicy: '', details: {}, config: toPluginConfig({}) };
  if (f.verify_connection !== undefined) next.verifyConnection = f.verify_connection;
  if (f.plugin_name !== undefined) next.pluginName = f.plugin_name;
  if (next.pluginName === '') throw new WardError('invalid_request', 'empty plugin name');
  if (f.plugin_version !== undefined) next.pluginVersion = f.plugin_version;
  if (f.allowed_roles !== undefined) next.allowedRoles = f.allowed_roles;
  if (f.root_rotation_statements !== undefined) next.rootRotationStatements = f.root_rotation_statements.filter((s) => s.trim() !== '');
  if (f.password_policy !== undefined) next.passwordPolicy = f.password_policy;
  next.details = create ? rawDetails(req) : { ...next.details, ...rawDetails(req) };
  const config = toPluginConfig(next.details);

  const template = usernameTemplateOf(next);
  if (template !== '') {
    try {
      compileUsernameTemplate(template);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      throw new WardError('invalid_request', `error creating database object: ${/^invalid username template/.test(message) ? message : `invalid username template: ${message}`}`);
    }
  }

  const factory = b.connections.factoryFor(next.pluginName);
  const plugin = factory.create(next.pluginName);
  try {
    next.config = await plugin.initialize(config, { verify: next.verifyConnection, signal: callSignal() });
  } catch (err) {
    await plugin.close().catch(() => undefined);
    throw new WardError('invalid_request', `error creating database object: ${scrubbedMessage(err, [config.password])}`);
  }
  // A new target (plugin or URL) is a new connection: leases issued on the old one keep its settings.
  const retarget = existing !== null && (existing.pluginName !== next.pluginName || existing.config.connectionUrl !== next.config.connectionUrl);
  if (retarget && existing) {
    await retireConnection(b.storage, name, existing, false);
    next.id = randomUUID();
  }
  try {
    await writeConnection(b.storage, name, next);
  } catch (err) {
    await plugin.close().catch(() => undefined);
    throw err;
  }
  await b.connections.put(name, new PluginHandle(plugin, next));
  b.logger.debug({ connection: name, plugin_name: next.pluginName }, 'database connection configured');

  const warnings: string[] = [];
  if (hasLiteralPassword(next.config.connectionUrl)) {
    warnings.push('Password found in connection_url, use a templated url to enable root rotation and prevent read access to password information.');
  }
  return warnings.length > 0 ? { warnings } : null;
}

/** `config/:name` and `LIST config`. */
export function configPaths(b: DatabaseBackend): PathSpec[] {
  return [
    definePath({
      pattern: 'config/?',
      fields: {},
      synopsis: 'Lists the configured database connections.',
      operations: {
        list: async () => {
          const keys = await listConnections(b.storage);
          return keys.length === 0 ? null : { data: { keys } };
        },
      },
    }),
    definePath({
      pattern: `config/${pattern.name('name')}`,
      fields: configFields,
      existenceCheck: async (_req, f) => (await readConnection(b.storage, f.name)) !== null,
      synopsis: 'Configures connection details to a database plugin.',
      help: HELP,
      operations: {
        read: async (_req, f) => {
          const conn = await readConnection(b.storage, f.name);
          return conn ? readResponse(conn) : null;
        },
        create: (req, f) => b.connectionLocks.run(f.name, () => writeConfig(b, req, f.name, f)),
        update: (req, f) => b.connectionLocks.run(f.name, () => writeConfig(b, req, f.name, f)),
        delete: (_req, f) =>
          b.connectionLocks.run(f.name, async () => {
            const conn = await readConnection(b.storage, f.name);
            if (conn) await retireConnection(b.storage, f.name, conn, true);
            await b.connections.drop(f.name);
            return null;
          }),
      },
    }),
  ];
}
