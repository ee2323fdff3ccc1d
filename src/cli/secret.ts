/**
 * The response envelope as the Go `api.Secret` sees it. Parsing keeps exactly the fields Vault's client keeps, so
 * `-format=json` prints what `vault` prints (field order included, unknown fields dropped).
 */

/** `auth` block of a response (Go api.SecretAuth). */
export interface SecretAuth {
  client_token: string;
  accessor: string;
  policies: string[] | null;
  token_policies: string[] | null;
  identity_policies: string[] | null;
  metadata: Record<string, string> | null;
  orphan: boolean;
  entity_id: string;
  lease_duration: number;
  renewable: boolean;
  mfa_requirement: unknown;
}

/** `wrap_info` block of a response (Go api.SecretWrapInfo). */
export interface SecretWrapInfo {
  token: string;
  accessor: string;
  ttl: number;
  creation_time: string;
  creation_path: string;
  wrapped_accessor: string;
}

/** A response envelope (Go api.Secret). */
export interface Secret {
  request_id: string;
  lease_id: string;
  lease_duration: number;
  renewable: boolean;
  data: Record<string, unknown> | null;
  warnings: string[] | null;
  auth: SecretAuth | null;
  wrap_info: SecretWrapInfo | null;
  mount_type: string;
}

/** True for a non-null, non-array object. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : 0);
const bool = (v: unknown): boolean => v === true;
const strList = (v: unknown): string[] | null => (Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : String(x))) : null);

function strMap(v: unknown): Record<string, string> | null {
  if (!isRecord(v)) return null;
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) out[k] = typeof x === 'string' ? x : String(x);
  return out;
}

/** Builds an auth block with Go's zero values for anything missing. */
export function makeAuth(a: Partial<SecretAuth>): SecretAuth {
  return {
    client_token: a.client_token ?? '',
    accessor: a.accessor ?? '',
    policies: a.policies ?? null,
    token_policies: a.token_policies ?? null,
    identity_policies: a.identity_policies ?? null,
    metadata: a.metadata ?? null,
    orphan: a.orphan ?? false,
    entity_id: a.entity_id ?? '',
    lease_duration: a.lease_duration ?? 0,
    renewable: a.renewable ?? false,
    mfa_requirement: a.mfa_requirement ?? null,
  };
}

/** An empty secret (all zero values), to which commands attach what they need. */
export function emptySecret(): Secret {
  return { request_id: '', lease_id: '', lease_duration: 0, renewable: false, data: null, warnings: null, auth: null, wrap_info: null, mount_type: '' };
}

/** Parses a decoded JSON response body like api.ParseSecret. */
export function parseSecret(body: unknown): Secret {
  const b = isRecord(body) ? body : {};
  const auth = isRecord(b.auth)
    ? makeAuth({
        client_token: str(b.auth.client_token),
        accessor: str(b.auth.accessor),
        policies: strList(b.auth.policies),
        token_policies: strList(b.auth.token_policies),
        identity_policies: strList(b.auth.identity_policies),
        metadata: strMap(b.auth.metadata),
        orphan: bool(b.auth.orphan),
        entity_id: str(b.auth.entity_id),
        lease_duration: num(b.auth.lease_duration),
        renewable: bool(b.auth.renewable),
        mfa_requirement: b.auth.mfa_requirement ?? null,
      })
    : null;
  const wrap = isRecord(b.wrap_info)
    ? {
        token: str(b.wrap_info.token),
        accessor: str(b.wrap_info.accessor),
        ttl: num(b.wrap_info.ttl),
        creation_time: str(b.wrap_info.creation_time) || '0001-01-01T00:00:00Z',
        creation_path: str(b.wrap_info.creation_path),
        wrapped_accessor: str(b.wrap_info.wrapped_accessor),
      }
    : null;
  return {
    request_id: str(b.request_id),
    lease_id: str(b.lease_id),
    lease_duration: num(b.lease_duration),
    renewable: bool(b.renewable),
    data: isRecord(b.data) ? b.data : null,
    warnings: strList(b.warnings),
    auth,
    wrap_info: wrap,
    mount_type: str(b.mount_type),
  };
}

/** The secret as a Go struct for {@link goJson}: fields in api.Secret order, `auth`/`wrap_info`/`mount_type` omitted when empty. */
export function secretStruct(s: Secret): Map<string, unknown> {
  const m = new Map<string, unknown>([
    ['request_id', s.request_id],
    ['lease_id', s.lease_id],
    ['lease_duration', s.lease_duration],
    ['renewable', s.renewable],
    ['data', s.data],
    ['warnings', s.warnings],
  ]);
  if (s.auth) m.set('auth', new Map(Object.entries(s.auth)));
  if (s.wrap_info) m.set('wrap_info', new Map(Object.entries(s.wrap_info)));
  if (s.mount_type) m.set('mount_type', s.mount_type);
  return m;
}
