import { invalidRequest, type WardError } from '../lib/errors.js';
import { parseGoBool } from '../lib/parse-bool.js';
import { DEFAULT_ENTRY_OPTIONS, type EntryOptions } from './entry.js';

/** Vault's `ErrExternalOptions` text: option errors read `unable to parse "log_raw": invalid configuration`. */
const INVALID = 'invalid configuration';

export const optionError = (what: string): WardError => invalidRequest(`${what}: ${INVALID}`);

/** The output format of a device. */
export type AuditFormat = 'json' | 'jsonx';

/** Options every device type takes (Vault's "common configuration options"). */
export interface CommonOptions extends EntryOptions {
  format: AuditFormat;
  /** Written before each entry, as is. */
  prefix: string;
}

/** Go's strconv.ParseBool over one option, or the default when absent. */
export function boolOption(options: Record<string, string>, name: string, fallback: boolean): boolean {
  const raw = options[name];
  if (raw === undefined) return fallback;
  const v = parseGoBool(raw);
  if (v === undefined) throw optionError(`unable to parse "${name}"`);
  return v;
}

/** Parses the common options; throws a 400 naming the option that is wrong. */
export function parseCommonOptions(options: Record<string, string>): CommonOptions {
  // Vault CE refuses its Enterprise-only options rather than ignoring a filter the operator relies on.
  if ('fallback' in options || 'filter' in options) throw optionError('enterprise-only options supplied');
  const format = options.format ?? 'json';
  if (format !== 'json' && format !== 'jsonx') throw optionError('unsupported "format"');
  return {
    format,
    prefix: options.prefix ?? '',
    hmacAccessor: boolOption(options, 'hmac_accessor', DEFAULT_ENTRY_OPTIONS.hmacAccessor),
    logRaw: boolOption(options, 'log_raw', DEFAULT_ENTRY_OPTIONS.logRaw),
    elideListResponses: boolOption(options, 'elide_list_responses', DEFAULT_ENTRY_OPTIONS.elideListResponses),
  };
}

const GO_UNITS_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Go's `time.ParseDuration` in milliseconds (`"2s"`, `"500ms"`, `"1m30s"`); a bare number is taken as seconds.
 * Throws a 400 naming the option.
 */
export function durationOptionMs(raw: string, name: string): number {
  const text = raw.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let pos = 0;
  while (pos < text.length) {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) throw optionError(`unable to parse "${name}"`);
    total += Number(m[1]) * (GO_UNITS_MS[m[2] as string] as number);
    pos = re.lastIndex;
  }
  if (text === '') throw optionError(`unable to parse "${name}"`);
  return total;
}

/** A file mode given as an octal string (`"0600"`, `"644"`); 0 means "leave the file's mode alone". */
export function fileModeOption(raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  if (!/^0?[0-7]{1,4}$/.test(raw.trim())) throw optionError('unable to parse "mode"');
  return Number.parseInt(raw.trim(), 8);
}
