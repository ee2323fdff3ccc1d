/**
 * Go `fmt` renderings of JSON-decoded values, so table cells read exactly as the `vault` binary prints them:
 * `%v` of maps is `map[k:v]` with sorted keys, of slices `[a b]`, of nil `<nil>`; `%q` of a string slice is
 * `["a" "b"]`.
 */

/** Go's `%v` of a value decoded from JSON (numbers as json.Number, maps with sorted keys). */
export function goValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  if (v instanceof Map) {
    return `{${[...v.values()].map(goValue).join(' ')}}`;
  }
  if (typeof v === 'object') {
    const obj = v as Record<string, unknown>;
    const keys = Object.keys(obj).sort(compareGoStrings);
    return `map[${keys.map((k) => `${k}:${goValue(obj[k])}`).join(' ')}]`;
  }
  return String(v);
}

/** Byte-wise string order, as Go's `sort.Strings` and its map printing use. */
export function compareGoStrings(a: string, b: string): number {
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  return Buffer.compare(ab, bb);
}

/** Go's strconv.Quote for ordinary strings (JSON escaping differs only for rare control characters). */
export function goQuote(s: string): string {
  return JSON.stringify(s).replace(/\\u007f/g, '\\x7f');
}

/** Go's `%q` of a []string: `["a" "b"]`; a nil or empty slice prints `[]`. */
export function goQuoteSlice(list: readonly string[] | null | undefined): string {
  return `[${(list ?? []).map(goQuote).join(' ')}]`;
}

/**
 * Go's `time.Time.String()` (`2006-01-02 15:04:05.999999999 -0700 MST`) of an RFC 3339 timestamp, as Vault
 * prints wrapping creation times. Unparseable input is returned unchanged.
 */
export function goTimeString(rfc3339: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(rfc3339);
  if (!m) return rfc3339;
  const frac = (m[3] ?? '').replace(/0+$/, '');
  const zone = m[4] === 'Z' ? '+0000 UTC' : `${(m[4] ?? '').replace(':', '')} ${(m[4] ?? '').replace(':', '')}`;
  return `${m[1]} ${m[2]}${frac === '.' ? '' : frac} ${zone}`;
}
