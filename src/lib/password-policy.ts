import { randomInt } from 'node:crypto';
import { WardError } from './errors.js';

/**
 * Password policies (`sys/policies/password/:name`), as Vault defines them (sdk/helper/random): a `length` and
 * `rule "charset"` blocks, each with a `charset` and an optional `min-chars`. A password is drawn uniformly from the
 * de-duplicated union of the charsets with a CSPRNG and kept only if every rule holds; otherwise a fresh one is
 * drawn. That is rejection sampling, so every valid password is equally likely.
 */

/** One `rule "charset"` block. */
export interface CharsetRule {
  /** The characters this rule counts (and adds to the alphabet). */
  readonly charset: string;
  /** How many characters of the password must come from `charset` (0: none required). */
  readonly minChars: number;
}

export interface PasswordPolicy {
  readonly length: number;
  readonly rules: readonly CharsetRule[];
}

/** Vault's bounds on `length` (vault/logical_system.go). */
export const MIN_PASSWORD_LENGTH = 4;
export const MAX_PASSWORD_LENGTH = 100;
/** Vault's bound on the union of the charsets. */
export const MAX_CHARSET_LENGTH = 256;
/** How long one generation may retry before giving up, as Vault (1 s). */
export const GENERATE_TIMEOUT_MS = 1000;

/** Vault's default: 20 characters of [A-Za-z0-9-] with at least one lowercase, uppercase, digit and `-`. */
export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = Object.freeze({
  length: 20,
  rules: Object.freeze([
    Object.freeze({ charset: 'abcdefghijklmnopqrstuvwxyz', minChars: 1 }),
    Object.freeze({ charset: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', minChars: 1 }),
    Object.freeze({ charset: '0123456789', minChars: 1 }),
    Object.freeze({ charset: '-', minChars: 1 }),
  ]),
});

/** Thrown by {@link generatePassword} when no candidate passed the rules in time. */
export class PasswordGenerationTimeout extends WardError {
  constructor(ms: number) {
    super('internal', `failed to generate password from policy: no candidate satisfied the rules within ${ms}ms`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Parsing

interface Position {
  line: number;
  column: number;
}

/** Finds the offset of something in the policy's source text, or null. */
type Locator = (raw: string) => number | null;

/** A problem with the policy's content; `at` finds it in the source text when it can. */
class ShapeError extends Error {
  constructor(
    message: string,
    readonly at: Locator = () => null,
  ) {
    super(message);
  }
}

function positionOf(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
}

function policyError(message: string, at: Position | null): WardError {
  return new WardError('invalid_request', at ? `invalid password policy at line ${at.line}, column ${at.column}: ${message}` : `invalid password policy: ${message}`);
}

/**
 * Where the `n`-th match of `pattern` (searching from the offset `from` finds) starts in the source text; a first
 * capture group is a prefix to step over.
 */
function find(pattern: RegExp, n = 0, from: Locator = () => 0): Locator {
  return (raw) => {
    const start = from(raw);
    if (start === null) return null;
    const re = new RegExp(pattern.source, 'g');
    re.lastIndex = start;
    let m: RegExpExecArray | null = null;
    for (let i = 0; i <= n; i++) {
      m = re.exec(raw);
      if (!m) return null;
    }
    return m ? m.index + (m[1]?.length ?? 0) : null;
  };
}

/**
 * Parses a password policy written in HCL (`length = 20` and `rule "charset" { … }` blocks, one attribute per
 * line) or JSON, and validates it as Vault does: `length` 4..100, at least one charset, no empty charset, only
 * printable characters, at most 256 distinct characters, `min-chars` ≥ 0 and their sum ≤ `length`, `charset` the
 * only rule type. Every problem is a 400 naming the line and column when they are known.
 */
export async function parsePasswordPolicy(text: string): Promise<PasswordPolicy> {
  const json = /^\s*[{[]/.test(text);
  const tree = json ? parseJSON(text) : await parseHCL(text);
  try {
    const policy = policyFromTree(tree, !json);
    compile(policy);
    return policy;
  } catch (err) {
    if (!(err instanceof ShapeError)) throw err;
    const offset = json ? null : err.at(text);
    throw policyError(err.message, offset === null ? null : positionOf(text, offset));
  }
}

function parseJSON(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const lineCol = /\(line (\d+) column (\d+)\)/.exec(message);
    const pos = /at position (\d+)/.exec(message);
    const at = lineCol ? { line: Number(lineCol[1]), column: Number(lineCol[2]) } : pos ? positionOf(raw, Number(pos[1])) : null;
    throw policyError(`invalid JSON: ${message.replace(/\s*\(line \d+ column \d+\)/, '').replace(/\s*in JSON at position \d+/, '')}`, at);
  }
}

// hcl2json names the file in every diagnostic; a fixed name is easy to find and strip again.
const HCL_NAME = 'ward-password-policy.hcl';
const DIAGNOSTIC = /ward-password-policy\.hcl:(\d+),(\d+)(?:-(?:\d+,)?\d+)?: /g;

async function parseHCL(raw: string): Promise<unknown> {
  // Imported on first use: the module boots a Go WebAssembly runtime that a process without policies never needs.
  const { parse } = await import('@cdktf/hcl2json');
  try {
    return (await parse(HCL_NAME, raw)) as unknown;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const starts = [...message.matchAll(DIAGNOSTIC)];
    if (starts.length === 0) throw policyError(message.replace(/^parse config: /, ''), null);
    throw new WardError(
      'invalid_request',
      starts.map((m, i) => {
        const detail = message
          .slice(m.index + m[0].length, starts[i + 1]?.index ?? message.length)
          .trim()
          .replace(/\]$/, '')
          .replace(/ward-password-policy\.hcl:(\d+),(\d+)(?:-(?:\d+,)?\d+)?/g, 'line $1, column $2');
        return `invalid password policy at line ${m[1]}, column ${m[2]}: ${detail}`;
      }),
    );
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function policyFromTree(tree: unknown, hcl: boolean): PasswordPolicy {
  if (!isRecord(tree)) throw new ShapeError('the policy must be an object with "length" and "rule"');
  for (const key of Object.keys(tree)) {
    if (key !== 'length' && key !== 'rule') throw new ShapeError(`unknown key "${key}" (expected "length" and "rule" blocks)`, find(new RegExp(`((?:^|\\n)[ \\t]*)"?${escapeRe(key)}\\b`)));
  }
  const length = toInt(tree.length, '"length"', find(/((?:^|\n)[ \t]*)"?length\b/));
  const rules = rulesFrom(tree.rule).map((r, n) => charsetRule(r, n, hcl));
  return { length, rules };
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function toInt(value: unknown, name: string, at: Locator): number {
  if (value === undefined) return 0;
  const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw new ShapeError(`${name} must be a whole number`, at);
  return n;
}

interface RawRule {
  type: string;
  body: unknown;
}

/**
 * Every rule, whichever way it was written: HCL via hcl2json gives `{charset: [{…}, …]}`; Vault's JSON form is
 * `[{charset: [{…}]}, …]` or `[{charset: {…}}]`. An unlabelled HCL block (`rule { … }`) shows up as a body without a
 * type and is refused.
 */
function rulesFrom(value: unknown): RawRule[] {
  if (value === undefined) return [];
  const items = Array.isArray(value) ? value : [value];
  const out: RawRule[] = [];
  for (const item of items) {
    if (!isRecord(item)) throw new ShapeError('"rule" must be a block: rule "charset" { … }', find(/\brule\b/));
    for (const [type, inner] of Object.entries(item)) {
      if (type !== 'charset') throw new ShapeError(`unrecognized rule type "${type}" (Vault knows only "charset")`, find(new RegExp(`\\brule\\s+"${escapeRe(type)}"|"${escapeRe(type)}"`)));
      if (typeof inner === 'string') throw new ShapeError('a rule block needs its type: rule "charset" { … }', find(/\brule\s*\{/));
      for (const body of Array.isArray(inner) ? inner : [inner]) out.push({ type, body });
    }
  }
  return out;
}

function charsetRule(rule: RawRule, n: number, hcl: boolean): CharsetRule {
  const block = find(/\brule\s+"charset"/, n);
  const body = find(/(\brule\s+"charset"\s*\{)/, n);
  const inBlock = (attr: string): Locator => find(new RegExp(`(?<![\\w-])${escapeRe(attr)}(?![\\w-])`), 0, body);
  const label = `rule "charset" #${n + 1}`;
  if (!isRecord(rule.body)) throw new ShapeError(`${label}: expected a block with "charset" and "min-chars"`, block);
  for (const key of Object.keys(rule.body)) {
    if (key !== 'charset' && key !== 'min-chars') throw new ShapeError(`${label}: unknown attribute "${key}" (expected "charset" and "min-chars")`, inBlock(key));
  }
  const raw = rule.body.charset;
  if (typeof raw !== 'string') throw new ShapeError(`${label}: "charset" must be a string`, raw === undefined ? block : inBlock('charset'));
  const charset = hcl ? literal(raw, label, inBlock('charset')) : raw;
  const minChars = toInt(rule.body['min-chars'], `${label}: "min-chars"`, inBlock('min-chars'));
  if (minChars < 0) throw new ShapeError(`${label}: "min-chars" must not be negative`, inBlock('min-chars'));
  if (charset === '') throw new ShapeError(`${label}: "charset" must not be empty`, inBlock('charset'));
  return { charset, minChars };
}

/** hcl2json leaves `$${` and `%%{` escaped and `${…}`/`%{…}` unevaluated: undo the first, refuse the second. */
function literal(value: string, label: string, at: Locator): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const three = value.slice(i, i + 3);
    if (three === '$${' || three === '%%{') {
      out += three.slice(1);
      i += 2;
    } else if (three.startsWith('${') || three.startsWith('%{')) {
      throw new ShapeError(`${label}: "charset" uses an HCL template sequence (${three.slice(0, 2)}); write $\${ or %%{ for the characters themselves`, at);
    } else {
      out += value[i];
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Validation and generation

interface Compiled {
  alphabet: string[];
  rules: { chars: Set<string>; minChars: number }[];
}

const compiledCache = new WeakMap<PasswordPolicy, Compiled>();
// Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** Vault's checks on a policy (see {@link parsePasswordPolicy}); throws a 400. */
export function validatePasswordPolicy(policy: PasswordPolicy): void {
  try {
    compile(policy);
  } catch (err) {
    if (err instanceof ShapeError) throw policyError(err.message, null);
    throw err;
  }
}

function compile(policy: PasswordPolicy): Compiled {
  const cached = compiledCache.get(policy);
  if (cached) return cached;
  const fail = (message: string): never => {
    throw new ShapeError(message);
  };
  if (!Number.isSafeInteger(policy.length) || policy.length < MIN_PASSWORD_LENGTH || policy.length > MAX_PASSWORD_LENGTH) {
    throw new WardError('invalid_request', `passwords must be between ${MIN_PASSWORD_LENGTH} and ${MAX_PASSWORD_LENGTH} characters`);
  }
  if (policy.rules.length === 0) fail('no charset specified: add at least one rule "charset" { charset = "…" }');
  const union = new Set<string>();
  let required = 0;
  const rules = policy.rules.map((r, n) => {
    const chars = [...r.charset];
    if (chars.length === 0) fail(`rule "charset" #${n + 1}: "charset" must not be empty`);
    const bad = chars.find((c) => !PRINTABLE.test(c));
    if (bad !== undefined) fail(`non-printable character in charset (U+${(bad.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')})`);
    if (!Number.isSafeInteger(r.minChars) || r.minChars < 0) fail(`rule "charset" #${n + 1}: "min-chars" must be a whole number ≥ 0`);
    for (const c of chars) union.add(c);
    required += r.minChars;
    return { chars: new Set(chars), minChars: r.minChars };
  });
  if (required > policy.length) fail(`specified rules require at least ${required} characters but ${policy.length} is specified`);
  if (union.size > MAX_CHARSET_LENGTH) fail(`charset is too long: ${union.size} distinct characters, at most ${MAX_CHARSET_LENGTH} are allowed`);
  const compiled = { alphabet: [...union].sort(), rules };
  compiledCache.set(policy, compiled);
  return compiled;
}

/**
 * A password satisfying `policy`: candidates of `length` characters drawn independently and uniformly (node:crypto
 * `randomInt`) from the union of the charsets, the first one that passes every rule kept — so the result is
 * uniform over all passwords the policy allows. Throws {@link PasswordGenerationTimeout} after `timeoutMs`.
 */
export function generatePassword(policy: PasswordPolicy, options: { timeoutMs?: number } = {}): string {
  validatePasswordPolicy(policy);
  const { alphabet, rules } = compile(policy);
  const timeoutMs = options.timeoutMs ?? GENERATE_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  const candidate = new Array<string>(policy.length);
  for (;;) {
    for (let i = 0; i < candidate.length; i++) candidate[i] = alphabet[randomInt(alphabet.length)] as string;
    if (rules.every((r) => passes(candidate, r.chars, r.minChars))) return candidate.join('');
    if (Date.now() > deadline) throw new PasswordGenerationTimeout(timeoutMs);
  }
}

function passes(candidate: readonly string[], chars: ReadonlySet<string>, minChars: number): boolean {
  if (minChars <= 0) return true;
  let count = 0;
  for (const c of candidate) if (chars.has(c) && ++count >= minChars) return true;
  return false;
}
