/**
 * The server configuration file: Vault's format (HCL, or the equivalent JSON), read strictly. Vault only warns
 * about keys it does not know; Ward refuses them, because a misspelt `tls_disable` or `storage` stanza that is
 * silently ignored changes how a secrets server runs. Every problem is reported as
 * `<file>: <key path>: <what was wrong>, expected <what>`, all problems of a file at once.
 */
import { readFile, stat } from 'node:fs/promises';
import { z } from 'zod';
import { formatGoDuration, parseDurationSeconds } from '../lib/duration.js';
import { parseGoBool } from '../lib/parse-bool.js';

/** One `listener "tcp" { ... }` stanza. */
export interface ListenerConfig {
  type: 'tcp';
  /** `host:port`; see {@link parseListenAddress}. */
  address: string;
  tlsDisable: boolean;
  /** Present whenever TLS is enabled (checked to exist and hold PEM data at load). */
  tlsCertFile?: string;
  tlsKeyFile?: string;
}

/** The `storage "<type>" { ... }` stanza. Relative paths are kept as written: they are relative to the process cwd, as in Vault. */
export type StorageConfig = { type: 'sqlite'; path: string } | { type: 'inmem' };

/** The `telemetry { ... }` stanza; durations in seconds. */
export interface TelemetryConfig {
  prometheusRetentionTime: number;
  disableHostname: boolean;
  unauthenticatedMetricsAccess: boolean;
}

/** A loaded, validated server configuration with every default applied. Durations are in seconds. */
export interface ServerConfig {
  /** The file it was read from, as given. */
  sourceFile?: string;
  storage: StorageConfig;
  listeners: ListenerConfig[];
  apiAddr?: string;
  ui: boolean;
  defaultLeaseTtl: number;
  maxLeaseTtl: number;
  logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  /** Accepted and ignored: Vault configurations always carry it, and Node cannot mlockall(2). */
  disableMlock: boolean;
  clusterName?: string;
  /** Absent when the file has no `telemetry` stanza. */
  telemetry?: TelemetryConfig;
}

/** Storage used when the file has no `storage` stanza (Vault requires one; Ward's embedded default needs no setup). */
export const DEFAULT_STORAGE_PATH = './ward-data/ward.db';
/** Address of a listener stanza without `address`, and of the listener used when the file has none. */
export const DEFAULT_LISTENER_ADDRESS = '127.0.0.1:8200';
/** Vault's system default and maximum lease TTL: 768h (32 days). */
export const DEFAULT_LEASE_TTL_SECONDS = 2_764_800;
export const DEFAULT_MAX_LEASE_TTL_SECONDS = 2_764_800;
/** Vault's default `prometheus_retention_time`: 24h. */
export const DEFAULT_PROMETHEUS_RETENTION_SECONDS = 86_400;

/** Storage types this build of Ward can open. */
export const SUPPORTED_STORAGE_TYPES = ['sqlite', 'inmem'] as const;

/**
 * A configuration file that cannot be used. The message holds one line per problem, each naming the file, the key
 * path (e.g. `listener "tcp" > tls_cert_file`) and what was expected; `problems` holds the same lines as a list.
 */
export class ConfigError extends Error {
  readonly problems: readonly string[];

  constructor(problems: string | readonly string[]) {
    const list = typeof problems === 'string' ? [problems] : [...problems];
    super(list.join('\n'));
    this.name = 'ConfigError';
    this.problems = list;
  }
}

/**
 * Reads and validates the configuration file at `path` (HCL, or JSON when the name ends in `.json` or the text
 * starts with `{`). Throws {@link ConfigError} for anything unusable, including TLS files that cannot be read.
 */
export async function loadServerConfig(path: string): Promise<ServerConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`${path}: cannot read the configuration file (${fsReason(err)})`);
  }
  return parseServerConfig(text, path);
}

/**
 * Validates configuration `text`; `fileName` names it in messages and picks the syntax (`.json` → JSON). TLS
 * certificate and key files are checked to exist and be readable, so this is async and touches the filesystem.
 */
export async function parseServerConfig(text: string, fileName: string): Promise<ServerConfig> {
  const hcl = !isJsonSource(text, fileName);
  const raw = hcl ? await parseHcl(text, fileName) : parseJson(text, fileName);
  const problems = new Problems(fileName);
  if (!isRecord(raw)) {
    problems.add([], `the document is ${describe(raw)}`, 'an object of top-level keys and stanzas');
    throw problems.error();
  }
  const s = buildSchemas(hcl);

  const top = validate(s.top, raw, [], problems);

  const storage = readStorage(raw.storage, s, problems);
  const listeners = readListeners(raw.listener, s, problems);
  const telemetry = readTelemetry(raw.telemetry, s, problems);

  // 0 means "not set" for both TTLs, as in Vault. An explicit default above the maximum is an error (Vault's rule);
  // a maximum set alone below the built-in default lowers the default with it, since that is plainly the intent.
  const maxLeaseTtl = top?.max_lease_ttl || DEFAULT_MAX_LEASE_TTL_SECONDS;
  let defaultLeaseTtl = top?.default_lease_ttl || DEFAULT_LEASE_TTL_SECONDS;
  if (top?.default_lease_ttl && defaultLeaseTtl > maxLeaseTtl) {
    problems.add(
      ['default_lease_ttl'],
      `${formatGoDuration(defaultLeaseTtl)} is longer than max_lease_ttl (${formatGoDuration(maxLeaseTtl)}${top.max_lease_ttl ? '' : ', the default'})`,
      'a duration no longer than max_lease_ttl',
    );
  } else if (defaultLeaseTtl > maxLeaseTtl) {
    defaultLeaseTtl = maxLeaseTtl;
  }

  if (problems.any) throw problems.error();
  // Only once the structure is sound: a missing file is worth reporting, a missing file of a broken stanza is noise.
  await checkTlsFiles(listeners, problems);
  if (problems.any || top === undefined) throw problems.error();

  const config: ServerConfig = {
    sourceFile: fileName,
    storage,
    listeners: listeners.map((l) => l.config),
    ui: top.ui ?? false,
    defaultLeaseTtl,
    maxLeaseTtl,
    logLevel: top.log_level ?? 'info',
    disableMlock: top.disable_mlock ?? false,
  };
  if (top.api_addr !== undefined) config.apiAddr = top.api_addr;
  if (top.cluster_name !== undefined) config.clusterName = top.cluster_name;
  if (telemetry !== undefined) config.telemetry = telemetry;
  return config;
}

/**
 * Splits a listener address (`host:port`, `[v6]:port`, or `:port` for every interface, as Go accepts) into the
 * host — undefined for "all interfaces" — and the port (0 picks a free one). Undefined when malformed.
 */
export function parseListenAddress(address: string): { host: string | undefined; port: number } | undefined {
  const m = /^(?:\[([^\]\s]+)\]|([^:[\]\s]*)):(\d{1,5})$/.exec(address);
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port > 65_535) return undefined;
  const host = m[1] ?? m[2];
  return { host: host === '' ? undefined : host, port };
}

// ---------------------------------------------------------------------------------------------------------------
// Syntax

function isJsonSource(text: string, fileName: string): boolean {
  // Vault's HCL parser also takes JSON whatever the file is called, recognising it by the opening brace; an HCL
  // file cannot start with one.
  return /\.json$/i.test(fileName) || text.replace(/^\uFEFF/, '').trimStart().startsWith('{');
}

function parseJson(text: string, fileName: string): unknown {
  const body = text.replace(/^\uFEFF/, '');
  try {
    return JSON.parse(body) as unknown;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // V8 reports a character offset ("... in JSON at position 42", newer versions add "(line 3 column 1)").
    const pos = /at position (\d+)/.exec(message);
    const offset = pos ? Number(pos[1]) : body.length;
    const clean = message.replace(/\s*\(line \d+ column \d+\)/, '').replace(/ in JSON at position \d+/, '');
    throw new ConfigError(`${fileName}: ${lineColumn(body, offset)}: ${clean}`);
  }
}

function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  return `${line}:${column}`;
}

// hcl2json puts its own file name into every diagnostic; a fixed one is easy to find again whatever the user's
// path contains (spaces, colons), and is replaced by the real name in the messages.
const HCL_NAME = 'ward-server-config.hcl';

async function parseHcl(text: string, fileName: string): Promise<unknown> {
  // Imported on first use: loading the module boots a Go WebAssembly runtime, which commands that never read a
  // configuration file should not pay for.
  const { parse } = await import('@cdktf/hcl2json');
  try {
    return (await parse(HCL_NAME, text)) as unknown;
  } catch (err) {
    throw new ConfigError(hclDiagnostics(err instanceof Error ? err.message : String(err), fileName));
  }
}

/**
 * hcl2json reports `parse config: [<name>:<line>,<col>-<endline>,<endcol>: <summary>; <detail> <name>:...]`, all
 * diagnostics in one string. Each becomes its own `<file>: <line>:<col>: <summary>; <detail>` line.
 */
function hclDiagnostics(message: string, fileName: string): string[] {
  const name = HCL_NAME.replace(/[.]/g, '\\.');
  const start = new RegExp(`${name}:(\\d+),(\\d+)(?:-(?:\\d+,)?\\d+)?: `, 'g');
  const starts = [...message.matchAll(start)];
  if (starts.length === 0) return [`${fileName}: ${message.replace(new RegExp(name, 'g'), fileName)}`];
  return starts.map((m, i) => {
    const from = m.index + m[0].length;
    const to = starts[i + 1]?.index ?? message.length;
    const text = message
      .slice(from, to)
      .trim()
      .replace(/\]$/, '')
      // References to other places ("already set at <name>:1,1-2") become plain line:column.
      .replace(new RegExp(`${name}:(\\d+),(\\d+)(?:-(?:\\d+,)?\\d+)?`, 'g'), '$1:$2');
    return `${fileName}: ${m[1]}:${m[2]}: ${text}`;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Values

/** A value that is not acceptable: `<wrong>, expected <expected>`. Thrown by converters, caught by {@link leaf}. */
class Invalid {
  constructor(
    readonly wrong: string,
    readonly expected: string,
  ) {}
}

/** A schema for one optional key, converting (and judging) its value with `convert`. */
function leaf<T>(convert: (value: unknown) => T) {
  return z
    .unknown()
    .transform((value, ctx): T => {
      try {
        return convert(value);
      } catch (err) {
        if (!(err instanceof Invalid)) throw err;
        ctx.addIssue({ code: 'custom', message: `${err.wrong}, expected ${err.expected}` });
        return z.NEVER;
      }
    })
    .optional();
}

function describe(value: unknown): string {
  if (typeof value === 'string') return value.length > 60 ? `${JSON.stringify(value.slice(0, 60))}…` : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a block';
  return typeof value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const BOOL_EXPECTED = 'true or false';

function toBool(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  // Vault's HCL decoding takes 1/0 and Go's ParseBool strings ("true", "1", "t", ...): configs in the wild use all.
  if (value === 1 || value === 0) return value === 1;
  if (typeof value === 'string') {
    const parsed = parseGoBool(value.trim());
    if (parsed !== undefined) return parsed;
  }
  throw new Invalid(`${describe(value)} is not a boolean`, BOOL_EXPECTED);
}

function toDuration(value: unknown): number {
  try {
    return parseDurationSeconds(value);
  } catch {
    // The library's WardError speaks to API clients; here the key path is prefixed by the caller.
    throw new Invalid(
      `${describe(value)} is not a valid duration`,
      'a duration such as "768h", "30m", "1h30m" or "45s", or a whole number of seconds',
    );
  }
}

/**
 * A literal string. hcl2json turns every expression into a `${...}` template string and leaves `$${`/`%%{`
 * escapes as written, so in HCL a `${` or `%{` means something Vault's HCL would not have accepted either.
 */
function toText(value: unknown, hcl: boolean, expected: string): string {
  if (typeof value !== 'string') throw new Invalid(`${describe(value)} is not a string`, expected);
  let out = value;
  if (hcl) {
    out = '';
    for (let i = 0; i < value.length; i++) {
      const rest = value.slice(i, i + 3);
      if (rest === '$${' || rest === '%%{') {
        out += rest.slice(1);
        i += 2;
      } else if (rest.startsWith('${') || rest.startsWith('%{')) {
        throw new Invalid(`${describe(value)} uses an HCL expression or template, which Ward does not evaluate`, `${expected}, written as a literal`);
      } else {
        out += value[i];
      }
    }
  }
  if (out.trim() === '') throw new Invalid('the value is empty', expected);
  return out;
}

const LOG_LEVELS = {
  trace: 'trace',
  debug: 'debug',
  info: 'info',
  warn: 'warn',
  warning: 'warn',
  err: 'error',
  error: 'error',
} as const satisfies Record<string, ServerConfig['logLevel']>;

function toLogLevel(value: unknown): ServerConfig['logLevel'] {
  const expected = 'one of trace, debug, info, warn, error';
  if (typeof value !== 'string') throw new Invalid(`${describe(value)} is not a log level`, expected);
  const key = value.trim().toLowerCase();
  if (!Object.hasOwn(LOG_LEVELS, key)) throw new Invalid(`${describe(value)} is not a log level`, expected);
  return LOG_LEVELS[key as keyof typeof LOG_LEVELS];
}

function toApiAddr(value: unknown, hcl: boolean): string {
  const expected = 'a full URL such as "https://ward.example.com:8200"';
  const text = toText(value, hcl, expected);
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  // `new URL("ward.example.com:8200")` parses, with "ward.example.com:" as its scheme: insist on http(s).
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.host === '') {
    throw new Invalid(`${describe(value)} is not an http(s) URL`, expected);
  }
  return text;
}

function toAddress(value: unknown, hcl: boolean): string {
  const expected = 'a host:port string such as "127.0.0.1:8200", "[::1]:8200" or "0.0.0.0:8200"';
  const text = toText(value, hcl, expected);
  if (!parseListenAddress(text)) throw new Invalid(`${describe(value)} is not a host:port address`, expected);
  return text;
}

// ---------------------------------------------------------------------------------------------------------------
// Structure

function buildSchemas(hcl: boolean) {
  const text = (expected: string) => leaf((v) => toText(v, hcl, expected));
  const bool = leaf(toBool);
  const duration = leaf(toDuration);
  return {
    top: z.strictObject({
      // Stanzas: their shape depends on HCL vs JSON, so they are taken apart by hand (read* below).
      storage: z.unknown().optional(),
      listener: z.unknown().optional(),
      telemetry: z.unknown().optional(),
      api_addr: leaf((v) => toApiAddr(v, hcl)),
      ui: bool,
      default_lease_ttl: duration,
      max_lease_ttl: duration,
      log_level: leaf(toLogLevel),
      disable_mlock: bool,
      cluster_name: text('a cluster name such as "ward-1"'),
    }),
    storage: {
      sqlite: z.strictObject({ path: text('the path of the database file, such as "/var/lib/ward/ward.db"') }),
      inmem: z.strictObject({}),
    },
    tcp: z.strictObject({
      address: leaf((v) => toAddress(v, hcl)),
      tls_disable: bool,
      tls_cert_file: text('the path of a PEM certificate file'),
      tls_key_file: text('the path of a PEM private key file'),
    }),
    telemetry: z.strictObject({
      prometheus_retention_time: duration,
      disable_hostname: bool,
      unauthenticated_metrics_access: bool,
    }),
  };
}

type Schemas = ReturnType<typeof buildSchemas>;

/** Problems found so far, each already formatted as `<file>: <key path>: <wrong>, expected <what>`. */
class Problems {
  private readonly list: string[] = [];

  constructor(private readonly fileName: string) {}

  add(path: readonly string[], wrong: string, expected: string): void {
    const where = path.length === 0 ? '' : `${path.join(' > ')}: `;
    this.list.push(`${this.fileName}: ${where}${wrong}, expected ${expected}`);
  }

  addRaw(path: readonly string[], message: string): void {
    this.list.push(`${this.fileName}: ${path.join(' > ')}: ${message}`);
  }

  get any(): boolean {
    return this.list.length > 0;
  }

  error(): ConfigError {
    return new ConfigError(this.list);
  }
}

/** Runs a strict object schema over one stanza body; problems are recorded under `prefix`. */
function validate<S extends z.ZodObject>(
  schema: S,
  body: Record<string, unknown>,
  prefix: readonly string[],
  problems: Problems,
): z.output<S> | undefined {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const allowed = Object.keys(schema.shape);
  for (const issue of result.error.issues) {
    const path = [...prefix, ...issue.path.map(String)];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const kind = isRecord(body[key]) || Array.isArray(body[key]) ? 'stanza' : 'key';
        const hint = closest(key, allowed);
        problems.add(
          [...path, key],
          `unknown ${kind}${hint ? ` (did you mean "${hint}"?)` : ''}`,
          allowed.length === 0 ? 'no keys in this stanza' : `one of ${allowed.join(', ')}`,
        );
      }
    } else {
      problems.addRaw(path, issue.message);
    }
  }
  return undefined;
}

/** The allowed key within edit distance 2 of `key`, for "did you mean" hints. */
function closest(key: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of allowed) {
    const d = editDistance(key.toLowerCase(), candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}

interface Block {
  label: string;
  body: Record<string, unknown>;
}

/**
 * The blocks of a labelled stanza (`storage "sqlite" {}`), whichever way it was written: HCL via hcl2json gives
 * `{sqlite: [{...}]}`; Vault's JSON configs use `{sqlite: {...}}` or `[{sqlite: {...}}]`.
 */
function labelledBlocks(value: unknown, name: string, example: string, problems: Problems): Block[] {
  const blocks: Block[] = [];
  const expected = `a stanza with a type label, such as ${example}`;
  for (const item of Array.isArray(value) ? value : [value]) {
    if (!isRecord(item)) {
      problems.add([name], `${describe(item)} is not a stanza`, expected);
      continue;
    }
    if (Object.keys(item).length === 0) problems.add([name], 'the stanza has no type label', expected);
    for (const [label, bodies] of Object.entries(item)) {
      if (Array.isArray(bodies) && bodies.length === 0) problems.add([`${name} "${label}"`], 'the list of stanzas is empty', expected);
      for (const body of Array.isArray(bodies) ? bodies : [bodies]) {
        // HCL `storage { path = "x" }` (no label) arrives as {path: "x"}: the "label" holds a plain value.
        if (isRecord(body)) blocks.push({ label, body });
        else problems.add([name], 'the stanza has no type label', expected);
      }
    }
  }
  return blocks;
}

function readStorage(value: unknown, s: Schemas, problems: Problems): StorageConfig {
  const fallback: StorageConfig = { type: 'sqlite', path: DEFAULT_STORAGE_PATH };
  if (value === undefined) return fallback;
  const blocks = labelledBlocks(value, 'storage', 'storage "sqlite" { path = "/var/lib/ward/ward.db" }', problems);
  if (blocks.length > 1) {
    // hcl2json groups stanzas by label (alphabetically), so file order is lost: name them all rather than "the second".
    const all = blocks.map((b) => `storage "${b.label}"`).join(', ');
    problems.add(['storage'], `${blocks.length} storage stanzas (${all})`, 'exactly one storage stanza');
  }
  const results: StorageConfig[] = [];
  for (const block of blocks) {
    const where = `storage "${block.label}"`;
    if (block.label === 'sqlite') {
      const body = validate(s.storage.sqlite, block.body, [where], problems);
      if (body) results.push({ type: 'sqlite', path: body.path ?? DEFAULT_STORAGE_PATH });
    } else if (block.label === 'inmem') {
      if (validate(s.storage.inmem, block.body, [where], problems)) results.push({ type: 'inmem' });
    } else {
      problems.add([where], `unsupported storage type "${block.label}"`, `one of ${SUPPORTED_STORAGE_TYPES.join(', ')}`);
    }
  }
  return results[0] ?? fallback;
}

/** A listener and how messages name it (`listener "tcp"`, or `listener "tcp" #2` when there are several). */
interface NamedListener {
  config: ListenerConfig;
  where: string;
}

function readListeners(value: unknown, s: Schemas, problems: Problems): NamedListener[] {
  if (value === undefined) {
    // Vault needs a listener stanza; Ward starts without one on the address Vault's CLI and dev server use. It
    // cannot have certificates, so it is plain HTTP, and loopback-only so nothing unencrypted leaves the host.
    return [{ config: { type: 'tcp', address: DEFAULT_LISTENER_ADDRESS, tlsDisable: true }, where: 'listener' }];
  }
  const blocks = labelledBlocks(value, 'listener', 'listener "tcp" { address = "127.0.0.1:8200" }', problems);
  const listeners: NamedListener[] = [];
  const seen = new Map<string, string>();
  // Numbered within their label: hcl2json keeps the file order of blocks with the same label, not across labels.
  const perLabel = new Map<string, number>();
  for (const block of blocks) perLabel.set(block.label, (perLabel.get(block.label) ?? 0) + 1);
  const counter = new Map<string, number>();
  for (const block of blocks) {
    const n = (counter.get(block.label) ?? 0) + 1;
    counter.set(block.label, n);
    const where = `listener "${block.label}"${(perLabel.get(block.label) ?? 0) > 1 ? ` #${n}` : ''}`;
    if (block.label !== 'tcp') {
      problems.add([where], `unsupported listener type "${block.label}"`, 'tcp');
      continue;
    }
    const body = validate(s.tcp, block.body, [where], problems);
    if (!body) continue;
    const listener: ListenerConfig = {
      type: 'tcp',
      address: body.address ?? DEFAULT_LISTENER_ADDRESS,
      // TLS is on unless switched off, as in Vault.
      tlsDisable: body.tls_disable ?? false,
    };
    if (body.tls_cert_file !== undefined) listener.tlsCertFile = body.tls_cert_file;
    if (body.tls_key_file !== undefined) listener.tlsKeyFile = body.tls_key_file;
    if (!listener.tlsDisable) {
      const expectedHow = 'or tls_disable = true to serve plain HTTP';
      if (listener.tlsCertFile === undefined) {
        problems.add([where, 'tls_cert_file'], 'missing while TLS is enabled', `the path of a PEM certificate file, ${expectedHow}`);
      }
      if (listener.tlsKeyFile === undefined) {
        problems.add([where, 'tls_key_file'], 'missing while TLS is enabled', `the path of a PEM private key file, ${expectedHow}`);
      }
    }
    const previous = seen.get(listener.address);
    if (previous !== undefined) {
      problems.add([where, 'address'], `"${listener.address}" is already used by ${previous}`, 'a different address for each listener');
    } else {
      seen.set(listener.address, where);
    }
    listeners.push({ config: listener, where });
  }
  return listeners;
}

function readTelemetry(value: unknown, s: Schemas, problems: Problems): TelemetryConfig | undefined {
  if (value === undefined) return undefined;
  let result: TelemetryConfig | undefined;
  const items = Array.isArray(value) ? value : [value];
  items.forEach((item, i) => {
    if (!isRecord(item)) {
      problems.add(['telemetry'], `${describe(item)} is not a stanza`, 'a stanza such as telemetry { disable_hostname = true }');
      return;
    }
    if (i > 0) {
      problems.add(['telemetry'], 'a second telemetry stanza', 'at most one telemetry stanza');
      return;
    }
    const body = validate(s.telemetry, item, ['telemetry'], problems);
    if (!body) return;
    result = {
      prometheusRetentionTime: body.prometheus_retention_time ?? DEFAULT_PROMETHEUS_RETENTION_SECONDS,
      disableHostname: body.disable_hostname ?? false,
      unauthenticatedMetricsAccess: body.unauthenticated_metrics_access ?? false,
    };
  });
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// Files

async function checkTlsFiles(listeners: readonly NamedListener[], problems: Problems): Promise<void> {
  const checks: { path: string[]; expected: string; wrong: Promise<string | undefined> }[] = [];
  for (const { config, where } of listeners) {
    if (config.tlsDisable) continue;
    if (config.tlsCertFile !== undefined) {
      checks.push({ path: [where, 'tls_cert_file'], expected: 'a readable PEM certificate file', wrong: checkPemFile(config.tlsCertFile) });
    }
    if (config.tlsKeyFile !== undefined) {
      checks.push({ path: [where, 'tls_key_file'], expected: 'a readable PEM private key file', wrong: checkPemFile(config.tlsKeyFile) });
    }
  }
  // Reported in file order, not in the order the filesystem answers.
  for (const check of checks) {
    const wrong = await check.wrong;
    if (wrong !== undefined) problems.add(check.path, wrong, check.expected);
  }
}

/** Why `file` is not a usable PEM file, or undefined if it is. Relative paths are relative to the cwd, as in Vault. */
async function checkPemFile(file: string): Promise<string | undefined> {
  try {
    const info = await stat(file);
    if (!info.isFile()) return `"${file}" is not a regular file`;
    // The content is only searched for a PEM header and dropped: key material is not kept by the config.
    const content = await readFile(file, 'latin1');
    if (!content.includes('-----BEGIN ')) return `"${file}" contains no PEM data`;
    return undefined;
  } catch (err) {
    return `cannot read "${file}" (${fsReason(err)})`;
  }
}

function fsReason(err: unknown): string {
  const code = isRecord(err) && typeof err.code === 'string' ? err.code : undefined;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return err instanceof Error ? err.message : String(err);
}
