import { describe, expect, it } from 'vitest';
import type { FlagSpec } from './flags.js';
import { normalizeArgv, parseFlags, parseGoInt, UsageError } from './flags.js';

const specs: FlagSpec[] = [
  { name: 'key-shares', kind: 'int', aliases: ['n'], section: 'S', usage: '' },
  { name: 'key-threshold', kind: 'int', aliases: ['t'], section: 'S', usage: '' },
  { name: 'format', kind: 'string', env: ['WARD_FORMAT', 'VAULT_FORMAT'], default: 'table', section: 'S', usage: '' },
  { name: 'force', kind: 'bool', aliases: ['f'], section: 'S', usage: '' },
  { name: 'tls-skip-verify', kind: 'bool', env: ['WARD_SKIP_VERIFY'], section: 'S', usage: '' },
  { name: 'versions', kind: 'strings', section: 'S', usage: '' },
  { name: 'options', kind: 'map', section: 'S', usage: '' },
  { name: 'cas-required', kind: 'bool', section: 'S', usage: '' },
  { name: 'max-lease-ttl', kind: 'duration', section: 'S', usage: '' },
];

describe('normalizeArgv', () => {
  it('rewrites single-dash long flags, with = or a separate value', () => {
    expect(normalizeArgv(['-key-shares=5', '-key-threshold', '3'], specs)).toEqual({ help: false, args: ['--key-shares=5', '--key-threshold=3'] });
  });

  it('maps one-letter aliases and double-dash forms to the long name', () => {
    expect(normalizeArgv(['-n', '2', '--t=1', '-f', '--force'], specs)).toEqual({ help: false, args: ['--key-shares=2', '--key-threshold=1', '--force', '--force'] });
  });

  it('leaves key=value arguments, a lone dash and everything after -- untouched', () => {
    expect(normalizeArgv(['secret/foo', 'a=-b', '-', 'x=@file', '--', '-force', '-key-shares=9'], specs)).toEqual({
      help: false,
      args: ['secret/foo', 'a=-b', '-', 'x=@file', '--', '-force', '-key-shares=9'],
    });
  });

  it('attaches a separate value with = so a value starting with a dash is not read as a flag', () => {
    expect(normalizeArgv(['-format', '-weird'], specs)).toEqual({ help: false, args: ['--format=-weird'] });
  });

  it('turns Go boolean values into the flag or its negation', () => {
    expect(normalizeArgv(['-force=true', '-cas-required=false', '-f=0', '-force=T'], specs)).toEqual({ help: false, args: ['--force', '--no-cas-required', '--no-force', '--force'] });
  });

  it('asks for help on -h, -help and --help', () => {
    for (const h of ['-h', '-help', '--help']) expect(normalizeArgv(['secret/foo', h], specs)).toEqual({ help: true });
  });

  it('reports unknown flags, missing values and bad booleans as Go flag does', () => {
    expect(() => normalizeArgv(['-nope=1'], specs)).toThrow(new UsageError('flag provided but not defined: -nope'));
    expect(() => normalizeArgv(['-format'], specs)).toThrow(new UsageError('flag needs an argument: -format'));
    expect(() => normalizeArgv(['-force=maybe'], specs)).toThrow(new UsageError('invalid boolean value "maybe" for -force: parse error'));
  });
});

describe('parseFlags', () => {
  it('parses `operator init -key-shares=5 -key-threshold=3` exactly as written', () => {
    const r = parseFlags(['-key-shares=5', '-key-threshold=3'], specs, {});
    if (r.help) throw new Error('unexpected help');
    expect(r.flags.int('key-shares')).toBe(5);
    expect(r.flags.int('key-threshold')).toBe(3);
    expect(r.args).toEqual([]);
  });

  it('collects positionals around flags and repeated flags in order', () => {
    const r = parseFlags(['secret/foo', '-versions=1,2', 'a=b', '-versions', '3', '-options=version=2', '-options=x=y=z'], specs, {});
    if (r.help) throw new Error('unexpected help');
    expect(r.args).toEqual(['secret/foo', 'a=b']);
    expect(r.flags.list('versions')).toEqual(['1,2', '3']);
    expect(r.flags.map('options')).toEqual({ version: '2', x: 'y=z' });
  });

  it('takes defaults from the first env var set, and the flag over both', () => {
    const none = parseFlags([], specs, {});
    const env = parseFlags([], specs, { VAULT_FORMAT: 'yaml', WARD_SKIP_VERIFY: 'true' });
    const both = parseFlags([], specs, { WARD_FORMAT: 'json', VAULT_FORMAT: 'yaml' });
    const flag = parseFlags(['-format=table'], specs, { WARD_FORMAT: 'json' });
    if (none.help || env.help || both.help || flag.help) throw new Error('unexpected help');
    expect(none.flags.str('format')).toBe('table');
    expect(env.flags.str('format')).toBe('yaml');
    expect(env.flags.bool('tls-skip-verify')).toBe(true);
    expect(both.flags.str('format')).toBe('json');
    expect(flag.flags.str('format')).toBe('table');
    expect(flag.flags.isSet('format')).toBe(true);
    expect(both.flags.isSet('format')).toBe(false);
  });

  it('keeps a tri-state boolean unset unless given', () => {
    const unset = parseFlags([], specs, {});
    const off = parseFlags(['-cas-required=false'], specs, {});
    if (unset.help || off.help) throw new Error('unexpected help');
    expect(unset.flags.optionalBool('cas-required')).toBeUndefined();
    expect(off.flags.optionalBool('cas-required')).toBe(false);
    expect(off.flags.isSet('cas-required')).toBe(true);
  });

  it('words bad int, duration and map values like Vault', () => {
    const r = parseFlags(['-key-shares=abc', '-max-lease-ttl=soon', '-options=novalue'], specs, {});
    if (r.help) throw new Error('unexpected help');
    expect(() => r.flags.int('key-shares')).toThrow('invalid value "abc" for flag -key-shares: strconv.ParseInt: parsing "abc": invalid syntax');
    expect(() => r.flags.duration('max-lease-ttl')).toThrow('invalid value "soon" for flag -max-lease-ttl: time: invalid duration "soon"');
    expect(() => r.flags.map('options')).toThrow('invalid value "novalue" for flag -options: missing = in KV pair: "novalue"');
  });

  it('reads durations as Vault does: bare integers are seconds', () => {
    const r = parseFlags(['-max-lease-ttl=90'], specs, {});
    const h = parseFlags(['-max-lease-ttl=1h30m'], specs, {});
    if (r.help || h.help) throw new Error('unexpected help');
    expect(r.flags.duration('max-lease-ttl')).toBe(90_000_000_000n);
    expect(h.flags.duration('max-lease-ttl')).toBe(5_400_000_000_000n);
  });
});

describe('parseGoInt', () => {
  it('accepts Go integer literals and nothing else', () => {
    expect(parseGoInt('42')).toBe(42);
    expect(parseGoInt('-1')).toBe(-1);
    expect(parseGoInt('0x10')).toBe(16);
    expect(parseGoInt('010')).toBe(8);
    expect(parseGoInt('1_000')).toBe(1000);
    expect(parseGoInt('1.5')).toBeUndefined();
    expect(parseGoInt('')).toBeUndefined();
    expect(parseGoInt('5x')).toBeUndefined();
  });
});

describe('flags whose names start with no-', () => {
  const loginSpecs: FlagSpec[] = [
    { name: 'no-store', kind: 'bool', section: 'S', usage: '' },
    { name: 'no-print', kind: 'bool', section: 'S', usage: '' },
  ];

  it('are plain switches, not commander negations', () => {
    const given = parseFlags(['-no-store', 'tok'], loginSpecs, {});
    const none = parseFlags(['tok'], loginSpecs, {});
    const off = parseFlags(['-no-store=false'], loginSpecs, {});
    if (given.help || none.help || off.help) throw new Error('unexpected help');
    expect(given.flags.bool('no-store')).toBe(true);
    expect(given.flags.bool('no-print')).toBe(false);
    expect(given.args).toEqual(['tok']);
    expect(none.flags.bool('no-store')).toBe(false);
    expect(off.flags.bool('no-store')).toBe(false);
    expect(off.flags.isSet('no-store')).toBe(true);
  });
});
