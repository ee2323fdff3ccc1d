import { createHmac, randomBytes, type KeyObject } from 'node:crypto';

/** Length of a device salt: 32 random bytes, kept in the barrier beside the audit table. */
export const SALT_BYTES = 32;

/** A fresh device salt. */
export function newSalt(): Buffer {
  return randomBytes(SALT_BYTES);
}

/**
 * Vault's `salt.GetIdentifiedHMAC`: `hmac-sha256:` + hex(HMAC-SHA256(salt, value)). The same function serves the
 * log and `sys/audit-hash`, so an operator can find a leaked value in the log by hashing it.
 */
export function hashForDevice(salt: Buffer | KeyObject, value: string): string {
  return `hmac-sha256:${createHmac('sha256', salt).update(value, 'utf8').digest('hex')}`;
}

/** Hashes one string; the formatter passes a device's bound hasher around. */
export type Hasher = (value: string) => string;

/**
 * RFC 3339 with fractional seconds, trailing zeros trimmed, as Go's `time.RFC3339Nano` prints. A double of epoch
 * milliseconds holds about a quarter of a microsecond, so the fraction stops at microseconds.
 */
export function rfc3339NanoTrimmed(ms: number): string {
  const whole = Math.floor(ms);
  const micros = Math.min(999_999, (whole % 1000) * 1000 + Math.round((ms - whole) * 1000));
  const frac = String(micros).padStart(6, '0').replace(/0+$/, '');
  return `${secondsPrefix(whole)}${frac ? `.${frac}` : ''}Z`;
}

/** `YYYY-MM-DDTHH:MM:SS` of the last second asked for: every entry written in one second shares it. */
let lastSecond = Number.NaN;
let lastSecondText = '';
function secondsPrefix(wholeMs: number): string {
  const second = Math.floor(wholeMs / 1000);
  if (second !== lastSecond) {
    lastSecondText = new Date(second * 1000).toISOString().slice(0, 19);
    lastSecond = second;
  }
  return lastSecondText;
}

/**
 * Vault's `HashStructure`: a copy of `value` with every string replaced by its hash, at any depth, keys of objects
 * left alone. Numbers, booleans and null pass through (Vault hashes only strings, and says so in its docs). A string
 * whose nearest enclosing object key is in `plainKeys` is kept (the mount's `audit_non_hmac_*_keys`). Dates become
 * RFC 3339 strings unhashed, as Vault does for `time.Time`.
 */
export function hashValues(value: unknown, hash: Hasher, plainKeys: readonly string[] = [], key?: string): unknown {
  if (typeof value === 'string') return key !== undefined && plainKeys.includes(key) ? value : hash(value);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return rfc3339NanoTrimmed(value.getTime());
  if (Buffer.isBuffer(value)) return hashValues(value.toString('utf8'), hash, plainKeys, key);
  if (Array.isArray(value)) return value.map((v) => hashValues(v, hash, plainKeys, key));
  // Objects that choose their own JSON form (lib/sensitive's placeholder) are hashed as the client would see them.
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return hashValues((toJSON as () => unknown).call(value), hash, plainKeys, key);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v !== undefined) out[k] = hashValues(v, hash, plainKeys, k);
  }
  return out;
}
