import type { PoolOptions } from 'mysql2/promise';
import { invalidRequest } from '../../../../lib/errors.js';
import type { MysqlTarget } from './dsn.js';

/**
 * TLS options from Vault's fields (`tls_ca`, `tls_certificate_key`: PEM, the latter holding certificate and key)
 * and the DSN's `tls` parameter (`true`, `skip-verify`; `false`/absent = plaintext unless a CA or client
 * certificate is given).
 */
export function mysqlTlsOptions(target: MysqlTarget, extra: Record<string, unknown>): PoolOptions['ssl'] {
  const ca = pemField(extra, 'tls_ca');
  const certKey = pemField(extra, 'tls_certificate_key');
  const mode = (target.params.tls ?? '').toLowerCase();
  if (!['', 'true', 'false', 'skip-verify', 'preferred'].includes(mode)) {
    throw invalidRequest(`connection_url: unsupported tls mode "${target.params.tls}" (use true, skip-verify or false)`);
  }
  if (ca === undefined && certKey === undefined && (mode === '' || mode === 'false' || mode === 'preferred')) return undefined;
  const ssl: NonNullable<PoolOptions['ssl']> & object = { rejectUnauthorized: mode !== 'skip-verify' };
  if (ca !== undefined) ssl.ca = ca;
  if (certKey !== undefined) {
    ssl.cert = certKey;
    ssl.key = certKey;
  }
  return ssl;
}

function pemField(extra: Record<string, unknown>, field: string): string | undefined {
  const value = extra[field];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || !value.includes('-----BEGIN')) throw invalidRequest(`${field} must be PEM text`);
  return value;
}
