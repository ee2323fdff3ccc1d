import { Command, CommanderError, Option } from 'commander';
import { parseDurationSecond } from './format/duration.js';
import { wrapAtLengthWithPadding } from './format/wrap.js';

/**
 * Command flags in Vault's style (`-key-shares=5`, `-format json`, `-f`, `--force`), parsed with commander after
 * {@link normalizeArgv} has rewritten them into commander's GNU form.
 */

/** What a flag holds: a switch, a string, an integer, a duration, a repeatable string, or repeatable `k=v`. */
export type FlagKind = 'bool' | 'string' | 'int' | 'duration' | 'strings' | 'map';

/** One flag a command accepts. */
export interface FlagSpec {
  /** Long name without dashes (`key-shares`). */
  name: string;
  kind: FlagKind;
  /** Other names, usually one letter (`n` for `key-shares`). */
  aliases?: string[];
  /** Environment variables giving the default, first one set wins. */
  env?: string[];
  /** Default when neither the flag nor an env var is given. */
  default?: string | number | boolean;
  /** Help section (`HTTP Options`, `Output Options`, `Command Options`). */
  section: string;
  usage: string;
}

/** A usage mistake: Vault prints the message and exits 1. */
export class UsageError extends Error {}

/** The result of normalising argv: GNU-style args for commander, or a help request. */
export type Normalized = { help: true } | { help: false; args: string[] };

const GO_TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const GO_FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** Go's strconv.ParseBool; undefined when the text is not a boolean. */
export function parseGoBool(s: string): boolean | undefined {
  if (GO_TRUE.has(s)) return true;
  if (GO_FALSE.has(s)) return false;
  return undefined;
}

function lookup(specs: readonly FlagSpec[], name: string): FlagSpec | undefined {
  return specs.find((s) => s.name === name || (s.aliases ?? []).includes(name));
}

/**
 * Rewrites Vault-style flags into commander's form: `-key-shares=5` and `-key-shares 5` become `--key-shares=5`,
 * aliases become their long name, `-force=false` becomes `--no-force`. Positional arguments (`key=value`, `-` for
 * stdin) and everything after `--` are left untouched; a value that follows a flag is attached with `=` so a
 * value beginning with a dash is never mistaken for a flag. `-h`, `-help` and `--help` ask for help.
 */
export function normalizeArgv(argv: readonly string[], specs: readonly FlagSpec[]): Normalized {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (arg === '-' || !arg.startsWith('-')) {
      out.push(arg);
      continue;
    }
    if (arg === '-h' || arg === '-help' || arg === '--help') return { help: true };
    const body = arg.startsWith('--') ? arg.slice(2) : arg.slice(1);
    const eq = body.indexOf('=');
    const name = eq < 0 ? body : body.slice(0, eq);
    const value = eq < 0 ? undefined : body.slice(eq + 1);
    const spec = name === '' ? undefined : lookup(specs, name);
    if (!spec) throw new UsageError(`flag provided but not defined: -${name}`);
    if (spec.kind === 'bool') {
      if (value === undefined) {
        out.push(`--${spec.name}`);
        continue;
      }
      const b = parseGoBool(value);
      if (b === undefined) throw new UsageError(`invalid boolean value ${JSON.stringify(value)} for -${name}: parse error`);
      out.push(b ? `--${spec.name}` : `--no-${spec.name}`);
      continue;
    }
    if (value !== undefined) {
      out.push(`--${spec.name}=${value}`);
      continue;
    }
    if (i + 1 >= argv.length) throw new UsageError(`flag needs an argument: -${name}`);
    out.push(`--${spec.name}=${argv[++i] as string}`);
  }
  return { help: false, args: out };
}

/** Parsed flag values with Vault's defaults and env fallbacks applied. */
export class FlagValues {
  constructor(
    private readonly values: ReadonlyMap<string, string | boolean | string[]>,
    private readonly given: ReadonlySet<string>,
  ) {}

  /** Whether the flag was on the command line (not from env or default). */
  isSet(name: string): boolean {
    return this.given.has(name);
  }

  /** A string flag ('' when unset). */
  str(name: string): string {
    const v = this.values.get(name);
    return typeof v === 'string' ? v : '';
  }

  /** A bool flag (false when unset). */
  bool(name: string): boolean {
    return this.values.get(name) === true;
  }

  /** A bool flag that distinguishes "not given" (undefined). */
  optionalBool(name: string): boolean | undefined {
    const v = this.values.get(name);
    return typeof v === 'boolean' ? v : undefined;
  }

  /** An int flag; parsed as Go's strconv.ParseInt(s, 0, 64). */
  int(name: string): number {
    const v = this.values.get(name);
    if (typeof v !== 'string' || v === '') return 0;
    const n = parseGoInt(v);
    if (n === undefined) throw new UsageError(`invalid value ${JSON.stringify(v)} for flag -${name}: strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
    return n;
  }

  /** A duration flag in nanoseconds (bare integers are seconds); 0 when unset. */
  duration(name: string): bigint {
    const v = this.values.get(name);
    if (typeof v !== 'string' || v === '') return 0n;
    try {
      return parseDurationSecond(v);
    } catch (e) {
      throw new UsageError(`invalid value ${JSON.stringify(v)} for flag -${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** A repeatable string flag. */
  list(name: string): string[] {
    const v = this.values.get(name);
    return Array.isArray(v) ? v : typeof v === 'string' && v !== '' ? [v] : [];
  }

  /** A repeatable `k=v` flag. */
  map(name: string): Record<string, string> | undefined {
    const items = this.list(name);
    if (items.length === 0) return undefined;
    const out: Record<string, string> = {};
    for (const item of items) {
      const eq = item.indexOf('=');
      if (eq < 0) throw new UsageError(`invalid value ${JSON.stringify(item)} for flag -${name}: missing = in KV pair: ${JSON.stringify(item)}`);
      out[item.slice(0, eq)] = item.slice(eq + 1);
    }
    return out;
  }
}

/** Go's strconv.ParseInt(s, 0, 64): decimal, `0x`, `0o`, `0b`, leading-zero octal, optional sign and underscores. */
export function parseGoInt(s: string): number | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO]?[0-7_]*|[1-9][0-9_]*)$/.exec(s);
  if (!m) return undefined;
  let body = (m[2] as string).replace(/_/g, '');
  let n: number;
  if (/^0[xX]/.test(body)) n = parseInt(body.slice(2), 16);
  else if (/^0[bB]/.test(body)) n = parseInt(body.slice(2), 2);
  else if (/^0[oO]/.test(body)) n = parseInt(body.slice(2), 8);
  else if (body.length > 1 && body.startsWith('0')) n = parseInt(body.slice(1), 8);
  else {
    body = body === '' ? '0' : body;
    n = parseInt(body, 10);
  }
  if (Number.isNaN(n)) return undefined;
  return m[1] === '-' ? -n : n;
}

const OPT_PREFIX = 'opt-';

/** Maps {@link normalizeArgv}'s `--name`, `--name=v` and `--no-name` onto the prefixed commander options. */
function toCommanderArgs(args: readonly string[], specs: readonly FlagSpec[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--') {
      out.push(...args.slice(i));
      break;
    }
    if (!arg.startsWith('--')) {
      out.push(arg);
      continue;
    }
    const body = arg.slice(2);
    const name = body.split('=', 1)[0] as string;
    if (specs.some((s) => s.name === name)) out.push(`--${OPT_PREFIX}${body}`);
    else if (name.startsWith('no-') && specs.some((s) => s.kind === 'bool' && s.name === name.slice(3))) out.push(`--no-${OPT_PREFIX}${body.slice(3)}`);
    else out.push(arg);
  }
  return out;
}

/** Parses a command's arguments: normalises them, lets commander read the flags, then applies env and defaults. */
export function parseFlags(argv: readonly string[], specs: readonly FlagSpec[], env: Readonly<Record<string, string | undefined>>): { help: true } | { help: false; flags: FlagValues; args: string[] } {
  const normalized = normalizeArgv(argv, specs);
  if (normalized.help) return { help: true };
  const cmd = new Command('ward')
    .helpOption(false)
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: () => undefined })
    .allowExcessArguments(true)
    .argument('[args...]');
  // Commander gives `--no-x` a meaning of its own, which would swallow flags such as `-no-store`; every option is
  // therefore registered under an `opt-` prefix, and the normalised arguments are mapped onto it.
  for (const spec of specs) {
    const long = `--${OPT_PREFIX}${spec.name}`;
    if (spec.kind === 'bool') {
      cmd.addOption(new Option(long));
      cmd.addOption(new Option(`--no-${OPT_PREFIX}${spec.name}`));
    } else if (spec.kind === 'strings' || spec.kind === 'map') {
      cmd.addOption(new Option(`${long} <value>`).argParser((v: string, prev: string[] | undefined) => [...(prev ?? []), v]));
    } else {
      cmd.addOption(new Option(`${long} <value>`));
    }
  }
  try {
    cmd.parse(toCommanderArgs(normalized.args, specs), { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) throw new UsageError(e.message.replace(/^error: /, ''));
    throw e;
  }
  const opts = cmd.opts<Record<string, unknown>>();
  const values = new Map<string, string | boolean | string[]>();
  const given = new Set<string>();
  for (const spec of specs) {
    const attr = new Option(`--${OPT_PREFIX}${spec.name}`).attributeName();
    const v = opts[attr];
    if (v !== undefined && cmd.getOptionValueSource(attr) === 'cli') {
      given.add(spec.name);
      values.set(spec.name, v as string | boolean | string[]);
      continue;
    }
    const fromEnv = (spec.env ?? []).map((e) => env[e]).find((x) => x !== undefined && (spec.kind !== 'bool' || x !== ''));
    if (fromEnv !== undefined) {
      if (spec.kind === 'bool') {
        const b = parseGoBool(fromEnv);
        if (b !== undefined) values.set(spec.name, b);
      } else {
        values.set(spec.name, fromEnv);
      }
      continue;
    }
    if (spec.default !== undefined) values.set(spec.name, typeof spec.default === 'number' ? String(spec.default) : spec.default);
  }
  return { help: false, flags: new FlagValues(values, given), args: cmd.args };
}

function placeholder(kind: FlagKind): string {
  switch (kind) {
    case 'bool':
      return '';
    case 'int':
      return '=<int>';
    case 'duration':
      return '=<duration>';
    case 'map':
      return '=<key=value>';
    default:
      return '=<string>';
  }
}

/** The flag part of a command's help, grouped in sections like Vault's FlagSets.Help(). */
export function flagsHelp(specs: readonly FlagSpec[]): string {
  const sections: string[] = [];
  for (const spec of specs) if (!sections.includes(spec.section)) sections.push(spec.section);
  return sections
    .map((section) => {
      const lines = specs
        .filter((s) => s.section === section)
        .map((s) => {
          const names = [s.name, ...(s.aliases ?? [])].map((n) => `-${n}${placeholder(s.kind)}`).join(', ');
          return `  ${names}\n${wrapAtLengthWithPadding(s.usage, 6)}`;
        });
      return `${section}:\n\n${lines.join('\n\n')}`;
    })
    .join('\n\n');
}
