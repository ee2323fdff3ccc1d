import { parseDurationSeconds } from '../lib/duration.js';
import { invalidRequest } from '../lib/errors.js';
import type { MountConfig } from '../router/mount-entry.js';

function list(value: unknown, name: string): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string') return value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  throw invalidRequest(`${name} must be a list of strings`);
}

/** Reads the `config` object of a mount or tune request (TTLs as durations; "system" = 0 = use the default). */
export function parseMountConfig(raw: unknown): Partial<MountConfig> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalidRequest('config must be an object');
  return parseTuneFields(raw as Record<string, unknown>);
}

const ttl = (v: unknown, name: string): number => (v === 'system' || v === '' ? 0 : parseDurationSeconds(v, name));

/** Shared by mount config and tune bodies, which use the same keys. */
export function parseTuneFields(c: Record<string, unknown>): Partial<MountConfig> {
  const out: Partial<MountConfig> = {};
  if (c.default_lease_ttl !== undefined && c.default_lease_ttl !== null) out.defaultLeaseTTL = ttl(c.default_lease_ttl, 'default_lease_ttl');
  if (c.max_lease_ttl !== undefined && c.max_lease_ttl !== null) out.maxLeaseTTL = ttl(c.max_lease_ttl, 'max_lease_ttl');
  if (c.force_no_cache !== undefined && c.force_no_cache !== null) out.forceNoCache = c.force_no_cache === true || c.force_no_cache === 'true';
  if (typeof c.listing_visibility === 'string') {
    if (!['', 'hidden', 'unauth'].includes(c.listing_visibility)) throw invalidRequest(`invalid listing_visibility ${c.listing_visibility}`);
    out.listingVisibility = c.listing_visibility;
  }
  if (c.passthrough_request_headers != null) out.passthroughRequestHeaders = list(c.passthrough_request_headers, 'passthrough_request_headers');
  if (c.allowed_response_headers != null) out.allowedResponseHeaders = list(c.allowed_response_headers, 'allowed_response_headers');
  if (c.audit_non_hmac_request_keys != null) out.auditNonHmacRequestKeys = list(c.audit_non_hmac_request_keys, 'audit_non_hmac_request_keys');
  if (c.audit_non_hmac_response_keys != null) out.auditNonHmacResponseKeys = list(c.audit_non_hmac_response_keys, 'audit_non_hmac_response_keys');
  if (typeof c.token_type === 'string') out.tokenType = c.token_type;
  return out;
}

export function parseOptions(raw: unknown): Record<string, string> | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalidRequest('options must be an object of strings');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) out[k] = String(v);
  return out;
}
