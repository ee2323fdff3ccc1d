import type { CoreResponse } from '../core/request.js';
import type { TokenEntry } from '../tokens/token-entry.js';
import type { AuditAuthInput, AuditResponseBody } from './types.js';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const strings = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/**
 * The caller as audit entries show it, from the raw token the client presented and its resolved entry. The raw
 * token is only ever hashed by the formatter; it is passed because the log must show the hash of what was sent.
 */
export function auditAuthFromToken(rawToken: string, entry: Readonly<TokenEntry>, identityPolicies: readonly string[], nowMs: number): AuditAuthInput {
  return {
    clientToken: rawToken,
    accessor: entry.accessor,
    displayName: entry.displayName,
    policies: [...new Set([...entry.policies, ...identityPolicies])].sort(),
    tokenPolicies: [...entry.policies],
    identityPolicies: [...identityPolicies],
    metadata: { ...entry.meta },
    entityId: entry.entityId,
    tokenType: entry.type,
    tokenTTL: entry.expireTime > 0 ? Math.max(0, Math.round((entry.expireTime - nowMs) / 1000)) : 0,
    tokenIssueTime: entry.creationTime,
    remainingUses: entry.numUses,
  };
}

/** An issued token's `auth` block (CoreResponse.issuedAuth, envelope-shaped) as audit input. */
function issuedAuth(block: Record<string, unknown>): AuditAuthInput {
  const meta = block.metadata;
  return {
    ...(str(block.client_token) ? { clientToken: str(block.client_token) } : {}),
    ...(str(block.accessor) ? { accessor: str(block.accessor) } : {}),
    ...(strings(block.policies) ? { policies: strings(block.policies) } : {}),
    ...(strings(block.token_policies) ? { tokenPolicies: strings(block.token_policies) } : {}),
    ...(strings(block.identity_policies) ? { identityPolicies: strings(block.identity_policies) } : {}),
    ...(meta && typeof meta === 'object' ? { metadata: meta as Record<string, string> } : {}),
    ...(str(block.entity_id) ? { entityId: str(block.entity_id) } : {}),
    ...(str(block.token_type) ? { tokenType: str(block.token_type) } : {}),
    ...(num(block.lease_duration) ? { tokenTTL: num(block.lease_duration) } : {}),
    ...(num(block.num_uses) ? { numUses: num(block.num_uses) } : {}),
  };
}

/**
 * What the client is sent, as audit input: data (a raw body becomes Vault's `http_raw_body`, `http_content_type`,
 * `http_status_code` data keys, hashed like any data), the lease id, an issued token, wrap info and warnings.
 * `unwrapped` is the response before wrapping, when it was wrapped: its data is logged (hashed) beside `wrap_info`.
 */
export function auditResponseFromCore(resp: CoreResponse | null, unwrapped?: CoreResponse | null): AuditResponseBody {
  if (!resp) return {};
  const source = resp.wrapInfo && unwrapped ? unwrapped : resp;
  const out: AuditResponseBody = {};
  if (source.raw) {
    const body = source.raw.body;
    out.data = { http_content_type: source.raw.contentType, http_raw_body: Buffer.isBuffer(body) ? body.toString('utf8') : body, http_status_code: source.raw.status };
  } else if (source.data) {
    out.data = source.data;
  }
  if (source.leaseId) out.secret = { leaseId: source.leaseId };
  if (source.issuedAuth) out.auth = issuedAuth(source.issuedAuth);
  if (source.warnings && source.warnings.length > 0) out.warnings = [...source.warnings];
  const w = resp.wrapInfo;
  if (w && typeof w.token === 'string') {
    const created = typeof w.creation_time === 'string' ? Date.parse(w.creation_time) : Number.NaN;
    out.wrapInfo = {
      token: w.token,
      ttl: num(w.ttl) ?? 0,
      creationTime: Number.isNaN(created) ? Date.now() : created,
      ...(str(w.accessor) ? { accessor: str(w.accessor) } : {}),
      ...(str(w.creation_path) ? { creationPath: str(w.creation_path) } : {}),
      ...(str(w.wrapped_accessor) ? { wrappedAccessor: str(w.wrapped_accessor) } : {}),
    };
  }
  return out;
}
