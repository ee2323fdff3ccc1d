/**
 * Paths Vault never audits (its docs, "Audit devices"): seal and init handling, health and leader probes, rekey.
 * Everything else is logged, refused requests included.
 */
const NOT_AUDITED = /^sys\/(init|seal-status|seal|step-down|unseal|leader|health|rekey\/(init|update|verify)|rekey-recovery-key\/(init|update|verify)|storage\/raft\/(bootstrap|join)|internal\/ui\/feature-flags)\/?$/;

/**
 * Whether a request to `path` skips the audit log. `sys/metrics` is skipped only when it is served without a token
 * (`unauthenticated_metrics_access`), as Vault does: scrapers would otherwise flood the log.
 */
export function isAuditExempt(path: string, options: { unauthenticatedMetrics?: boolean } = {}): boolean {
  if (NOT_AUDITED.test(path)) return true;
  return options.unauthenticatedMetrics === true && /^sys\/metrics\/?$/.test(path);
}
