import { type Hasher, hashValues, rfc3339NanoTrimmed } from './hash.js';
import type { AuditAuthInput, AuditRequestInput, AuditResponseInput, AuditWrapInfoInput } from './types.js';

/** How one device formats entries (its `hmac_accessor`, `log_raw`, `elide_list_responses` options). */
export interface EntryOptions {
  /** Hash accessors too (Vault's default: true). */
  hmacAccessor: boolean;
  /** Write everything in plaintext (Vault's `log_raw`; for debugging only). */
  logRaw: boolean;
  /** Replace a list response's `keys` and `key_info` by their sizes. */
  elideListResponses: boolean;
}

export const DEFAULT_ENTRY_OPTIONS: Readonly<EntryOptions> = { hmacAccessor: true, logRaw: false, elideListResponses: false };

/** An audit entry, a plain JSON object whose key order follows Vault's structs (`time` first, then alphabetical). */
export type AuditEntry = Record<string, unknown>;

/**
 * Go's `omitempty` for one struct level: drops '', 0, false, null/undefined, empty arrays and empty maps. Key order
 * is kept, so an entry serialises in the order of Vault's struct fields.
 */
function omitEmpty(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k in fields) {
    const v = fields[k];
    if (v === undefined || v === null || v === '' || v === 0 || v === false) continue;
    if (Array.isArray(v)) {
      if (v.length === 0) continue;
    } else if (typeof v === 'object' && Object.keys(v).length === 0) continue;
    out[k] = v;
  }
  return out;
}

/** What the formatter does to each kind of sensitive value for one device. */
interface Redactor {
  /** Tokens: always hashed unless raw. */
  token: (v: string | undefined) => string | undefined;
  /** Accessors: hashed unless raw or `hmac_accessor=false`. */
  accessor: (v: string | undefined) => string | undefined;
  /** Data maps: every string value hashed unless raw. */
  data: (v: Record<string, unknown> | null | undefined, plainKeys?: readonly string[]) => unknown;
}

function redactor(rawHash: Hasher, o: EntryOptions): Redactor {
  // One entry shows the caller's token and accessor twice (auth and request): hash each value once per entry.
  const seen = new Map<string, string>();
  const hash: Hasher = (v) => {
    let h = seen.get(v);
    if (h === undefined) seen.set(v, (h = rawHash(v)));
    return h;
  };
  const maybe = (on: boolean) => (v: string | undefined) => (on && v ? hash(v) : v);
  return {
    token: maybe(!o.logRaw),
    accessor: maybe(!o.logRaw && o.hmacAccessor),
    data: (v, plainKeys) => (v == null || o.logRaw ? v : hashValues(v, hash, plainKeys)),
  };
}

function authJSON(a: AuditAuthInput | undefined, r: Redactor): Record<string, unknown> {
  const auth = a ?? {};
  return omitEmpty({
    accessor: r.accessor(auth.accessor),
    client_token: r.token(auth.clientToken),
    display_name: auth.displayName,
    entity_id: auth.entityId,
    identity_policies: auth.identityPolicies,
    metadata: auth.metadata,
    no_default_policy: auth.noDefaultPolicy,
    num_uses: auth.numUses,
    policies: auth.policies,
    remaining_uses: auth.remainingUses,
    token_policies: auth.tokenPolicies,
    // Vault writes RFC 3339 without fractions here.
    token_issue_time: auth.tokenIssueTime ? `${new Date(auth.tokenIssueTime).toISOString().slice(0, 19)}Z` : undefined,
    token_ttl: auth.tokenTTL,
    // Vault's zero TokenType prints as "default": entries of unauthenticated requests carry it too.
    token_type: auth.tokenType || 'default',
  });
}

function requestJSON(input: AuditRequestInput, r: Redactor): Record<string, unknown> {
  return omitEmpty({
    client_token: r.token(input.clientToken ?? input.auth?.clientToken),
    client_token_accessor: r.accessor(input.clientTokenAccessor ?? input.auth?.accessor),
    data: r.data(input.data, input.nonHMACDataKeys),
    id: input.id,
    mount_accessor: input.mountAccessor,
    mount_class: input.mountClass,
    mount_point: input.mountPoint,
    mount_type: input.mountType,
    namespace: { id: 'root' },
    operation: input.operation,
    path: input.path,
    remote_address: input.remoteAddress,
    remote_port: input.remotePort,
    wrap_ttl: input.wrapTTL,
  });
}

function wrapInfoJSON(w: AuditWrapInfoInput | undefined, r: Redactor): Record<string, unknown> | undefined {
  if (!w) return undefined;
  return omitEmpty({
    accessor: r.accessor(w.accessor),
    creation_path: w.creationPath,
    creation_time: rfc3339NanoTrimmed(w.creationTime),
    token: r.token(w.token),
    ttl: w.ttl,
    wrapped_accessor: r.accessor(w.wrappedAccessor),
  });
}

/** Vault's `elide_list_responses`: a list's keys and key_info become their sizes (only when shaped as expected). */
function elideList(data: Record<string, unknown>): Record<string, unknown> {
  const out = { ...data };
  if (Array.isArray(out.keys)) out.keys = out.keys.length;
  const info = out.key_info;
  if (info !== null && typeof info === 'object' && !Array.isArray(info)) out.key_info = Object.keys(info).length;
  return out;
}

/**
 * The request entry for one device: the same shape as Vault's `audit.RequestEntry`, with tokens, accessors and
 * every string in `request.data` replaced by `hmac-sha256:<hex>` under the device's salt.
 */
export function formatRequestEntry(input: AuditRequestInput, hash: Hasher, options: EntryOptions, nowMs: number): AuditEntry {
  const r = redactor(hash, options);
  return {
    time: rfc3339NanoTrimmed(nowMs),
    auth: authJSON(input.auth, r),
    ...omitEmpty({ error: input.error }),
    request: requestJSON(input, r),
    type: 'request',
  };
}

/** The response entry for one device (Vault's `audit.ResponseEntry`), hashed like the request entry. */
export function formatResponseEntry(input: AuditResponseInput, hash: Hasher, options: EntryOptions, nowMs: number): AuditEntry {
  const r = redactor(hash, options);
  const resp = input.response ?? {};
  let data = resp.data;
  if (data && options.elideListResponses && input.operation === 'list') data = elideList(data);
  const response = omitEmpty({
    auth: resp.auth ? authJSON(resp.auth, r) : undefined,
    data: r.data(data, resp.nonHMACDataKeys),
    mount_accessor: input.mountAccessor,
    mount_class: input.mountClass,
    mount_point: input.mountPoint,
    mount_type: input.mountType,
    redirect: resp.redirect,
    secret: resp.secret ? omitEmpty({ lease_id: resp.secret.leaseId }) : undefined,
    wrap_info: wrapInfoJSON(resp.wrapInfo, r),
    warnings: resp.warnings,
  });
  return {
    time: rfc3339NanoTrimmed(nowMs),
    auth: authJSON(input.auth, r),
    ...omitEmpty({ error: input.error }),
    request: requestJSON(input, r),
    response,
    type: 'response',
  };
}
