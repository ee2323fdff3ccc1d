import { invalidRequest } from '../../../../lib/errors.js';
import { parseDurationSeconds } from '../../../../lib/duration.js';

/** Where and as whom the plugin connects, from `connection_url` with `{{username}}`/`{{password}}` filled in. */
export interface MysqlTarget {
  /** TCP host, or undefined for a Unix socket. */
  host?: string;
  port?: number;
  socketPath?: string;
  user: string;
  password: string;
  database: string;
  /** DSN parameters (`tls`, `timeout`, …), values as written. */
  params: Record<string, string>;
  /** `host:port` or `unix(/path)`: what errors name. Never holds a credential. */
  label: string;
}

const DEFAULT_PORT = 3306;
const GO_NET_ADDR = /^(\w+)(?:\((.*)\))?$/s;

/**
 * Parses `connection_url` in either form Vault users write: the Go driver's DSN
 * (`{{username}}:{{password}}@tcp(127.0.0.1:3306)/db?tls=skip-verify`) or a URL (`mysql://…@host:3306/db`).
 * The template is parsed first and the credentials substituted into the parsed parts, so no character of a
 * password can change how the DSN reads (and no escaping is needed). A DSN without a user takes
 * `credentials.username`; one without a password takes `credentials.password`.
 */
export function parseMysqlConnectionUrl(template: string, credentials: { username: string; password: string }): MysqlTarget {
  const raw = template.trim();
  if (raw === '') throw invalidRequest('connection_url cannot be empty');
  const parts = /^mysql:\/\//i.test(raw) ? parseUrlForm(raw) : parseGoDsn(raw);
  const values: Record<string, string> = { username: credentials.username, name: credentials.username, password: credentials.password };
  // One pass with a replacer: no value is read as a placeholder or as a `$&` replacement pattern.
  const fill = (value: string): string => value.replace(/\{\{(username|name|password)\}\}/g, (_, key: string) => values[key] ?? '');
  const user = parts.user === undefined || parts.user === '' ? credentials.username : fill(parts.user);
  const password = parts.password === undefined ? credentials.password : fill(parts.password);
  const label = parts.socketPath !== undefined ? `unix(${parts.socketPath})` : `${formatHost(parts.host ?? '127.0.0.1')}:${parts.port ?? DEFAULT_PORT}`;
  const target: MysqlTarget = { user, password, database: parts.database, params: parts.params, label };
  if (parts.socketPath !== undefined) target.socketPath = parts.socketPath;
  else {
    target.host = parts.host ?? '127.0.0.1';
    target.port = parts.port ?? DEFAULT_PORT;
  }
  return target;
}

/** Connect timeout from the DSN's `timeout` parameter (Go duration, e.g. `5s`), else `fallbackMs`. */
export function connectTimeoutMs(target: MysqlTarget, fallbackMs: number): number {
  const raw = target.params.timeout;
  if (raw === undefined || raw === '') return fallbackMs;
  return Math.max(1, parseDurationSeconds(raw, 'connection_url timeout')) * 1000;
}

interface DsnParts {
  user?: string;
  password?: string;
  host?: string;
  port?: number;
  socketPath?: string;
  database: string;
  params: Record<string, string>;
}

/** `[user[:password]@][net[(addr)]]/dbname[?param=value&…]`, read as go-sql-driver reads it. */
function parseGoDsn(dsn: string): DsnParts {
  const slash = dsn.lastIndexOf('/');
  if (slash < 0) throw notADsn();
  const head = dsn.slice(0, slash);
  const [database = '', query = ''] = splitOnce(dsn.slice(slash + 1), '?');
  const at = head.lastIndexOf('@');
  const userinfo = at >= 0 ? head.slice(0, at) : undefined;
  const netaddr = at >= 0 ? head.slice(at + 1) : head;
  const parts: DsnParts = { database, params: parseParams(query) };
  if (userinfo !== undefined) {
    const colon = userinfo.indexOf(':');
    parts.user = colon >= 0 ? userinfo.slice(0, colon) : userinfo;
    if (colon >= 0) parts.password = userinfo.slice(colon + 1);
  }
  if (netaddr === '') return parts;
  const m = GO_NET_ADDR.exec(netaddr);
  if (!m) throw notADsn();
  const net = (m[1] as string).toLowerCase();
  const addr = m[2] ?? '';
  if (net === 'unix') {
    parts.socketPath = addr === '' ? '/tmp/mysql.sock' : addr;
  } else if (net === 'tcp' || net === 'tcp4' || net === 'tcp6') {
    Object.assign(parts, parseHostPort(addr));
  } else {
    throw invalidRequest(`connection_url: unsupported network "${net}" (use tcp or unix)`);
  }
  return parts;
}

function parseUrlForm(raw: string): DsnParts {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw notADsn();
  }
  const parts: DsnParts = {
    database: decodeURIComponent(url.pathname.replace(/^\//, '')),
    params: Object.fromEntries(url.searchParams),
    ...parseHostPort(url.host),
  };
  if (url.username !== '') parts.user = decodeURIComponent(url.username);
  if (url.password !== '') parts.password = decodeURIComponent(url.password);
  return parts;
}

function parseHostPort(addr: string): { host?: string; port?: number } {
  if (addr === '') return {};
  const m = /^(?:\[([^\]]+)\]|([^:]*))(?::(\d+))?$/.exec(addr);
  if (!m) throw invalidRequest(`connection_url: cannot read host and port from "${addr}"`);
  const host = m[1] ?? m[2] ?? '';
  const out: { host?: string; port?: number } = {};
  if (host !== '') out.host = host;
  if (m[3] !== undefined) {
    const port = Number(m[3]);
    if (port < 1 || port > 65535) throw invalidRequest(`connection_url: port ${m[3]} is out of range`);
    out.port = port;
  }
  return out;
}

function parseParams(query: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const [key = '', value = ''] = splitOnce(pair, '=');
    params[decodeURIComponent(key)] = decodeURIComponent(value);
  }
  return params;
}

function splitOnce(text: string, sep: string): [string, string?] {
  const i = text.indexOf(sep);
  return i < 0 ? [text] : [text.slice(0, i), text.slice(i + 1)];
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

function notADsn(): Error {
  return invalidRequest(
    'connection_url is not a MySQL DSN: expected "{{username}}:{{password}}@tcp(host:port)/dbname" or "mysql://{{username}}:{{password}}@host:port/dbname"',
  );
}
