/**
 * A lease, as stored (encrypted) at `expire/lease/<id>`. Secret leases carry what their revocation needs; auth
 * leases stand for a token's life and point at it by handle (never the token itself).
 */
export interface LeaseRecord {
  /** `<request path>/<random>`, e.g. `database/creds/app/9fA3…`; auth: `<login path>/<token handle>`. */
  id: string;
  kind: 'secret' | 'auth';
  /** The request path that created it (`database/creds/app`, `auth/approle/login`). */
  path: string;
  /** The mount that revokes it, by UUID: moving the mount does not orphan its leases. */
  mountUuid: string;
  mountPath: string;
  /** `defineSecret` type; '' for auth leases. */
  secretType: string;
  /** The engine's internal data (what revocation needs). Never returned to clients. */
  internal: Record<string, unknown>;
  /** Secret: the token that asked for it (leases die with it). Auth: the token this lease is the life of. */
  tokenHandle: string;
  tokenAccessor: string;
  entityId: string;
  requestId: string;
  remoteAddress: string;
  /** Milliseconds since the epoch. */
  issueTime: number;
  expireTime: number;
  /** The hard end: no renewal goes past it. */
  maxExpireTime: number;
  /** Which limit set `maxExpireTime`. */
  maxSource: MaxSource;
  lastRenewalTime: number;
  renewable: boolean;
  state: LeaseState;
  /** Failed revocation attempts so far. */
  attempts: number;
  /** When the next revocation attempt is due (retrying), ms. */
  nextAttempt: number;
  /** Last revocation error, scrubbed of secret values. */
  lastError: string;
}

export type LeaseState = 'active' | 'revoking' | 'retrying' | 'irrevocable';
export type MaxSource = 'role' | 'mount' | 'system' | 'token' | 'explicit';

const PAD = 15;

/** Due-index keys sort by time: `due/<ms, zero-padded>/<lease id>`. */
export function dueKey(ms: number, id: string): string {
  return `due/${String(Math.max(0, Math.floor(ms))).padStart(PAD, '0')}/${id}`;
}

/** The end bound (exclusive) of a scan for everything due at or before `ms`. */
export function dueEnd(ms: number): string {
  return `due/${String(Math.max(0, Math.floor(ms)) + 1).padStart(PAD, '0')}/`;
}

export function idFromDueKey(key: string): string {
  return key.slice('due/'.length + PAD + 1);
}

export const leaseKey = (id: string): string => `lease/${id}`;
export const tokenIndexKey = (tokenHandle: string, id: string): string => `by-token/${tokenHandle}/${id}`;

/** When the record is next due for the worker: its expiry, or its next retry. */
export function dueTime(rec: LeaseRecord): number {
  return rec.state === 'retrying' ? rec.nextAttempt : rec.expireTime;
}

/** Where the expiration manager's records and indexes live in the barrier. */
export const EXPIRATION_STORAGE_PREFIX = 'expire/';
