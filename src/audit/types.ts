/**
 * What the core hands the audit broker: a transport-neutral description of one request or response. Values here
 * are raw (plaintext tokens, secret data); the formatter HMACs them per device before anything is written.
 */

/** A token as audit entries show it (Vault's `logical.Auth`, the fields the audit log reads). */
export interface AuditAuthInput {
  /** The raw token; HMAC'd unless `log_raw`. */
  clientToken?: string;
  /** The token's accessor; HMAC'd unless `hmac_accessor=false` or `log_raw`. */
  accessor?: string;
  displayName?: string;
  /** Every policy that applies (token + identity). */
  policies?: string[];
  tokenPolicies?: string[];
  identityPolicies?: string[];
  metadata?: Record<string, string>;
  entityId?: string;
  /** `service`, `batch` or `default`; Vault writes `default` when there is no token at all. */
  tokenType?: string;
  /** Seconds. */
  tokenTTL?: number;
  /** Milliseconds since the epoch; written as RFC 3339 (seconds), as Vault does. */
  tokenIssueTime?: number;
  /** Uses left on a use-limited token (request side). */
  remainingUses?: number;
  /** Use limit of an issued token (response side). */
  numUses?: number;
  noDefaultPolicy?: boolean;
}

/** One request, as the core saw it after routing. */
export interface AuditRequestInput {
  /** Request id (UUID), the key that pairs a request entry with its response entry. */
  id: string;
  /** Vault's operation name: `read`, `create`, `update`, `delete`, `list`, `help`, `patch`. */
  operation: string;
  /** Full logical path (`secret/data/app`, `sys/audit/file`). */
  path: string;
  /** Mount type (`kv`, `database`, `system`, `token`); '' before routing. */
  mountType?: string;
  /** Mount path with trailing slash (`secret/`, `auth/approle/`). */
  mountPoint?: string;
  mountAccessor?: string;
  /** `secret` or `auth`. */
  mountClass?: string;
  /** Request body or query parameters. Every string in it is HMAC'd. */
  data?: Record<string, unknown> | null;
  remoteAddress?: string;
  remotePort?: number;
  /** Seconds from `X-Vault-Wrap-TTL`. */
  wrapTTL?: number;
  /** The caller; absent on unauthenticated paths and before the token was resolved. */
  auth?: AuditAuthInput;
  /** The presented token when it differs from `auth.clientToken` (e.g. an invalid token that resolved to nothing). */
  clientToken?: string;
  clientTokenAccessor?: string;
  /** Request keys left in plaintext (a mount's `audit_non_hmac_request_keys`). */
  nonHMACDataKeys?: string[];
  /** Set on request entries of refused requests (`permission denied`): the error the client got. */
  error?: string;
}

/** Response wrapping information, as `wrap_info` shows it. */
export interface AuditWrapInfoInput {
  /** The wrapping token; always HMAC'd unless `log_raw`. */
  token: string;
  accessor?: string;
  /** Seconds. */
  ttl: number;
  /** Milliseconds since the epoch. */
  creationTime: number;
  creationPath?: string;
  wrappedAccessor?: string;
}

/** What the client was sent. */
export interface AuditResponseBody {
  data?: Record<string, unknown> | null;
  /** Present on leased responses: lease ids are not secret (they carry the path), so they are written as is. */
  secret?: { leaseId: string };
  /** A token issued by this response (login, token create). */
  auth?: AuditAuthInput;
  wrapInfo?: AuditWrapInfoInput;
  warnings?: string[];
  redirect?: string;
  /** Response keys left in plaintext (a mount's `audit_non_hmac_response_keys`). */
  nonHMACDataKeys?: string[];
}

/** One response: the request it answers, what was sent, and the error when the request failed. */
export interface AuditResponseInput extends AuditRequestInput {
  response?: AuditResponseBody;
}
