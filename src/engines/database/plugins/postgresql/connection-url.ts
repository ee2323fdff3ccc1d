/**
 * Turns a Vault-style PostgreSQL `connection_url` into connection parameters. Both forms libpq accepts are read:
 * a URL (`postgresql://{{username}}:{{password}}@db:5432/app?sslmode=disable`) and keyword/value pairs
 * (`host=db port=5432 user={{username}} password={{password}} dbname=app`).
 *
 * The template variables are substituted *after* parsing, into the parsed user and password, so a password holding
 * `@`, `:` or `/` can never change where Ward connects and needs no escaping (`disable_escaping` is accepted and
 * changes nothing). When the URL names no user or password, the config's `username` / `password` are used.
 */

export interface PgTarget {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  /** libpq `sslmode`; "" when not given. */
  sslmode: string;
  /** Other parameters (`application_name`, `connect_timeout`, `options`, `sslrootcert`, …). */
  params: Record<string, string>;
  /** Whether the URL itself holds a literal password (not the `{{password}}` template): root rotation needs it not to. */
  literalPassword: boolean;
}

/** Where a target is, for messages: `host:port/database` — never credentials. */
export function describeTarget(t: Pick<PgTarget, 'host' | 'port' | 'database'>): string {
  const host = t.host.includes(':') && !t.host.startsWith('/') ? `[${t.host}]` : t.host;
  return `${host}:${t.port}/${t.database}`;
}

const TEMPLATE_USER = /\{\{(username|name)\}\}/g;
const TEMPLATE_PASSWORD = /\{\{password\}\}/g;

function substitute(value: string, username: string, password: string): string {
  return value.replace(TEMPLATE_USER, () => username).replace(TEMPLATE_PASSWORD, () => password);
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

interface RawParts {
  host: string;
  port: string;
  database: string;
  user: string;
  password: string;
  params: Record<string, string>;
}

function parseUrlForm(url: string): RawParts {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error('connection_url is not a valid URL or keyword/value string');
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    throw new Error(`connection_url has scheme "${u.protocol.replace(/:$/, '')}"; expected postgres:// or postgresql://`);
  }
  const params: Record<string, string> = {};
  for (const [k, v] of u.searchParams) params[k] = v;
  const host = safeDecode(u.hostname).replace(/^\[(.*)\]$/, '$1');
  return {
    host: params.host ?? host,
    port: params.port ?? u.port,
    database: params.dbname ?? safeDecode(u.pathname.replace(/^\//, '')),
    user: params.user ?? safeDecode(u.username),
    password: params.password ?? safeDecode(u.password),
    params,
  };
}

/** libpq keyword/value syntax: `key=value`, values optionally single-quoted with `\'` and `\\` escapes. */
function parseKeywordForm(text: string): RawParts {
  const params: Record<string, string> = {};
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && /\s/.test(text[i] as string)) i++;
    if (i >= n) break;
    const keyStart = i;
    while (i < n && /[A-Za-z0-9_]/.test(text[i] as string)) i++;
    const key = text.slice(keyStart, i);
    while (i < n && /\s/.test(text[i] as string)) i++;
    if (key === '' || text[i] !== '=') throw new Error('connection_url is not a valid URL or keyword/value string');
    i++;
    while (i < n && /\s/.test(text[i] as string)) i++;
    let value = '';
    if (text[i] === "'") {
      i++;
      while (i < n && text[i] !== "'") {
        if (text[i] === '\\' && i + 1 < n) i++;
        value += text[i];
        i++;
      }
      if (text[i] !== "'") throw new Error('connection_url has an unterminated quoted value');
      i++;
    } else {
      while (i < n && !/\s/.test(text[i] as string)) {
        if (text[i] === '\\' && i + 1 < n) i++;
        value += text[i];
        i++;
      }
    }
    params[key] = value;
  }
  const { host = '', port = '', dbname = '', user = '', password = '', ...rest } = params;
  return { host, port, database: dbname, user, password, params: rest };
}

/**
 * Parses `connectionUrl` and fills in the credentials. Throws an Error naming what is wrong (never a value of the
 * URL, which may hold a password).
 */
export function parseConnectionUrl(connectionUrl: string, username: string, password: string): PgTarget {
  const text = connectionUrl.trim();
  if (text === '') throw new Error('connection_url is required');
  const raw = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? parseUrlForm(text) : parseKeywordForm(text);
  const params = { ...raw.params };
  for (const k of ['host', 'port', 'dbname', 'user', 'password']) delete params[k];
  const sslmode = params.sslmode ?? '';
  delete params.sslmode;
  const port = raw.port === '' ? 5432 : Number(raw.port);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error('connection_url has an invalid port');
  const literalPassword = raw.password !== '' && !raw.password.includes('{{password}}');
  const user = raw.user === '' ? username : substitute(raw.user, username, password);
  return {
    host: raw.host === '' ? 'localhost' : raw.host,
    port,
    database: raw.database === '' ? user : raw.database,
    user,
    password: raw.password === '' ? password : substitute(raw.password, username, password),
    sslmode,
    params,
    literalPassword,
  };
}
