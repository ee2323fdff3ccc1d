import { invalidRequest } from '../../../../lib/errors.js';
import { parseGoBool } from '../../../../lib/parse-bool.js';
import type { ConnectionConfig } from '../../plugin.js';

/** Where and as whom the Redis plugin connects. */
export interface RedisTarget {
  host: string;
  port: number;
  username: string;
  password: string;
  /** TLS options, when `tls` is set or the URL is `rediss://`. */
  tls?: { ca?: string; rejectUnauthorized: boolean };
  /** After each ACL change: `ACL SAVE` (ACLFILE), `CONFIG REWRITE` (REWRITE), or nothing. */
  persistence: '' | 'ACLFILE' | 'REWRITE';
  /** `host:port`, for errors. */
  label: string;
}

/**
 * Reads the Redis plugin's configuration: Vault's fields `host`, `port`, `tls`, `insecure_tls`, `ca_cert` (PEM, or
 * base64 of PEM as older versions took it) and `persistence_mode` from `extra`; without `host`, a `redis://` or
 * `rediss://` connection_url gives host, port and TLS (its user part is ignored). The credentials are always
 * `username` and `password`, both required, as in Vault.
 */
export function parseRedisTarget(config: ConnectionConfig): RedisTarget {
  const { extra } = config;
  if (config.username === '') throw invalidRequest('username cannot be empty');
  if (config.password === '') throw invalidRequest('password cannot be empty');
  let host = optionalString(extra, 'host');
  let port = extra.port === undefined || extra.port === '' ? undefined : Number(extra.port);
  let tlsFromUrl = false;
  if (host === undefined && config.connectionUrl.trim() !== '') {
    const url = parseUrl(config.connectionUrl.trim());
    host = url.hostname.replace(/^\[|\]$/g, '');
    port = url.port === '' ? 6379 : Number(url.port);
    tlsFromUrl = url.protocol === 'rediss:';
  }
  if (host === undefined || host === '') throw invalidRequest('host cannot be empty');
  if (port === undefined || !Number.isInteger(port) || port < 1 || port > 65535) throw invalidRequest('port must be a number from 1 to 65535');
  const target: RedisTarget = {
    host,
    port,
    username: config.username,
    password: config.password,
    persistence: persistenceMode(extra),
    label: `${host.includes(':') ? `[${host}]` : host}:${port}`,
  };
  if (tlsFromUrl || bool(extra, 'tls')) {
    const ca = caCert(extra);
    target.tls = { rejectUnauthorized: !bool(extra, 'insecure_tls') };
    if (ca !== undefined) target.tls.ca = ca;
  }
  return target;
}

function parseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalidRequest('connection_url must be redis://host:port or rediss://host:port (or set host and port)');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw invalidRequest('connection_url must use redis:// or rediss://');
  return url;
}

function persistenceMode(extra: Record<string, unknown>): RedisTarget['persistence'] {
  const mode = (optionalString(extra, 'persistence_mode') ?? '').toUpperCase();
  if (mode !== '' && mode !== 'REWRITE' && mode !== 'ACLFILE') {
    throw invalidRequest(`persistence_mode can only be 'REWRITE' or 'ACLFILE', not ${mode}`);
  }
  return mode;
}

function caCert(extra: Record<string, unknown>): string | undefined {
  const raw = optionalString(extra, 'ca_cert') ?? optionalString(extra, 'cacrt');
  if (raw === undefined || raw === '') return undefined;
  if (raw.includes('-----BEGIN')) return raw;
  const decoded = Buffer.from(raw, 'base64').toString('utf8');
  if (!decoded.includes('-----BEGIN')) throw invalidRequest('ca_cert must be a PEM certificate (or base64 of one)');
  return decoded;
}

function optionalString(extra: Record<string, unknown>, field: string): string | undefined {
  const value = extra[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidRequest(`${field} must be a string`);
  return value;
}

function bool(extra: Record<string, unknown>, field: string): boolean {
  const value = extra[field];
  if (value === undefined || value === null || value === '') return false;
  if (typeof value === 'boolean') return value;
  const parsed = typeof value === 'string' ? parseGoBool(value) : undefined;
  if (parsed === undefined) throw invalidRequest(`${field} must be a boolean`);
  return parsed;
}
