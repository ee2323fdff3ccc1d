import { invalidRequest } from '../../framework/index.js';

/** Vault's limits on a secret's custom_metadata. */
export const MAX_CUSTOM_METADATA_KEYS = 64;
export const MAX_CUSTOM_METADATA_KEY_BYTES = 128;
export const MAX_CUSTOM_METADATA_VALUE_BYTES = 512;
const PREFIX = 'custom_metadata validation failed';

// Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
const NOT_PRINTABLE = /[^\p{L}\p{M}\p{N}\p{P}\p{S} ]/u;

/**
 * Converts the request's custom_metadata map to strings, weakly typed as Vault's mapstructure does (numbers and
 * booleans become strings). `null` values are kept as `null` for PATCH (they remove a key) and become "" on a write
 * (which validation then refuses). Nested values are refused.
 */
export function parseCustomMetadata(raw: Record<string, unknown>, keepNulls: boolean): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(raw)) {
    let s: string | null;
    if (v === null) s = keepNulls ? null : '';
    else if (typeof v === 'string') s = v;
    else if (typeof v === 'number') s = String(v);
    else if (typeof v === 'boolean') s = v ? '1' : '0';
    // Never echo the value: custom metadata is not secret, but keep error texts free of user data beyond keys.
    else throw invalidRequest(`${PREFIX}: value for key ${JSON.stringify(k)} must be a string`);
    Object.defineProperty(out, k, { value: s, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * Vault's validation: at most 64 keys (checked first, alone), then every key and value 1..128 / 1..512 bytes and
 * printable. All problems are reported together, one message each.
 */
export function validateCustomMetadata(map: Record<string, string>): void {
  const keys = Object.keys(map);
  if (keys.length > MAX_CUSTOM_METADATA_KEYS) {
    throw invalidRequest(`${PREFIX}: payload must contain at most ${MAX_CUSTOM_METADATA_KEYS} keys, provided ${keys.length}`);
  }
  const errors: string[] = [];
  for (const key of keys) {
    const value = map[key] ?? '';
    const keyLen = Buffer.byteLength(key, 'utf8');
    const valueLen = Buffer.byteLength(value, 'utf8');
    const q = JSON.stringify(key);
    if (keyLen === 0 || keyLen > MAX_CUSTOM_METADATA_KEY_BYTES) {
      errors.push(`${PREFIX}: length of key ${q} is ${keyLen} but must be 0 < len(key) <= ${MAX_CUSTOM_METADATA_KEY_BYTES}`);
    }
    if (valueLen === 0 || valueLen > MAX_CUSTOM_METADATA_VALUE_BYTES) {
      errors.push(
        `${PREFIX}: length of value for key ${q} is ${valueLen} but must be 0 < len(value) <= ${MAX_CUSTOM_METADATA_VALUE_BYTES}`,
      );
    }
    if (NOT_PRINTABLE.test(key)) errors.push(`${PREFIX}: key ${q} contains unprintable characters`);
    if (NOT_PRINTABLE.test(value)) errors.push(`${PREFIX}: value for key ${q} contains unprintable characters`);
  }
  if (errors.length > 0) throw invalidRequest(errors);
}
