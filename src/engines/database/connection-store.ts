import { getJSON, invalidRequest, parseDurationSeconds, putJSON, type Storage } from '../../framework/index.js';
import type { ConnectionConfig } from './plugin.js';

/**
 * Connections (`config/:name`) as stored, through the barrier (so the root password is encrypted at rest).
 *
 * Every connection has an `id`, new whenever its target changes (a new plugin or `connection_url`). Leases record it,
 * and when a connection is deleted or re-pointed its old settings are kept under `retired/<id>`: a credential can
 * always be revoked on the database that issued it, even after the connection was deleted (Vault then fails with
 * `failed to find entry for connection with name`).
 */
export interface StoredConnection {
  id: string;
  pluginName: string;
  pluginVersion: string;
  verifyConnection: boolean;
  allowedRoles: string[];
  rootRotationStatements: string[];
  passwordPolicy: string;
  /** Vault's `connection_details`: the plugin-level fields as written (password included; never returned). */
  details: Record<string, unknown>;
  /** The settings the plugin accepted (from `initialize`). */
  config: ConnectionConfig;
}

/** Fields of `config/:name` that belong to the engine, not to `connection_details`. */
export const ENGINE_FIELDS = ['name', 'plugin_name', 'plugin_version', 'verify_connection', 'allowed_roles', 'root_rotation_statements', 'password_policy'];

/** Detail fields the engine reads itself; everything else reaches the plugin in `extra`. */
const KNOWN_DETAILS = new Set([
  'connection_url',
  'username',
  'password',
  'max_open_connections',
  'max_idle_connections',
  'max_connection_lifetime',
  'disable_escaping',
  'password_authentication',
  'username_template',
]);

/** Detail fields never shown by a read. */
export const SECRET_DETAILS = ['password', 'private_key', 'service_account_json'];

const configKey = (name: string): string => `config/${name}`;
const retiredKey = (id: string): string => `retired/${id}`;

export async function readConnection(storage: Storage, name: string): Promise<StoredConnection | null> {
  return getJSON<StoredConnection>(storage, configKey(name));
}

export async function writeConnection(storage: Storage, name: string, conn: StoredConnection): Promise<void> {
  await putJSON(storage, configKey(name), conn);
}

/** Keeps `conn`'s settings for the leases it issued, then removes the connection. */
export async function retireConnection(storage: Storage, name: string, conn: StoredConnection, deleteCurrent: boolean): Promise<void> {
  const ops: Array<{ op: 'put'; key: string; value: Buffer } | { op: 'delete'; key: string }> = [
    { op: 'put', key: retiredKey(conn.id), value: Buffer.from(JSON.stringify({ ...conn, retiredName: name }), 'utf8') },
  ];
  if (deleteCurrent) ops.push({ op: 'delete', key: configKey(name) });
  await storage.batch(ops);
}

export async function readRetired(storage: Storage, id: string): Promise<StoredConnection | null> {
  return getJSON<StoredConnection>(storage, retiredKey(id));
}

export async function listConnections(storage: Storage): Promise<string[]> {
  return storage.list('config/');
}

function str(details: Record<string, unknown>, key: string): string {
  const v = details[key];
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw invalidRequest(`error converting input for field "${key}": expected a string`);
}

function int(details: Record<string, unknown>, key: string, dflt: number): number {
  const v = details[key];
  if (v === undefined || v === null || v === '') return dflt;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^[-+]?\d+$/.test(v.trim())) return Number.parseInt(v, 10);
  throw invalidRequest(`error converting input for field "${key}": expected an integer`);
}

function bool(details: Record<string, unknown>, key: string): boolean {
  const v = details[key];
  if (v === undefined || v === null || v === '') return false;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === '1' || v === 1) return true;
  if (v === 'false' || v === '0' || v === 0) return false;
  throw invalidRequest(`error converting input for field "${key}": expected a boolean`);
}

/** The plugin's view of `connection_details`, typed and with Vault's defaults. Throws invalid_request. */
export function toPluginConfig(details: Record<string, unknown>): ConnectionConfig {
  const auth = str(details, 'password_authentication') || 'password';
  if (auth !== 'password' && auth !== 'scram-sha-256') throw invalidRequest(`'${auth}' is not a valid password authentication type`);
  const lifetime = details.max_connection_lifetime;
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(details)) if (!KNOWN_DETAILS.has(k)) extra[k] = v;
  return {
    connectionUrl: str(details, 'connection_url'),
    username: str(details, 'username'),
    password: str(details, 'password'),
    maxOpenConnections: int(details, 'max_open_connections', 4),
    maxIdleConnections: int(details, 'max_idle_connections', 0),
    maxConnectionLifetime: lifetime === undefined || lifetime === null || lifetime === '' ? 0 : parseDurationSeconds(lifetime, 'max_connection_lifetime'),
    disableEscaping: bool(details, 'disable_escaping'),
    passwordAuthentication: auth,
    extra,
  };
}

/** The `username_template` of a connection ("" = the plugin's default). */
export function usernameTemplateOf(conn: StoredConnection): string {
  const t = conn.details.username_template;
  return typeof t === 'string' ? t : '';
}

/**
 * `connection_url` as a read shows it: a literal password replaced by `xxxxx` (Go's url.Redacted), templates such as
 * `{{password}}` left as written.
 */
export function redactConnectionUrl(url: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/]*:)([^@/]*)@/i, (whole, head: string, pw: string) => (pw === '{{password}}' ? whole : `${head}xxxxx@`));
  }
  return url.replace(/(^|\s)password\s*=\s*('(?:[^'\\]|\\.)*'|\S+)/, (whole, lead: string, pw: string) => (pw.includes('{{password}}') ? whole : `${lead}password=xxxxx`));
}

/** Whether `connection_url` holds a literal password (Vault warns: root rotation cannot update it). */
export function hasLiteralPassword(url: string): boolean {
  return redactConnectionUrl(url) !== url;
}
