import type { ListOptions } from './physical.js';

/** Key ordering and validation shared by every storage backend and by buffered transactions. */

/**
 * Orders keys by the byte order of their UTF-8 encoding (SQLite's BINARY collation, Go's string order), which is
 * code-point order. Plain `<` on JS strings compares UTF-16 code units and puts U+10000… before U+E000…U+FFFF.
 */
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Only the first difference matters. Lift surrogates above U+E000…U+FFFF: that is exactly where the code
    // points they encode (U+10000 and up) sort.
    if (x >= 0xd800 && y >= 0xd800) {
      x = x < 0xe000 ? x + 0x2000 : x - 0x800;
      y = y < 0xe000 ? y + 0x2000 : y - 0x800;
    }
    return x - y;
  }
  return a.length - b.length;
}

const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Rejects a key that cannot round-trip through UTF-8 (a lone surrogate): SQLite would store mangled bytes and list
 * it back as a different string, so backends would disagree. Called on writes only; reads of such a key find nothing.
 */
export function assertWritableKey(key: string): void {
  if (typeof key !== 'string') throw new TypeError('storage key must be a string');
  if (LONE_SURROGATE.test(key)) throw new TypeError('storage key is not well-formed Unicode (lone surrogate)');
}

/** Rejects a value that is not a Buffer (a string would be stored as text by SQLite and read back as a string). */
export function assertValue(value: unknown): asserts value is Buffer {
  if (!Buffer.isBuffer(value)) throw new TypeError('storage value must be a Buffer');
}

/**
 * The one-level listing shared by backends. `keysFrom(from)` yields stored keys `>= from` in byte order, lazily:
 * the loop abandons the iterator at each sub-folder and seeks past it, so a folder holding a million keys costs
 * one seek, not a million reads.
 */
export function listOneLevel(
  prefix: string,
  options: ListOptions | undefined,
  keysFrom: (from: string) => Iterable<string>,
): string[] {
  const after = options?.after;
  const limit = options?.limit ?? 0;
  const out: string[] = [];
  // No entry greater than `after` can come from a key below `prefix + after` (an entry is a prefix of its key).
  let from = after !== undefined && after !== '' ? prefix + after : prefix;
  for (;;) {
    let seek: string | null = null;
    for (const key of keysFrom(from)) {
      if (!key.startsWith(prefix)) break;
      const rest = key.slice(prefix.length);
      const slash = rest.indexOf('/');
      const entry = slash < 0 ? rest : rest.slice(0, slash + 1);
      if (entry !== '' && (after === undefined || compareKeys(entry, after) > 0)) {
        out.push(entry);
        if (limit > 0 && out.length >= limit) return out;
      }
      if (slash >= 0) {
        // Every key starting with `…child/` is below `…child0` ('0' follows '/'), and nothing else is between.
        seek = `${prefix}${rest.slice(0, slash)}0`;
        break;
      }
    }
    if (seek === null) return out;
    from = seek;
  }
}

/** Fails every call on a closed backend with the same message, whatever the backend. */
export function closedError(): Error {
  return new Error('storage backend is closed');
}
