import type { Permissions } from './permissions.js';

/**
 * Parameter constraints (`required_parameters`, `denied_parameters`, `allowed_parameters`), checked as Vault's
 * `AllowOperation` checks them: required first, then denied (which beats allowed), then allowed. Keys compare
 * case-insensitively. A value that does not match as a whole is read as a list (an array, or a comma-separated
 * string, as Vault reads it): it is allowed only when every item is allowed, and denied when any item is denied.
 * A whole-value glob still wins, so `k = ["a*"]` allows `"a,b"`; write exact values where that matters.
 *
 * Unlike Vault, a `null` value counts as "not sent" (Ward's rule for request data everywhere), and an empty string
 * must itself match an allowed value (Vault lets `""` through any allowed list because it splits to no items).
 */
export function parameterViolation(p: Permissions, data: Record<string, unknown>): string | null {
  const keys = Object.keys(data).filter((k) => data[k] !== undefined && data[k] !== null);
  for (const name of p.requiredParameters) {
    // Vault looks the lowercased name up in the data as sent: a required "Foo" needs a "foo" key.
    if (!keys.includes(name.toLowerCase())) return `missing required parameter "${name}"`;
  }
  if (keys.length === 0) return null;

  const denied = p.deniedParameters;
  if (denied && denied.size > 0) {
    if (denied.has('*')) return 'all parameters are denied on this path';
    for (const key of keys) {
      const list = denied.get(key.toLowerCase());
      if (list && valueInDeniedList(data[key], list)) return `parameter "${key}" has a denied value`;
    }
  }

  const allowed = p.allowedParameters;
  if (!allowed || allowed.size === 0) return null;
  const allowAll = allowed.has('*');
  if (allowAll && allowed.size === 1) return null;
  for (const key of keys) {
    const list = allowed.get(key.toLowerCase());
    if (list === undefined) {
      if (!allowAll) return `parameter "${key}" is not allowed`;
    } else if (!valueInAllowedList(data[key], list)) {
      return `parameter "${key}" has a value that is not allowed`;
    }
  }
  return null;
}

/** Vault's comma-string reading of a value: split on commas, items trimmed. */
function commaItems(value: string): string[] {
  return value.split(',').map((s) => s.trim());
}

function valueInAllowedList(value: unknown, list: unknown[]): boolean {
  if (list.length === 0 || valueInList(value, list)) return true;
  if (Array.isArray(value)) return value.every((v) => valueInList(v, list));
  if (typeof value === 'string' && value !== '') return commaItems(value).every((v) => valueInList(v, list));
  return false;
}

function valueInDeniedList(value: unknown, list: unknown[]): boolean {
  if (list.length === 0 || valueInList(value, list)) return true;
  if (Array.isArray(value)) return value.some((v) => valueInList(v, list));
  if (typeof value === 'string') return commaItems(value).some((v) => valueInList(v, list));
  return false;
}

function valueInList(value: unknown, list: unknown[]): boolean {
  return list.some((entry) => {
    if (entry === null || value === null) return entry === value;
    if (typeof entry === 'string') {
      // Numbers and booleans arrive from JSON bodies as such but from query strings as text; compare their text.
      if (typeof value === 'number' || typeof value === 'boolean') return globMatch(entry, String(value));
      return typeof value === 'string' && globMatch(entry, value);
    }
    return deepEqual(entry, value);
  });
}

/**
 * Vault's `strutil.GlobbedStringsMatch`: a leading and/or trailing `*` makes a suffix, prefix or substring match;
 * a pattern shorter than two characters (so a lone `*`) only matches itself.
 */
export function globMatch(pattern: string, value: string): boolean {
  if (pattern.length < 2) return pattern === value;
  const prefix = pattern.startsWith('*');
  const suffix = pattern.endsWith('*');
  if (prefix && suffix) return value.includes(pattern.slice(1, -1));
  if (prefix) return value.endsWith(pattern.slice(1));
  if (suffix) return value.startsWith(pattern.slice(0, -1));
  return value === pattern;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(rb, k) && deepEqual(ra[k], rb[k]));
}
