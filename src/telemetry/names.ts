import type { MetricDef } from './sink.js';

/**
 * Every metric Ward emits, under Vault's names (docs "Telemetry reference"), so Vault's Grafana dashboards keyed on
 * them work. Prometheus names join the parts with `_` (`vault_core_handle_request`). Labels carry mount paths, auth
 * method and engine types, policy names and TTL buckets: never a value of a secret, token or accessor.
 */
export const METRICS = {
  handleRequest: { key: ['vault', 'core', 'handle_request'], help: 'Time to handle a request other than a login, ms' },
  handleLoginRequest: { key: ['vault', 'core', 'handle_login_request'], help: 'Time to handle a login request, ms' },

  numLeases: { key: ['vault', 'expire', 'num_leases'], help: 'Number of leases (secret and token) the expiration manager holds' },
  numIrrevocableLeases: { key: ['vault', 'expire', 'num_irrevocable_leases'], help: 'Number of leases whose revocation was given up' },
  leaseStates: { key: ['ward', 'expire', 'leases'], help: 'Leases by mount and state (active, revoking, retrying, irrevocable)', labels: ['mount', 'state'] },

  tokenCount: { key: ['vault', 'token', 'count'], help: 'Number of service tokens', labels: ['namespace'] },
  tokenCountByPolicy: { key: ['vault', 'token', 'count', 'by_policy'], help: 'Number of service tokens by policy', labels: ['namespace', 'policy'] },
  tokenCountByAuth: { key: ['vault', 'token', 'count', 'by_auth'], help: 'Number of service tokens by auth method', labels: ['namespace', 'auth_method'] },
  tokenCountByTTL: { key: ['vault', 'token', 'count', 'by_ttl'], help: 'Number of service tokens by TTL bucket', labels: ['namespace', 'creation_ttl'] },
  tokenCreation: { key: ['vault', 'token', 'creation'], help: 'Number of service or batch tokens created', labels: ['namespace', 'auth_method', 'mount_point', 'creation_ttl', 'token_type'] },
  leaseCreation: { key: ['vault', 'secret', 'lease', 'creation'], help: 'Number of leased secrets created', labels: ['namespace', 'secret_engine', 'mount_point', 'creation_ttl'] },

  auditLogRequestFailure: { key: ['vault', 'audit', 'log_request_failure'], help: 'Requests refused because no audit device could log them' },
  auditLogResponseFailure: { key: ['vault', 'audit', 'log_response_failure'], help: 'Responses refused because no audit device could log them' },
  auditLogRequest: { key: ['vault', 'audit', 'log_request'], help: 'Time to log a request on every audit device, ms' },
  auditLogResponse: { key: ['vault', 'audit', 'log_response'], help: 'Time to log a response on every audit device, ms' },
  auditSinkSuccess: { key: ['vault', 'audit', 'sink', 'success'], help: 'Audit entries an audit device wrote' },
  auditSinkFailure: { key: ['vault', 'audit', 'sink', 'failure'], help: 'Audit entries an audit device failed to write' },

  allocBytes: { key: ['vault', 'runtime', 'alloc_bytes'], help: 'Bytes of live JavaScript heap (Go: allocated heap objects)' },
  sysBytes: { key: ['vault', 'runtime', 'sys_bytes'], help: 'Resident set size of the process (Go: memory obtained from the OS)' },
  numGoroutines: { key: ['vault', 'runtime', 'num_goroutines'], help: 'Active libuv handles and requests (Go: goroutines)' },
} as const satisfies Record<string, MetricDef>;

/** Expiration manager timings, by Vault's name (`vault.expire.<op>`). */
export const EXPIRE_OPS = ['revoke', 'renew', 'register', 'register-auth', 'renew-token', 'revoke-force', 'revoke-prefix', 'revoke-by-token'] as const;
export type ExpireOp = (typeof EXPIRE_OPS)[number];

export const EXPIRE_HELP: Readonly<Record<ExpireOp, string>> = {
  revoke: 'Time to revoke a lease, ms',
  renew: 'Time to renew a lease, ms',
  register: 'Time to register a secret lease, ms',
  'register-auth': 'Time to register a token lease, ms',
  'renew-token': 'Time to renew a token lease, ms',
  'revoke-force': 'Time to force-remove leases under a prefix, ms',
  'revoke-prefix': 'Time to revoke the leases under a prefix, ms',
  'revoke-by-token': 'Time to revoke the leases of a token, ms',
};

/** Vault's `metricsutil.TTLBucket` labels for token and lease TTLs. */
const TTL_BUCKETS: readonly [number, string][] = [
  [60, '1m'], [600, '10m'], [1200, '20m'], [3600, '1h'], [7200, '2h'], [86_400, '1d'], [172_800, '2d'], [604_800, '7d'], [2_592_000, '30d'],
];

/** The bucket label of a TTL in seconds: `+Inf` past 30 days, and for 0 ("never expires"; Vault files it under 1m). */
export function ttlBucket(seconds: number): string {
  if (seconds <= 0) return '+Inf';
  for (const [limit, label] of TTL_BUCKETS) if (seconds <= limit) return label;
  return '+Inf';
}
