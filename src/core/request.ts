import type { EngineResponse, Operation } from '../framework/types.js';

/** A request as the core sees it: transport-neutral (http/ builds it). */
export interface CoreRequest {
  id: string;
  operation: Operation;
  /** Logical path without `/v1/`, percent-decoded, e.g. `secret/data/foo`. List paths end with `/`. */
  path: string;
  data: Record<string, unknown>;
  /** The presented token, or '' when none. */
  token: string;
  remoteAddress: string;
  /** Seconds from `X-Vault-Wrap-TTL`; 0 or absent = do not wrap. */
  wrapTTL?: number;
}

/** The core's answer: the engine's response plus what the core adds (lease id). */
export interface CoreResponse extends EngineResponse {
  leaseId?: string;
  renewable?: boolean;
  /** Ward's lease timeline, added to the envelope of leased responses as extra fields. */
  leaseTimeline?: Record<string, unknown>;
  /** Set when the response was wrapped: only this is shown (§2.7). */
  wrapInfo?: Record<string, unknown>;
  /** Mount type that served the request (newer Vault adds `mount_type` to the envelope). */
  mountType?: string;
}
