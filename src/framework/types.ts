import type { Storage } from './storage.js';
import type { Logger } from './logger.js';

/** Logical operations, as Vault names them. HTTP verbs map onto these in `http/`. */
export type Operation = 'read' | 'create' | 'update' | 'patch' | 'delete' | 'list' | 'help';

/** What an engine may know about its own mount. */
export interface MountInfo {
  /** Mount path with trailing slash, e.g. `secret/` or `auth/approle/`. */
  path: string;
  type: string;
  uuid: string;
  accessor: string;
  options: Record<string, string>;
}

/** Time and TTL defaults as they apply to one mount (mount tune → system), resolved by the core. */
export interface SystemView {
  /** Milliseconds since the epoch, from the injectable clock. */
  now(): number;
  /** Seconds. */
  defaultLeaseTTL(): number;
  /** Seconds. */
  maxLeaseTTL(): number;
  /**
   * A password from the named password policy (`sys/policies/password/:name`), or from Vault's default policy
   * (20 characters of [A-Za-z0-9-] with at least one lowercase, uppercase, digit and `-`) when `policyName` is empty.
   * Throws invalid_request for an unknown policy. Always present on a running server (test harnesses may omit it).
   */
  generatePassword?(policyName?: string): Promise<string>;
}

/** The caller, as far as an engine needs to know it. */
export interface RequestAuth {
  displayName: string;
  policies: string[];
  entityId: string;
  accessor: string;
  metadata: Record<string, string>;
  /**
   * A stable, non-secret handle of the calling token (a salted hash): cubbyhole keys its storage by it.
   * Never the token itself.
   */
  tokenHandle: string;
}

export interface EngineRequest {
  /** Request id (UUID), also in logs and audit. */
  id: string;
  operation: Operation;
  /** Path relative to the mount, e.g. `data/foo` (list paths end with `/`). */
  path: string;
  /**
   * The request's data: the JSON body, or the query parameters of a read/list/delete. Path captures are not in
   * here (they reach handlers through the parsed fields), so kv can store `data` as the secret itself.
   */
  data: Record<string, unknown>;
  storage: Storage;
  mount: MountInfo;
  system: SystemView;
  auth: RequestAuth | null;
  remoteAddress: string;
  logger: Logger;
}

/** A leased secret in a response; registered with the expiration manager before the response leaves. */
export interface SecretResponse {
  /** Secret type, as declared with `defineSecret`. */
  type: string;
  /** Data the engine needs at renew/revoke time; encrypted at rest, never returned to the client. */
  internal: Record<string, unknown>;
  /** Requested TTL in seconds (0 = mount/system default). */
  ttl: number;
  /** Role's own max TTL in seconds (0 = none beyond mount/system). */
  maxTTL: number;
  renewable: boolean;
  /**
   * Set when the credential's creation is still open at its target (PostgreSQL: an uncommitted transaction), so that
   * the core records the lease while the target works rather than after it: one durable commit fewer on the
   * request's path, and no separate "creation pending" record. See `OpenCreation`.
   */
  creation?: OpenCreation;
}

/**
 * The engine's half of a credential created under an already recorded lease. The core calls `leaseRecorded` exactly
 * once: with `null` once the lease is durable (only then may the credential become visible at the target), or with
 * the error that kept it from being recorded (the engine must then make sure nothing becomes visible). The response
 * leaves only after `created` resolves. If `created` rejects after the lease was recorded, the core revokes the lease
 * at once (the secret's revoke must therefore cope with a credential that is half-made or was never made) and, if
 * that fails, keeps retrying as for any lease: nothing is ever left without a lease that will revoke it.
 */
export interface OpenCreation {
  leaseRecorded(err: Error | null): void;
  created: Promise<void>;
}

/** A token to issue, from a login path (filled in by the auth issue). */
export interface AuthResponse {
  policies: string[];
  displayName: string;
  metadata: Record<string, string>;
  ttl: number;
  maxTTL: number;
  period: number;
  explicitMaxTTL: number;
  numUses: number;
  renewable: boolean;
  tokenType: 'service' | 'batch' | 'default';
  alias?: { name: string; metadata?: Record<string, string> };
  boundCidrs?: string[];
  noDefaultPolicy?: boolean;
  internal?: Record<string, unknown>;
}

export interface EngineResponse {
  data?: Record<string, unknown> | null;
  warnings?: string[];
  /** Refresh hint without a lease (kv v1's `lease_duration`), seconds. */
  leaseDuration?: number;
  secret?: SecretResponse;
  auth?: AuthResponse;
  /** A non-200 status that still carries the envelope (kv v2's deleted version: 404 with data). */
  httpStatus?: number;
  /**
   * Core-internal (the token store): the `auth` block of a token that is already issued, rendered as is. Engines
   * return `auth` instead and let the core issue the token.
   */
  issuedAuth?: Record<string, unknown>;
  /** A body sent as is, outside the envelope (PKI PEM, sys/init's plain JSON). */
  raw?: { status: number; contentType: string; body: string | Buffer };
}

export type OperationHandler<F> = (req: EngineRequest, fields: F) => Promise<EngineResponse | null>;
