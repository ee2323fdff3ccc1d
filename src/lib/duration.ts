import { invalidRequest } from './errors.js';

const UNIT_SECONDS: Record<string, number> = {
  ns: 1e-9,
  us: 1e-6,
  'µs': 1e-6,
  'μs': 1e-6,
  ms: 1e-3,
  s: 1,
  m: 60,
  h: 3600,
  d: 86400,
};

// Go-style: one or more "<number><unit>" groups ("1h30m"), or a bare number of seconds ("3600", "1.5").
const GROUP = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h|d)/y;

/**
 * Parses a Vault duration: an integer number of seconds, or a string of a number with an optional unit
 * (`"3600"`, `"1.5h"`, `"720h"`, `"30d"`, `"1h30m"`). Returns whole seconds (fractions are truncated, as Vault does).
 * Throws an invalid_request error naming `field` for anything else, and for negative values.
 */
export function parseDurationSeconds(value: unknown, field = 'duration'): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw invalidRequest(`invalid duration for ${field}: must be a non-negative number of seconds`);
    return Math.trunc(value);
  }
  if (typeof value !== 'string') throw invalidRequest(`invalid duration for ${field}: expected a number of seconds or a string such as "30m"`);
  const text = value.trim();
  if (text === '') return 0;
  if (/^\d+(?:\.\d+)?$/.test(text)) return Math.trunc(Number(text));
  if (text.startsWith('-')) throw invalidRequest(`invalid duration for ${field}: must not be negative`);
  let total = 0;
  GROUP.lastIndex = 0;
  let pos = 0;
  while (pos < text.length) {
    GROUP.lastIndex = pos;
    const m = GROUP.exec(text);
    if (!m || m.index !== pos) {
      throw invalidRequest(`invalid duration for ${field}: expected a number of seconds or a duration such as "90s", "30m", "1h30m", "720h"`);
    }
    total += Number(m[1]) * (UNIT_SECONDS[m[2] as string] ?? 0);
    pos = GROUP.lastIndex;
  }
  if (!Number.isFinite(total) || total > Number.MAX_SAFE_INTEGER) throw invalidRequest(`invalid duration for ${field}: too large`);
  return Math.trunc(total + 1e-9);
}

/** Formats seconds as Go's time.Duration String() does ("768h0m0s", "30m0s", "0s"). */
export function formatGoDuration(seconds: number): string {
  if (seconds === 0) return '0s';
  const neg = seconds < 0;
  let s = Math.abs(Math.trunc(seconds));
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  let out = '';
  if (h > 0) out = `${h}h${m}m${s}s`;
  else if (m > 0) out = `${m}m${s}s`;
  else out = `${s}s`;
  return neg ? `-${out}` : out;
}
