import type { z } from 'zod';
import type { BatchOp } from './storage.js';
import type { EngineRequest } from './types.js';

/** What renew and revoke hooks receive about the lease. */
export interface LeaseView<I> {
  leaseId: string;
  /** The internal data stored at issue time, validated against the secret's schema. */
  internal: I;
  issueTime: number;
  expireTime: number;
  /** Requested increment on renew, in seconds (0 = default). */
  increment: number;
}

export interface SecretDefinition<I> {
  type: string;
  /** Validates the internal data when it is stored and again when it is read back. */
  internal: z.ZodType<I>;
  /** Extends the credential's life at the target; absent → the secret is not renewable beyond its first TTL. */
  renew?: (req: EngineRequest, lease: LeaseView<I>) => Promise<{ ttl?: number; maxTTL?: number } | void>;
  /**
   * Destroys the credential at the target. MUST be idempotent: a credential that is already gone is success.
   * Throw to ask for a retry (the expiration manager backs off and keeps trying).
   */
  revoke: (req: EngineRequest, lease: LeaseView<I>) => Promise<void>;
  /**
   * Writes to the engine's own storage (keys relative to it) that the core commits in the same storage batch as the
   * lease record: both happen, or neither. Engines that keep a "creation pending" record (so that a crash
   * mid-creation is cleaned up) delete it here, so there is never a moment when the lease exists and the pending
   * record still says the user was never handed out — and no extra commit per credential.
   */
  recordedWrites?: (lease: LeaseView<I>) => BatchOp[];
}

export type SecretSpec = SecretDefinition<unknown>;

export function defineSecret<I>(def: SecretDefinition<I>): SecretSpec {
  return def as unknown as SecretSpec;
}
