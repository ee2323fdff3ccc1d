import { compareGoStrings } from './gofmt.js';

/**
 * Go's `json.MarshalIndent(v, "", "  ")` for the values the CLI prints. A JS `Map` stands for a Go struct (fields
 * in declaration order); a plain object stands for a Go map (keys sorted byte-wise, as encoding/json does). Like
 * Go, `<`, `>`, `&`, U+2028 and U+2029 inside strings are escaped.
 */
export function goJson(value: unknown, indent = '  '): string {
  return encode(value, indent, '');
}

function encodeString(s: string): string {
  return JSON.stringify(s)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function entriesOf(value: object): [string, unknown][] {
  if (value instanceof Map) return [...(value as Map<string, unknown>).entries()];
  const obj = value as Record<string, unknown>;
  return Object.keys(obj)
    .sort(compareGoStrings)
    .filter((k) => obj[k] !== undefined)
    .map((k) => [k, obj[k]]);
}

function encode(value: unknown, indent: string, current: string): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return encodeString(value);
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const inner = current + indent;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => inner + encode(v, indent, inner)).join(',\n')}\n${current}]`;
  }
  if (typeof value === 'object') {
    const entries = entriesOf(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([k, v]) => `${inner}${encodeString(k)}: ${encode(v, indent, inner)}`).join(',\n')}\n${current}}`;
  }
  return 'null';
}
