import { z } from 'zod';
import { parseDurationSeconds } from '../lib/duration.js';
import { parseGoBool } from '../lib/parse-bool.js';
import { invalidRequest, isWardError } from '../lib/errors.js';

/**
 * Field declarations for engine paths. Each field carries a zod schema that implements Vault's weak typing once
 * (numeric strings for ints, "true"/1 for bools, comma strings for lists, duration strings for durations), and a
 * description that feeds `path-help`. `null` counts as "not supplied" (hvac sends nulls).
 */
export type FieldKind =
  | 'string'
  | 'lowercase-string'
  | 'int'
  | 'bool'
  | 'duration'
  | 'comma-string-list'
  | 'string-list'
  | 'comma-int-list'
  | 'map'
  | 'kv-pairs'
  | 'raw';

export interface FieldSpec<T = unknown, Present extends boolean = boolean> {
  readonly kind: FieldKind;
  readonly description: string;
  readonly schema: z.ZodType<T>;
  /**
   * The conversion `schema` wraps, when the field was built with a `field.*` builder: `parseFields` calls it directly
   * (same result and error text), which spares zod's per-value parse machinery on every request.
   */
  readonly convert?: (value: unknown) => T;
  readonly default?: T;
  readonly required?: boolean;
  /** Marks values that must never be echoed (passwords, keys); audit and help use it. */
  readonly sensitive?: boolean;
  /** Phantom: whether the parsed value is always present (has a default or is required). */
  readonly __present?: Present;
}

export type FieldMap = Record<string, FieldSpec>;

export type FieldValues<S extends FieldMap> = {
  [K in keyof S]: S[K] extends FieldSpec<infer T, infer P> ? (P extends true ? T : T | undefined) : never;
};

interface Options<T> {
  description?: string;
  default?: T;
  required?: boolean;
  sensitive?: boolean;
}

type Built<T, O> = O extends { default: unknown } ? FieldSpec<T, true> : O extends { required: true } ? FieldSpec<T, true> : FieldSpec<T, false>;

function coerced<T>(kind: FieldKind, convert: (value: unknown) => T) {
  return <O extends Options<T>>(options?: O): Built<T, O> => {
    const schema = z.unknown().transform((value, ctx) => {
      try {
        return convert(value);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: conversionMessage(err) });
        return z.NEVER;
      }
    }) as unknown as z.ZodType<T>;
    return { kind, description: options?.description ?? '', schema, convert, ...options } as unknown as Built<T, O>;
  };
}

/** The text of a failed conversion (never the value itself). */
function conversionMessage(err: unknown): string {
  return isWardError(err) || err instanceof Error ? err.message : String(err);
}

function toStringValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error('expected a string');
}

function toInt(value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^[-+]?\d+$/.test(value.trim())) return Number.parseInt(value.trim(), 10);
  if (typeof value === 'boolean') return value ? 1 : 0;
  throw new Error('expected an integer');
}

function toBool(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') {
    if (value === '') return false;
    const b = parseGoBool(value.trim());
    if (b !== undefined) return b;
  }
  throw new Error('expected a boolean');
}

function toCommaList(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => toCommaList(v));
  const s = toStringValue(value);
  return s.split(',').map((x) => x.trim()).filter((x) => x !== '');
}

function toStringList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(toStringValue);
  return [toStringValue(value)];
}

function toIntList(value: unknown): number[] {
  if (Array.isArray(value)) return value.map(toInt);
  if (typeof value === 'number') return [toInt(value)];
  return toCommaList(value).map(toInt);
}

function toMap(value: unknown): Record<string, unknown> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (trimmed === '') return {};
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    } catch {
      /* fall through to the error below */
    }
  }
  throw new Error('expected a map');
}

function toKVPairs(value: unknown): Record<string, string> {
  if (Array.isArray(value) || typeof value === 'string') {
    const out: Record<string, string> = {};
    for (const item of toCommaList(value)) {
      const eq = item.indexOf('=');
      if (eq <= 0) throw new Error('expected a map or a list of key=value pairs');
      out[item.slice(0, eq)] = item.slice(eq + 1);
    }
    return out;
  }
  const map = toMap(value);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map)) out[k] = toStringValue(v);
  return out;
}

function toDuration(value: unknown): number {
  if (typeof value === 'string' || typeof value === 'number') return parseDurationSeconds(value, 'field');
  throw new Error('expected a duration');
}

/** Field builders. */
export const field = {
  string: coerced<string>('string', toStringValue),
  lowercaseString: coerced<string>('lowercase-string', (v) => toStringValue(v).toLowerCase()),
  int: coerced<number>('int', toInt),
  bool: coerced<boolean>('bool', toBool),
  /** Seconds; accepts integers and Vault duration strings. */
  duration: coerced<number>('duration', toDuration),
  /** A JSON array or a comma-separated string; items trimmed, empty items dropped. */
  commaStringList: coerced<string[]>('comma-string-list', toCommaList),
  stringList: coerced<string[]>('string-list', toStringList),
  commaIntList: coerced<number[]>('comma-int-list', toIntList),
  map: coerced<Record<string, unknown>>('map', toMap),
  kvPairs: coerced<Record<string, string>>('kv-pairs', toKVPairs),
  raw: coerced<unknown>('raw', (v) => v),
};

/**
 * Parses `data` against `fields`: unknown keys are ignored (Vault clients send extra ones), `null` means absent,
 * defaults fill gaps. Every conversion error is collected into one 400.
 */
export function parseFields<S extends FieldMap>(fields: S, data: Record<string, unknown>): FieldValues<S> {
  const out: Record<string, unknown> = {};
  const errors: string[] = [];
  for (const name in fields) {
    const spec = fields[name] as FieldSpec;
    const value = data[name];
    if (value === undefined || value === null) {
      const fallback = spec.default;
      // Object defaults are copied: a handler may change what it is given.
      if (fallback !== undefined) out[name] = typeof fallback === 'object' && fallback !== null ? structuredClone(fallback) : fallback;
      else if (spec.required) errors.push(`missing required field "${name}"`);
      continue;
    }
    let why: string;
    if (spec.convert) {
      try {
        out[name] = spec.convert(value);
        continue;
      } catch (err) {
        why = conversionMessage(err);
      }
    } else {
      const result = spec.schema.safeParse(value);
      if (result.success) {
        out[name] = result.data;
        continue;
      }
      why = result.error.issues[0]?.message ?? 'invalid value';
    }
    // Never echo the value itself: it may be a secret.
    errors.push(`error converting input for field "${name}": ${why.replace(/^invalid duration for field: /, 'invalid duration: ')}`);
  }
  if (errors.length > 0) throw invalidRequest(errors);
  return out as FieldValues<S>;
}

/** A readable type name for help output, as Vault prints them. */
export function fieldTypeName(kind: FieldKind): string {
  switch (kind) {
    case 'lowercase-string': return 'lowercase_string';
    case 'duration': return 'duration (sec)';
    case 'comma-string-list': return 'comma_string_slice';
    case 'string-list': return 'slice';
    case 'comma-int-list': return 'comma_int_slice';
    case 'kv-pairs': return 'kv_pairs';
    default: return kind;
  }
}
