import type { Secret } from '../secret.js';
import { isRecord, secretStruct } from '../secret.js';
import type { Ui } from '../ui.js';
import { columnOutput, HOPE_DELIM, tableOutput } from './columnize.js';
import { humanDuration, humanDurationValue, looksLikeDuration } from './duration.js';
import { compareGoStrings, goQuoteSlice, goTimeString, goValue } from './gofmt.js';
import { goJson } from './gojson.js';
import { goYaml } from './goyaml.js';
import { wrapAtLengthWithPadding } from './wrap.js';

/** Output formats accepted by `-format` (Vault's Formatters map). */
export const FORMATS = ['table', 'json', 'yaml', 'yml', 'pretty', 'raw'] as const;

/** How a command prints: the UI, the `-format` in force and whether `-detailed` lists were asked for. */
export interface OutputContext {
  ui: Ui;
  format: string;
  detailed?: boolean;
}

/** Secrets are printed from the normalised envelope; anything else is "data". */
type Printable = { kind: 'secret'; secret: Secret } | { kind: 'data'; data: unknown };

function fail(ui: Ui, message: string): number {
  ui.err(message);
  return 1;
}

function output(ctx: OutputContext, p: Printable, listKeys?: unknown): number {
  const { ui, format } = ctx;
  if (!(FORMATS as readonly string[]).includes(format)) return fail(ui, `Invalid output format: ${format}`);
  const value = p.kind === 'secret' ? (listKeys !== undefined && !ctx.detailed ? listKeys : secretStruct(p.secret)) : p.data;
  switch (format) {
    case 'json':
      ui.out(goJson(value));
      return 0;
    case 'yaml':
    case 'yml':
      ui.out(goYaml(value).trim());
      return 0;
    case 'raw':
      return fail(ui, 'Could not parse output: This command does not support the -format=raw option; only `ward read` does.');
    case 'pretty':
      return fail(ui, 'Could not parse output: cannot use the pretty formatter for this type');
    default:
      return outputTable(ctx, p, listKeys);
  }
}

function outputTable(ctx: OutputContext, p: Printable, listKeys?: unknown): number {
  if (p.kind === 'secret') {
    if (listKeys !== undefined) return tableList(ctx, p.secret, listKeys);
    tableSecret(ctx.ui, p.secret);
    return 0;
  }
  if (isRecord(p.data)) {
    tableMap(ctx.ui, p.data);
    return 0;
  }
  if (Array.isArray(p.data)) return tableList(ctx, null, p.data);
  return fail(ctx.ui, 'Could not parse output: cannot use the table formatter for this type');
}

/** Prints the "WARNING! The following warnings were returned" block of a secret, on stderr. */
export function printWarnings(ui: Ui, secret: Secret | null): void {
  if (!secret || !secret.warnings || secret.warnings.length === 0) return;
  ui.err('WARNING! The following warnings were returned from Ward:\n');
  for (const w of secret.warnings) {
    ui.err(wrapAtLengthWithPadding(`* ${w}`, 2));
    ui.err('');
  }
}

function row(k: string, v: string): string {
  return `${k} ${HOPE_DELIM} ${v}`;
}

function dataRows(data: Record<string, unknown>): string[] {
  return Object.keys(data)
    .sort(compareGoStrings)
    .map((k) => row(k, goValue(looksLikeDuration(k) ? humanDurationValue(data[k]) : data[k])));
}

/** Vault's TableFormatter.OutputSecret: lease fields, auth, wrap info, then the data keys sorted. */
function tableSecret(ui: Ui, secret: Secret): void {
  printWarnings(ui, secret);
  const out: string[] = [];
  if (secret.lease_duration > 0) {
    if (secret.lease_id !== '') {
      out.push(row('lease_id', secret.lease_id));
      out.push(row('lease_duration', humanDuration(secret.lease_duration)));
      out.push(row('lease_renewable', String(secret.renewable)));
    } else {
      out.push(row('refresh_interval', humanDuration(secret.lease_duration)));
    }
  }
  const auth = secret.auth;
  if (auth) {
    out.push(row('token', auth.client_token));
    out.push(row('token_accessor', auth.accessor));
    out.push(row('token_duration', auth.lease_duration === 0 ? '∞' : humanDuration(auth.lease_duration)));
    out.push(row('token_renewable', String(auth.renewable)));
    out.push(row('token_policies', goQuoteSlice(auth.token_policies)));
    out.push(row('identity_policies', goQuoteSlice(auth.identity_policies)));
    out.push(row('policies', goQuoteSlice(auth.policies)));
    const meta = auth.metadata ?? {};
    for (const k of Object.keys(meta).sort(compareGoStrings)) out.push(row(`token_meta_${k}`, meta[k] ?? ''));
  }
  const wrap = secret.wrap_info;
  if (wrap) {
    out.push(row('wrapping_token:', wrap.token));
    out.push(row('wrapping_accessor:', wrap.accessor));
    out.push(row('wrapping_token_ttl:', humanDuration(wrap.ttl)));
    out.push(row('wrapping_token_creation_time:', goTimeString(wrap.creation_time)));
    out.push(row('wrapping_token_creation_path:', wrap.creation_path));
    if (wrap.wrapped_accessor !== '') out.push(row('wrapped_accessor:', wrap.wrapped_accessor));
  }
  if (secret.data && Object.keys(secret.data).length > 0) out.push(...dataRows(secret.data));
  if (out.length === 0) return;
  ui.out(tableOutput([`Key${HOPE_DELIM}Value`, ...out], { delim: HOPE_DELIM }));
}

/** Vault's TableFormatter.OutputMap. */
function tableMap(ui: Ui, data: Record<string, unknown>): void {
  const out = dataRows(data);
  if (out.length === 0) return;
  ui.out(tableOutput([`Key${HOPE_DELIM}Value`, ...out], { delim: HOPE_DELIM }));
}

/** Vault's TableFormatter.OutputList: `Keys` header, sorted keys; with -detailed, key_info columns. */
function tableList(ctx: OutputContext, secret: Secret | null, list: unknown): number {
  const { ui } = ctx;
  printWarnings(ui, secret);
  if (!Array.isArray(list)) return fail(ui, 'Could not parse output: error: table formatter cannot output list for this data type');
  if (list.length === 0) return 0;
  const keys: string[] = [];
  for (const v of list) {
    if (typeof v !== 'string') return fail(ui, `Could not parse output: ${goValue(v)} is not a string`);
    keys.push(v);
  }
  keys.sort(compareGoStrings);
  const info = secret && ctx.detailed && isRecord(secret.data?.key_info) ? (secret.data.key_info as Record<string, unknown>) : {};
  const headerSet = new Set<string>();
  for (const [k, values] of Object.entries(info)) {
    if (!keys.includes(k) || !isRecord(values)) continue;
    for (const h of Object.keys(values)) headerSet.add(h);
  }
  const headers = [...headerSet].sort(compareGoStrings);
  const rows = keys.map((k) => {
    if (headers.length === 0) return k;
    const values = isRecord(info[k]) ? (info[k] as Record<string, unknown>) : undefined;
    if (!values) return k;
    const cells = headers.map((h) => (h in values ? goValue(looksLikeDuration(h) ? humanDurationValue(values[h]) : values[h]) : 'n/a'));
    return [k, ...cells].join(HOPE_DELIM);
  });
  const header = ['Keys', ...headers].join(HOPE_DELIM);
  ui.out(tableOutput([header, ...rows], { delim: HOPE_DELIM }));
  return 0;
}

/** Vault's OutputSecret. */
export function outputSecret(ctx: OutputContext, secret: Secret): number {
  return output(ctx, { kind: 'secret', secret });
}

/** Vault's OutputList for a list response: the `keys` (or, with -detailed in JSON, the whole response). */
export function outputList(ctx: OutputContext, secret: Secret): number {
  return output(ctx, { kind: 'secret', secret }, secret.data?.keys ?? null);
}

/** Vault's OutputData: a map prints as a Key/Value table, other values only in machine formats. */
export function outputData(ctx: OutputContext, data: unknown): number {
  return output(ctx, { kind: 'data', data });
}

/** Vault's RawField: the value `-field` selects from a secret. */
export function rawField(secret: Secret, field: string): unknown {
  if (secret.auth) {
    const a = secret.auth;
    switch (field) {
      case 'token':
        return a.client_token;
      case 'token_accessor':
        return a.accessor;
      case 'token_duration':
        return a.lease_duration;
      case 'token_renewable':
        return a.renewable;
      case 'token_policies':
        return a.token_policies;
      case 'identity_policies':
        return a.identity_policies;
      case 'policies':
        return a.policies;
      default:
        return secret.data?.[field];
    }
  }
  if (secret.wrap_info) {
    const w = secret.wrap_info;
    switch (field) {
      case 'wrapping_token':
        return w.token;
      case 'wrapping_accessor':
        return w.accessor;
      case 'wrapping_token_ttl':
        return w.ttl;
      case 'wrapping_token_creation_time':
        return w.creation_time;
      case 'wrapping_token_creation_path':
        return w.creation_path;
      case 'wrapped_accessor':
        return w.wrapped_accessor;
      default:
        return secret.data?.[field];
    }
  }
  switch (field) {
    case 'lease_duration':
    case 'refresh_interval':
      return secret.lease_duration;
    case 'lease_id':
      return secret.lease_id;
    case 'request_id':
      return secret.request_id;
    case 'renewable':
      return secret.renewable;
    case 'data':
      return secret.data && 'data' in secret.data ? secret.data.data : secret.data;
    default:
      return secret.data?.[field];
  }
}

/**
 * Vault's PrintRawField: prints one field's value alone — `%v` in table format, else JSON/YAML — with a trailing
 * newline only when stdout is a terminal, so `$(ward read -field=x ...)` captures the bare value.
 */
export function printRawField(ctx: OutputContext, source: { secret: Secret } | { map: Record<string, unknown> }, field: string): number {
  const { ui, format } = ctx;
  const val = 'secret' in source ? rawField(source.secret, field) : source.map[field];
  if (val === null || val === undefined) return fail(ui, `Field ${JSON.stringify(field)} not present in secret`);
  let text: string;
  if (format === '' || format === 'table' || format === 'raw') text = goValue(val);
  else if (format === 'json') text = goJson(val);
  else if (format === 'yaml' || format === 'yml') text = goYaml(val);
  else if (format === 'pretty') return fail(ui, 'Error formatting output: cannot use the pretty formatter for this type');
  else return fail(ui, `Invalid output format: ${format}`);
  printRaw(ui, text);
  return 0;
}

/** Vault's PrintRaw: newline-terminated on a terminal, bare when piped. */
export function printRaw(ui: Ui, text: string): void {
  if (ui.stdoutIsTTY) ui.out(text);
  else ui.raw(text);
}

/** Key/value lines aligned in two columns with no header (Vault's columnOutput of `k | v` lines). */
export function keyValueColumns(pairs: readonly [string, string][]): string {
  return columnOutput(pairs.map(([k, v]) => `${k} | ${v}`));
}
