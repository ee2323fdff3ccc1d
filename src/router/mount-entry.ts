/** One row of a mount table, persisted encrypted at `core/mounts` (secret engines) or `core/auth` (auth methods). */
export interface MountEntry {
  /** With trailing slash; relative to `auth/` for auth methods (`approle/`). */
  path: string;
  type: string;
  description: string;
  uuid: string;
  accessor: string;
  config: MountConfig;
  options: Record<string, string>;
  local: boolean;
  sealWrap: boolean;
  /** Never disabled nor moved (`sys/`, `cubbyhole/`, `identity/`, `auth/token/`). */
  builtin?: boolean;
}

export interface MountConfig {
  /** Seconds; 0 = system default. */
  defaultLeaseTTL: number;
  /** Seconds; 0 = system default. */
  maxLeaseTTL: number;
  forceNoCache: boolean;
  listingVisibility?: string;
  passthroughRequestHeaders?: string[];
  allowedResponseHeaders?: string[];
  auditNonHmacRequestKeys?: string[];
  auditNonHmacResponseKeys?: string[];
  tokenType?: string;
}

export type MountTableName = 'mounts' | 'auth';

const VIEW_PREFIX: Record<MountTableName, string> = { mounts: 'logical/', auth: 'auth/' };

/** Where a mount's storage view lives in the barrier: keyed by its UUID, so a remount moves no data. */
export function mountStoragePrefix(table: MountTableName, uuid: string): string {
  return `${VIEW_PREFIX[table]}${uuid}/`;
}

/** Vault's JSON shape of a mount entry (sys/mounts, sys/auth). */
export function mountEntryJSON(entry: MountEntry, table: MountTableName = 'mounts'): Record<string, unknown> {
  const config: Record<string, unknown> = {
    default_lease_ttl: entry.config.defaultLeaseTTL,
    max_lease_ttl: entry.config.maxLeaseTTL,
    force_no_cache: entry.config.forceNoCache,
  };
  if (entry.config.listingVisibility) config.listing_visibility = entry.config.listingVisibility;
  if (entry.config.passthroughRequestHeaders) config.passthrough_request_headers = entry.config.passthroughRequestHeaders;
  if (entry.config.allowedResponseHeaders) config.allowed_response_headers = entry.config.allowedResponseHeaders;
  if (entry.config.auditNonHmacRequestKeys) config.audit_non_hmac_request_keys = entry.config.auditNonHmacRequestKeys;
  if (entry.config.auditNonHmacResponseKeys) config.audit_non_hmac_response_keys = entry.config.auditNonHmacResponseKeys;
  // Vault always shows an auth mount's token type.
  if (entry.config.tokenType || table === 'auth') config.token_type = entry.config.tokenType ?? 'default-service';
  return {
    type: entry.type,
    description: entry.description,
    accessor: entry.accessor,
    uuid: entry.uuid,
    config,
    options: Object.keys(entry.options).length > 0 ? entry.options : null,
    local: entry.local,
    seal_wrap: entry.sealWrap,
    external_entropy_access: false,
    plugin_version: '',
    running_plugin_version: `v0.1.0+builtin.ward`,
    running_sha256: '',
    deprecation_status: entry.builtin ? undefined : 'supported',
  };
}
