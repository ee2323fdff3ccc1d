/**
 * Go durations: `time.Duration.String()` (what Vault sends as TTLs and prints), Vault's `humanDuration`
 * (which drops the zero minutes and seconds), and `parseutil.ParseDurationSecond` (what duration flags accept).
 */

const NS = 1n;
const US = 1000n * NS;
const MS = 1000n * US;
const SEC = 1000n * MS;
const MIN = 60n * SEC;
const HOUR = 60n * MIN;

function fracString(value: bigint, unit: bigint, digits: number): string {
  const whole = value / unit;
  const rest = value % unit;
  if (rest === 0n) return whole.toString();
  const frac = rest.toString().padStart(digits, '0').replace(/0+$/, '');
  return `${whole}.${frac}`;
}

/** Go's `time.Duration(ns).String()`: `0s`, `1.5ms`, `90s` → `1m30s`, `768h0m0s`. */
export function goDurationString(nanoseconds: bigint): string {
  if (nanoseconds === 0n) return '0s';
  const neg = nanoseconds < 0n;
  const u = neg ? -nanoseconds : nanoseconds;
  let s: string;
  if (u < SEC) {
    if (u < US) s = `${u}ns`;
    else if (u < MS) s = `${fracString(u, US, 3)}µs`;
    else s = `${fracString(u, MS, 6)}ms`;
  } else {
    const secs = fracString(u % MIN, SEC, 9);
    const totalMinutes = u / MIN;
    if (totalMinutes === 0n) s = `${secs}s`;
    else {
      const hours = totalMinutes / 60n;
      const minutes = totalMinutes % 60n;
      s = hours > 0n ? `${hours}h${minutes}m${secs}s` : `${minutes}m${secs}s`;
    }
  }
  return neg ? `-${s}` : s;
}

/** {@link goDurationString} of a whole or fractional number of seconds. */
export function secondsToGoDuration(seconds: number): string {
  return goDurationString(BigInt(Math.round(seconds * 1e9)));
}

/** Vault's humanDuration: the Go duration string without "pesky zeros" (`768h0m0s` → `768h`, `1h30m0s` → `1h30m`). */
export function humanDuration(seconds: number): string {
  if (seconds === 0) return '0s';
  let s = secondsToGoDuration(seconds);
  if (s.endsWith('m0s')) s = s.slice(0, -2);
  const idx = s.indexOf('h0m');
  if (idx > 0) s = s.slice(0, idx + 1) + s.slice(idx + 3);
  return s;
}

/** Vault's humanDurationInt: integers become durations of that many seconds; anything else is returned as is. */
export function humanDurationValue(v: unknown): unknown {
  if (typeof v === 'number' && Number.isInteger(v)) return humanDuration(v);
  return v;
}

/** Keys whose integer values Vault prints as durations (command/format.go, looksLikeDuration). */
export function looksLikeDuration(k: string): boolean {
  return (
    k === 'period' || k.endsWith('_period') || k === 'ttl' || k.endsWith('_ttl') || k === 'duration' || k.endsWith('_duration') ||
    k === 'lease_max' || k === 'ttl_max'
  );
}

const UNITS: Record<string, bigint> = { ns: NS, us: US, 'µs': US, 'μs': US, ms: MS, s: SEC, m: MIN, h: HOUR };

/** Go's time.ParseDuration, returning nanoseconds; throws `time: invalid duration "x"` like Go. */
export function parseGoDuration(input: string): bigint {
  const invalid = (): Error => new Error(`time: invalid duration ${JSON.stringify(input)}`);
  let s = input;
  let neg = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    neg = s.startsWith('-');
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') throw invalid();
  let total = 0n;
  const re = /^(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/;
  while (s !== '') {
    const m = re.exec(s);
    if (!m || (m[1] === '' && (m[2] ?? '') === '')) {
      if (m === null && /^(\d*)(\.\d*)?$/.test(s)) throw new Error(`time: missing unit in duration ${JSON.stringify(input)}`);
      throw invalid();
    }
    const unit = UNITS[m[3] as string] as bigint;
    const whole = BigInt(m[1] === '' ? '0' : (m[1] as string));
    let value = whole * unit;
    const frac = m[2] ?? '';
    if (frac !== '') value += (BigInt(frac) * unit) / 10n ** BigInt(frac.length);
    total += value;
    s = s.slice(m[0].length);
  }
  return neg ? -total : total;
}

/**
 * Vault's parseutil.ParseDurationSecond: a bare integer is seconds, `Nd` is days, anything else a Go duration.
 * Returns nanoseconds.
 */
export function parseDurationSecond(input: string): bigint {
  const s = input.trim();
  if (s === '') return 0n;
  if (/^-?\d+$/.test(s)) return BigInt(s) * SEC;
  const days = /^(\d+)d$/.exec(s);
  if (days) return BigInt(days[1] as string) * 24n * HOUR;
  return parseGoDuration(s);
}
