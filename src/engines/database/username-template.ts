import { createHash, randomInt, randomUUID } from 'node:crypto';

/**
 * Username templates: the subset of Go's text/template that Vault's database plugins use to name the users they
 * create (`username_template` on a connection), with Vault's functions (sdk/helper/template). Supported: text,
 * `{{.DisplayName}}`, `{{.RoleName}}`, string/number/boolean literals, pipelines (`a | f 1`), parenthesised
 * pipelines, `{{- … -}}` trimming, `{{/* comments *\/}}`, Go's `printf` and `print`, and Vault's `random`,
 * `truncate`, `truncate_sha256`, `uppercase`, `lowercase`, `replace`, `sha256`, `base64`, `unix_time`,
 * `unix_time_millis`, `timestamp`, `uuid`. Control structures (`if`, `range`, `with`…) and variables are refused.
 */

/** Vault's PostgreSQL default (plugins/database/postgresql): at most 63 bytes, PostgreSQL's identifier limit. */
export const POSTGRES_DEFAULT_USERNAME_TEMPLATE =
  '{{ printf "v-%s-%s-%s-%s" (.DisplayName | truncate 8) (.RoleName | truncate 8) (random 20) (unix_time) | truncate 63 }}';
/** Vault's `mysql-database-plugin` default (plugins/database/mysql): at most 32 characters. */
export const MYSQL_DEFAULT_USERNAME_TEMPLATE =
  '{{ printf "v-%s-%s-%s-%s" (.DisplayName | truncate 10) (.RoleName | truncate 10) (random 20) (unix_time) | truncate 32 }}';
/** Vault's default for `mysql-legacy-database-plugin`, `mysql-aurora-…` and `mysql-rds-…`: at most 16 characters. */
export const MYSQL_LEGACY_DEFAULT_USERNAME_TEMPLATE = '{{ printf "v-%s-%s-%s" (.RoleName | truncate 4) (random 20) | truncate 16 }}';

/** What a username template can refer to (Vault's dbplugin.UsernameMetadata). */
export interface UsernameTemplateData {
  DisplayName: string;
  RoleName: string;
}

/** A template that does not parse, or fails when applied. The message says where and why. */
export class UsernameTemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsernameTemplateError';
  }
}

/** A parsed template, checked once by applying it to sample data. */
export interface CompiledUsernameTemplate {
  readonly source: string;
  /** Applies the template; `now` (ms since the epoch) feeds `unix_time`, `unix_time_millis` and `timestamp`. */
  render(data: UsernameTemplateData, now?: () => number): string;
}

/**
 * Parses `template` and applies it once to sample data, so every error a template can have (syntax, unknown
 * function or field, wrong argument count or type, `truncate 0`…) is reported here, when the connection is written.
 */
export function compileUsernameTemplate(template: string): CompiledUsernameTemplate {
  if (template.trim() === '') throw new UsernameTemplateError('invalid username template: the template is empty');
  const nodes = new Parser(template).parse();
  const compiled: CompiledUsernameTemplate = {
    source: template,
    render: (data, now = Date.now) => execute(template, nodes, { data, now }),
  };
  compiled.render({ DisplayName: 'token', RoleName: 'role' });
  return compiled;
}

const compiledTemplates = new Map<string, CompiledUsernameTemplate>();
const COMPILED_CACHE_SIZE = 128;

/**
 * Renders a username template (see {@link compileUsernameTemplate}); throws {@link UsernameTemplateError}. Compiled
 * templates are cached by text, so issuing many credentials parses each template once.
 */
export function renderUsernameTemplate(template: string, data: UsernameTemplateData, now: () => number = Date.now): string {
  let compiled = compiledTemplates.get(template);
  if (!compiled) {
    compiled = compileUsernameTemplate(template);
    if (compiledTemplates.size >= COMPILED_CACHE_SIZE) compiledTemplates.delete(compiledTemplates.keys().next().value as string);
    compiledTemplates.set(template, compiled);
  }
  return compiled.render(data, now);
}

// ---------------------------------------------------------------------------------------------------------------
// Syntax

type Value = string | number | boolean;
type FieldName = keyof UsernameTemplateData;

type Term =
  | { kind: 'literal'; value: Value; pos: number }
  | { kind: 'field'; name: FieldName; pos: number }
  | { kind: 'call'; name: string; pos: number }
  | { kind: 'paren'; pipeline: Command[]; pos: number };

interface Command {
  terms: Term[];
  pos: number;
}

type TemplateNode = { kind: 'text'; text: string } | { kind: 'action'; pipeline: Command[]; pos: number };

type Token =
  | { type: '(' | ')' | '|' | 'end'; pos: number }
  | { type: 'value'; term: Term; pos: number };

const KEYWORDS = new Set(['if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue', 'nil']);
const FIELDS: readonly FieldName[] = ['DisplayName', 'RoleName'];
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"' };
const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isIdentStart = (c: string | undefined): boolean => c !== undefined && /[\p{L}_]/u.test(c);
const IDENT = /[\p{L}_][\p{L}\p{N}_]*/uy;
const NUMBER = /[+-]?(?:0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+)/y;

function position(src: string, offset: number): string {
  const before = src.slice(0, offset);
  const line = before.split('\n').length;
  return `line ${line}, column ${offset - (before.lastIndexOf('\n') + 1) + 1}`;
}

class Parser {
  private i = 0;
  private tokens: Token[] = [];
  private t = 0;

  constructor(private readonly src: string) {}

  private fail(message: string, at: number): never {
    throw new UsernameTemplateError(`invalid username template: ${position(this.src, at)}: ${message}`);
  }

  parse(): TemplateNode[] {
    const nodes: TemplateNode[] = [];
    let trimNext = false;
    while (this.i < this.src.length) {
      const open = this.src.indexOf('{{', this.i);
      let text = this.src.slice(this.i, open < 0 ? undefined : open);
      if (trimNext) text = text.replace(/^[ \t\r\n]+/, '');
      if (open < 0) {
        if (text !== '') nodes.push({ kind: 'text', text });
        break;
      }
      const trimLeft = this.src[open + 2] === '-' && isSpace(this.src[open + 3]);
      if (trimLeft) text = text.replace(/[ \t\r\n]+$/, '');
      if (text !== '') nodes.push({ kind: 'text', text });
      this.i = open + (trimLeft ? 4 : 2);
      const action = this.action(open);
      trimNext = action.trimRight;
      if (action.node) nodes.push(action.node);
    }
    return nodes;
  }

  private action(open: number): { node: TemplateNode | null; trimRight: boolean } {
    if (this.src.startsWith('/*', this.i)) {
      const close = this.src.indexOf('*/', this.i + 2);
      if (close < 0) this.fail('unclosed comment', open);
      this.i = close + 2;
      const trimRight = this.src.startsWith(' -}}', this.i);
      if (!trimRight && !this.src.startsWith('}}', this.i)) this.fail('comment ends before closing delimiter', this.i);
      this.i += trimRight ? 4 : 2;
      return { node: null, trimRight };
    }
    const { tokens, trimRight } = this.lexAction(open);
    this.tokens = tokens;
    this.t = 0;
    const pipeline = this.pipeline('end', open);
    return { node: { kind: 'action', pipeline, pos: open }, trimRight };
  }

  private lexAction(open: number): { tokens: Token[]; trimRight: boolean } {
    const tokens: Token[] = [];
    const src = this.src;
    for (;;) {
      const start = this.i;
      const c = src[this.i];
      if (c === undefined) this.fail('unclosed action', open);
      if (isSpace(c)) {
        while (isSpace(src[this.i])) this.i++;
        if (src.startsWith('-}}', this.i)) {
          tokens.push({ type: 'end', pos: this.i });
          this.i += 3;
          return { tokens, trimRight: true };
        }
        continue;
      }
      if (src.startsWith('}}', this.i)) {
        tokens.push({ type: 'end', pos: this.i });
        this.i += 2;
        return { tokens, trimRight: false };
      }
      if (c === '(' || c === ')' || c === '|') {
        tokens.push({ type: c, pos: start });
        this.i++;
      } else if (c === '"' || c === '`') {
        tokens.push({ type: 'value', term: { kind: 'literal', value: this.string(), pos: start }, pos: start });
      } else if (c === '.' && isIdentStart(src[this.i + 1])) {
        IDENT.lastIndex = this.i + 1;
        const name = (IDENT.exec(src) as RegExpExecArray)[0];
        this.i = IDENT.lastIndex;
        if (src[this.i] === '.') this.fail(`.${name} has no fields`, start);
        if (!(FIELDS as readonly string[]).includes(name)) this.fail(`can't evaluate field ${name}: username templates know .DisplayName and .RoleName`, start);
        tokens.push({ type: 'value', term: { kind: 'field', name: name as FieldName, pos: start }, pos: start });
      } else if (/[0-9+\-.]/.test(c)) {
        if (c === '.' && !/[0-9]/.test(src[this.i + 1] ?? '')) this.fail('{{.}} is not supported: use .DisplayName or .RoleName', start);
        tokens.push({ type: 'value', term: { kind: 'literal', value: this.number(), pos: start }, pos: start });
      } else if (isIdentStart(c)) {
        IDENT.lastIndex = this.i;
        const name = (IDENT.exec(src) as RegExpExecArray)[0];
        this.i = IDENT.lastIndex;
        if (name === 'true' || name === 'false') {
          tokens.push({ type: 'value', term: { kind: 'literal', value: name === 'true', pos: start }, pos: start });
        } else if (KEYWORDS.has(name)) {
          this.fail(`"${name}" is not supported: username templates have no control structures`, start);
        } else if (!FUNCTIONS.has(name)) {
          this.fail(`function "${name}" not defined (available: ${[...FUNCTIONS.keys()].join(', ')})`, start);
        } else {
          tokens.push({ type: 'value', term: { kind: 'call', name, pos: start }, pos: start });
        }
      } else if (c === '$') {
        this.fail('variables are not supported in username templates', start);
      } else if (c === "'") {
        this.fail('character constants are not supported in username templates', start);
      } else {
        this.fail(`unexpected ${JSON.stringify(c)} in action`, start);
      }
    }
  }

  private string(): string {
    const src = this.src;
    const start = this.i;
    const quote = src[start];
    if (quote === '`') {
      const close = src.indexOf('`', start + 1);
      if (close < 0) this.fail('unterminated raw quoted string', start);
      this.i = close + 1;
      return src.slice(start + 1, close).replace(/\r/g, '');
    }
    let out = '';
    let j = start + 1;
    for (;;) {
      const c = src[j];
      if (c === undefined || c === '\n') this.fail('unterminated quoted string', start);
      if (c === '"') break;
      if (c !== '\\') {
        out += c;
        j++;
        continue;
      }
      const e = src[j + 1] ?? '';
      const simple = SIMPLE_ESCAPES[e];
      if (simple !== undefined) {
        out += simple;
        j += 2;
        continue;
      }
      const hex = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
      const digits = hex > 0 ? src.slice(j + 2, j + 2 + hex) : src.slice(j + 1, j + 4);
      const valid = hex > 0 ? new RegExp(`^[0-9a-fA-F]{${hex}}$`).test(digits) : /^[0-7]{3}$/.test(digits);
      if (!valid) this.fail(`invalid escape sequence \\${e}`, j);
      const code = Number.parseInt(digits, hex > 0 ? 16 : 8);
      if ((hex === 2 || hex === 0) && code > 0x7f) this.fail('byte escapes above \\x7f are not supported; write the character itself', j);
      if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) this.fail(`invalid escape sequence \\${e}${digits}`, j);
      out += String.fromCodePoint(code);
      j += (hex > 0 ? 2 : 1) + digits.length;
    }
    this.i = j + 1;
    return out;
  }

  private number(): number {
    const start = this.i;
    NUMBER.lastIndex = start;
    const m = NUMBER.exec(this.src);
    const text = m?.[0] ?? '';
    this.i = start + text.length;
    const next = this.src[this.i];
    if (text === '' || (next !== undefined && !isSpace(next) && !'()|}'.includes(next))) this.fail(`bad number syntax: ${this.src.slice(start, this.i + 1)}`, start);
    const clean = text.replace(/_/g, '');
    const sign = clean.startsWith('-') ? -1 : 1;
    const body = clean.replace(/^[+-]/, '');
    let value: number;
    if (/^0[xX]/.test(body)) value = Number.parseInt(body.slice(2), 16);
    else if (/^0[bB]/.test(body)) value = Number.parseInt(body.slice(2), 2);
    else if (/^0[oO]/.test(body)) value = Number.parseInt(body.slice(2), 8);
    else if (/^0[0-7]+$/.test(body)) value = Number.parseInt(body, 8);
    else value = Number(body);
    if (!Number.isSafeInteger(value)) this.fail(`${text} is not an integer`, start);
    return sign * value;
  }

  private peek(): Token {
    return this.tokens[this.t] as Token;
  }

  private pipeline(stop: 'end' | ')', open: number): Command[] {
    const commands: Command[] = [];
    for (;;) {
      commands.push(this.command(open));
      const next = this.peek();
      if (next.type === '|') {
        this.t++;
        continue;
      }
      if (next.type === stop) {
        this.t++;
        const piped = commands.slice(1).find((c) => (c.terms[0] as Term).kind !== 'call');
        if (piped) this.fail("can't give argument to non-function", piped.pos);
        return commands;
      }
      this.fail(next.type === 'end' ? 'unclosed left paren' : `unexpected "${next.type}"`, next.pos);
    }
  }

  private command(open: number): Command {
    const terms: Term[] = [];
    const pos = this.peek().pos;
    for (;;) {
      const tok = this.peek();
      if (tok.type === 'value') {
        terms.push(tok.term);
        this.t++;
      } else if (tok.type === '(') {
        this.t++;
        terms.push({ kind: 'paren', pipeline: this.pipeline(')', open), pos: tok.pos });
      } else {
        break;
      }
    }
    if (terms.length === 0) this.fail('missing value for command', pos);
    const head = terms[0] as Term;
    if (head.kind !== 'call' && terms.length > 1) this.fail("can't give argument to non-function", (terms[1] as Term).pos);
    return { terms, pos };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Evaluation

interface Context {
  data: UsernameTemplateData;
  now: () => number;
}

class ApplyError extends Error {}

function execute(src: string, nodes: TemplateNode[], ctx: Context): string {
  let out = '';
  for (const node of nodes) {
    if (node.kind === 'text') {
      out += node.text;
      continue;
    }
    try {
      out += String(pipeline(node.pipeline, ctx));
    } catch (err) {
      if (!(err instanceof PositionedError)) throw err;
      throw new UsernameTemplateError(`unable to apply username template: ${position(src, err.pos)}: ${err.message}`);
    }
  }
  return out;
}

class PositionedError extends Error {
  constructor(
    message: string,
    readonly pos: number,
  ) {
    super(message);
  }
}

function pipeline(commands: Command[], ctx: Context): Value {
  let final: Value | undefined;
  for (const cmd of commands) {
    const head = cmd.terms[0] as Term;
    if (head.kind !== 'call') {
      if (final !== undefined) throw new PositionedError("can't give argument to non-function", head.pos);
      final = term(head, ctx);
      continue;
    }
    const args = cmd.terms.slice(1).map((t) => term(t, ctx));
    if (final !== undefined) args.push(final);
    final = call(head.name, args, head.pos, ctx);
  }
  return final as Value;
}

function term(t: Term, ctx: Context): Value {
  switch (t.kind) {
    case 'literal':
      return t.value;
    case 'field':
      return ctx.data[t.name];
    case 'paren':
      return pipeline(t.pipeline, ctx);
    case 'call':
      return call(t.name, [], t.pos, ctx);
  }
}

function call(name: string, args: Value[], pos: number, ctx: Context): Value {
  const fn = FUNCTIONS.get(name) as TemplateFunction;
  const fixed = fn.params.length;
  if (fn.variadic ? args.length < fixed : args.length !== fixed) {
    throw new PositionedError(`wrong number of args for ${name}: want ${fn.variadic ? 'at least ' : ''}${fixed} got ${args.length}`, pos);
  }
  fn.params.forEach((type, i) => {
    const arg = args[i] as Value;
    if (typeof arg !== type) throw new PositionedError(`${name}: argument ${i + 1} must be ${type === 'number' ? 'an integer' : 'a string'}, got ${describe(arg)}`, pos);
  });
  try {
    return fn.run(args, ctx);
  } catch (err) {
    if (err instanceof ApplyError) throw new PositionedError(`${name}: ${err.message}`, pos);
    throw err;
  }
}

function describe(v: Value): string {
  return typeof v === 'string' ? `the string ${JSON.stringify(v)}` : `the ${typeof v === 'number' ? 'integer' : 'boolean'} ${String(v)}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Functions

interface TemplateFunction {
  params: ('string' | 'number')[];
  variadic?: boolean;
  run(args: Value[], ctx: Context): Value;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const MAX_RANDOM = 4096;

const str = (args: Value[], i: number): string => args[i] as string;
const int = (args: Value[], i: number): number => args[i] as number;

/** The longest prefix of `s` of at most `max` UTF-8 bytes that does not split a character (Go slices bytes). */
function bytePrefix(s: string, max: number): string {
  let bytes = 0;
  let out = '';
  for (const ch of s) {
    bytes += Buffer.byteLength(ch);
    if (bytes > max) break;
    out += ch;
  }
  return out;
}

/** Go's strings.ReplaceAll: an empty `find` matches before every character and at the end. */
function replaceAll(s: string, find: string, repl: string): string {
  if (find !== '') return s.split(find).join(repl);
  return s === '' ? repl : repl + [...s].join(repl) + repl;
}

const FUNCTIONS = new Map<string, TemplateFunction>([
  ['random', {
    params: ['number'],
    run: (a) => {
      const n = int(a, 0);
      if (n < 0 || n > MAX_RANDOM) throw new ApplyError(`length must be between 0 and ${MAX_RANDOM} but was ${n}`);
      let out = '';
      for (let i = 0; i < n; i++) out += BASE62[randomInt(BASE62.length)];
      return out;
    },
  }],
  ['truncate', {
    params: ['number', 'string'],
    run: (a) => {
      const max = int(a, 0);
      if (max <= 0) throw new ApplyError(`max length must be > 0 but was ${max}`);
      return bytePrefix(str(a, 1), max);
    },
  }],
  ['truncate_sha256', {
    params: ['number', 'string'],
    run: (a) => {
      const max = int(a, 0);
      const s = str(a, 1);
      if (max <= 8) throw new ApplyError(`max length must be > 8 but was ${max}`);
      if (Buffer.byteLength(s) <= max) return s;
      const head = bytePrefix(s, max - 8);
      return head + createHash('sha256').update(s.slice(head.length)).digest('hex').slice(0, 8);
    },
  }],
  ['uppercase', { params: ['string'], run: (a) => str(a, 0).toUpperCase() }],
  ['lowercase', { params: ['string'], run: (a) => str(a, 0).toLowerCase() }],
  ['replace', { params: ['string', 'string', 'string'], run: (a) => replaceAll(str(a, 2), str(a, 0), str(a, 1)) }],
  ['sha256', { params: ['string'], run: (a) => createHash('sha256').update(str(a, 0)).digest('hex') }],
  ['base64', { params: ['string'], run: (a) => Buffer.from(str(a, 0)).toString('base64') }],
  ['unix_time', { params: [], run: (_a, ctx) => String(Math.floor(ctx.now() / 1000)) }],
  ['unix_time_millis', { params: [], run: (_a, ctx) => String(Math.floor(ctx.now())) }],
  ['timestamp', { params: ['string'], run: (a, ctx) => formatGoTime(str(a, 0), new Date(ctx.now())) }],
  ['uuid', { params: [], run: () => randomUUID() }],
  ['printf', { params: ['string'], variadic: true, run: (a) => sprintf(str(a, 0), a.slice(1)) }],
  ['print', { params: [], variadic: true, run: (a) => a.map((v, i) => (i > 0 && typeof v !== 'string' && typeof a[i - 1] !== 'string' ? ' ' : '') + String(v)).join('') }],
]);

const goType = (v: Value): string => (typeof v === 'number' ? 'int' : typeof v === 'boolean' ? 'bool' : 'string');

/** Go's fmt.Sprintf for the verbs templates use: %s %v %d %q %x %X %t %%, with flags, width and precision. */
function sprintf(format: string, args: Value[]): string {
  let out = '';
  let next = 0;
  const spec = /%([-+# 0]*)(\d+)?(?:\.(\d*))?([a-zA-Z%])?/y;
  for (let i = 0; i < format.length; ) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    spec.lastIndex = pct;
    const m = spec.exec(format) as RegExpExecArray;
    i = spec.lastIndex;
    const [, flags = '', width, precision, verb] = m;
    if (verb === undefined) {
      out += '%!(NOVERB)';
      continue;
    }
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (next >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    const arg = args[next++] as Value;
    let s = formatVerb(verb, arg, precision);
    if (s === null) {
      out += `%!${verb}(${goType(arg)}=${String(arg)})`;
      continue;
    }
    const w = width === undefined ? 0 : Number(width);
    if (flags.includes('+') && typeof arg === 'number' && arg >= 0 && (verb === 'd' || verb === 'v')) s = `+${s}`;
    if (s.length < w) {
      const pad = w - [...s].length;
      if (flags.includes('-')) s += ' '.repeat(Math.max(pad, 0));
      else if (flags.includes('0') && typeof arg === 'number') s = s.startsWith('-') ? `-${'0'.repeat(pad)}${s.slice(1)}` : '0'.repeat(pad) + s;
      else s = ' '.repeat(Math.max(pad, 0)) + s;
    }
    out += s;
  }
  if (next < args.length) out += `%!(EXTRA ${args.slice(next).map((a) => `${goType(a)}=${String(a)}`).join(', ')})`;
  return out;
}

function formatVerb(verb: string, arg: Value, precision: string | undefined): string | null {
  const cut = (s: string): string => (precision === undefined ? s : [...s].slice(0, Number(precision || '0')).join(''));
  switch (verb) {
    case 'v':
      return typeof arg === 'string' ? cut(arg) : String(arg);
    case 's':
      return typeof arg === 'string' ? cut(arg) : null;
    case 'q':
      return typeof arg === 'string' ? JSON.stringify(cut(arg)) : null;
    case 'd':
      return typeof arg === 'number' ? String(arg) : null;
    case 't':
      return typeof arg === 'boolean' ? String(arg) : null;
    case 'x':
    case 'X': {
      const hex = typeof arg === 'number' ? arg.toString(16) : typeof arg === 'string' ? Buffer.from(cut(arg)).toString('hex') : null;
      return hex === null ? null : verb === 'X' ? hex.toUpperCase() : hex;
    }
    default:
      return null;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Go time layouts (for `timestamp`), in UTC.

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const LAYOUT =
  /January|Jan|Monday|Mon|MST|_2006|2006|002|__2|_2|01|02|03|04|05|06|15|1|2|3|4|5|PM|pm|Z07:00:00|Z070000|Z07:00|Z0700|Z07|-07:00:00|-070000|-07:00|-0700|-07|[.,](?:0+|9+)(?![0-9])/g;

/** Formats `d` with a Go reference layout (`2006-01-02T15:04:05Z07:00`), as Go's time.Format does for UTC. */
export function formatGoTime(layout: string, d: Date): string {
  const p = (n: number, w = 2, fill = '0'): string => String(n).padStart(w, fill);
  const hour12 = d.getUTCHours() % 12 === 0 ? 12 : d.getUTCHours() % 12;
  const yearDay = Math.floor((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
  const fraction = p(d.getUTCMilliseconds(), 3) + '000000';
  const tokens: Record<string, () => string> = {
    January: () => MONTHS[d.getUTCMonth()] as string,
    Jan: () => (MONTHS[d.getUTCMonth()] as string).slice(0, 3),
    Monday: () => DAYS[d.getUTCDay()] as string,
    Mon: () => (DAYS[d.getUTCDay()] as string).slice(0, 3),
    MST: () => 'UTC',
    _2006: () => `_${p(d.getUTCFullYear(), 4)}`,
    2006: () => p(d.getUTCFullYear(), 4),
    '002': () => p(yearDay, 3),
    __2: () => p(yearDay, 3, ' '),
    _2: () => p(d.getUTCDate(), 2, ' '),
    '01': () => p(d.getUTCMonth() + 1),
    '02': () => p(d.getUTCDate()),
    '03': () => p(hour12),
    '04': () => p(d.getUTCMinutes()),
    '05': () => p(d.getUTCSeconds()),
    '06': () => p(d.getUTCFullYear() % 100),
    15: () => p(d.getUTCHours()),
    1: () => String(d.getUTCMonth() + 1),
    2: () => String(d.getUTCDate()),
    3: () => String(hour12),
    4: () => String(d.getUTCMinutes()),
    5: () => String(d.getUTCSeconds()),
    PM: () => (d.getUTCHours() >= 12 ? 'PM' : 'AM'),
    pm: () => (d.getUTCHours() >= 12 ? 'pm' : 'am'),
  };
  return layout.replace(LAYOUT, (tok) => {
    const fixed = tokens[tok];
    if (fixed) return fixed();
    if (tok.startsWith('Z')) return 'Z';
    if (tok.startsWith('-')) return tok.replace(/07/g, '00').replace('-', '+');
    // Fractional seconds: `.000` keeps every digit, `.999` drops trailing zeros (and the separator when all are).
    const digits = fraction.slice(0, tok.length - 1);
    if (tok[1] === '0') return tok[0] + digits;
    const trimmed = digits.replace(/0+$/, '');
    return trimmed === '' ? '' : (tok[0] as string) + trimmed;
  });
}
