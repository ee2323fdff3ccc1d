import type { MaxSource } from './lease-record.js';

/** Inputs of spec §1.6's lease arithmetic, all in seconds (0 = not set). */
export interface TTLInputs {
  /** Requested or role TTL. */
  requested: number;
  roleMax: number;
  mountDefault: number;
  mountMax: number;
  systemDefault: number;
  systemMax: number;
}

export interface TTLResult {
  /** Seconds. */
  ttl: number;
  /** Seconds from issue to the hard end. */
  max: number;
  maxSource: MaxSource;
}

/**
 * TTL = requested/role TTL → mount default → system default; never beyond min(role max, mount max, system max).
 * Returns which limit is the binding one, so a client can see its cap coming.
 */
export function leaseTTL(i: TTLInputs): TTLResult {
  const limits: Array<[number, MaxSource]> = [[i.systemMax, 'system']];
  if (i.mountMax > 0) limits.push([i.mountMax, 'mount']);
  if (i.roleMax > 0) limits.push([i.roleMax, 'role']);
  // The smallest limit binds; on a tie the most specific (role, then mount) is named.
  let [max, maxSource] = limits[0] as [number, MaxSource];
  for (const [v, s] of limits) if (v <= max) [max, maxSource] = [v, s];
  const wanted = i.requested > 0 ? i.requested : i.mountDefault > 0 ? i.mountDefault : i.systemDefault;
  return { ttl: Math.min(wanted, max), max, maxSource };
}

/** Exponential backoff with full jitter, capped: attempt 1 → up to base, doubling until `cap`. Milliseconds. */
export function retryDelay(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(30, Math.max(0, attempt - 1)));
  // Half fixed, half jitter: never retry immediately, never all at once.
  return Math.floor(ceiling / 2 + random() * (ceiling / 2));
}
