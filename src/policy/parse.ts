import { WardError } from '../lib/errors.js';
import { hasTemplate } from './template.js';
import { PolicyShapeError, rulesFromTree, type Syntax } from './rules.js';
import type { ParsedPolicy } from './types.js';

/**
 * The policy language front end: HCL (through `@cdktf/hcl2json`, an HCL2 parser) or JSON, optionally base64-encoded
 * as Vault allows, into a {@link ParsedPolicy}. Every problem is a 400 `invalid_request` whose message carries the
 * line and column when they are known: `policy parse error at line 3, column 5: ...`.
 */

/** Parses `text` as the policy `name`. The returned `raw` is the (decoded) text, kept verbatim. */
export async function parsePolicy(name: string, text: string): Promise<ParsedPolicy> {
  const raw = decodePolicyText(text);
  // An HCL body cannot start with `{` or `[`, so the first character tells the two apart.
  const syntax: Syntax = /^\s*[{[]/.test(raw) ? 'json' : 'hcl';
  const tree = syntax === 'json' ? parseJSON(raw) : await parseHCL(raw);
  let paths;
  try {
    paths = rulesFromTree(tree, syntax);
  } catch (err) {
    if (!(err instanceof PolicyShapeError)) throw err;
    const at = err.label === undefined ? null : locateLabel(raw, err.label, syntax);
    throw policyError(err.message, at);
  }
  return {
    name: normalisePolicyName(name),
    raw,
    templated: paths.some((p) => hasTemplate(p.path)),
    paths,
  };
}

/** Policy names are case-insensitive and stored lowercased, surrounding blanks removed (Vault's sanitizeName). */
export function normalisePolicyName(name: string): string {
  return name.trim().toLowerCase();
}

/**
 * Vault accepts the policy base64-encoded (`vault policy write` does not, but API clients and Terraform sometimes
 * send it so): text that is valid standard base64 is decoded, anything else is taken as is. Like Go's decoder, line
 * breaks inside the encoding are ignored and padding is required.
 */
export function decodePolicyText(text: string): string {
  const compact = text.replace(/[\r\n]/g, '');
  if (compact === '' || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return text;
  return Buffer.from(compact, 'base64').toString('utf8');
}

interface Position {
  line: number;
  column: number;
}

function policyError(message: string, at: Position | null): WardError {
  return new WardError('invalid_request', at ? `policy parse error at line ${at.line}, column ${at.column}: ${message}` : `policy parse error: ${message}`);
}

function positionOf(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
}

/** Where a path block's label is written: hcl2json and JSON.parse keep no positions, so search the text for it. */
function locateLabel(raw: string, label: string, syntax: Syntax): Position | null {
  const quoted = JSON.stringify(label);
  const escaped = quoted.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = syntax === 'hcl' ? new RegExp(`\\bpath\\s+${escaped}`) : new RegExp(`${escaped}\\s*:`);
  const match = pattern.exec(raw);
  if (match) return positionOf(raw, match.index + match[0].indexOf(quoted));
  const plain = raw.indexOf(quoted);
  return plain < 0 ? null : positionOf(raw, plain);
}

function parseJSON(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // V8 says "... in JSON at position 25" (Node 20) and may add "(line 2 column 5)" (Node 22+).
    const lineCol = /\(line (\d+) column (\d+)\)/.exec(message);
    const pos = /at position (\d+)/.exec(message);
    const at = lineCol ? { line: Number(lineCol[1]), column: Number(lineCol[2]) } : pos ? positionOf(raw, Number(pos[1])) : null;
    const text = message.replace(/\s*\(line \d+ column \d+\)/, '').replace(/\s*in JSON at position \d+/, '').replace(/^JSON\.parse: /, '');
    throw policyError(`invalid JSON: ${text}`, at);
  }
}

// hcl2json names the file in every diagnostic; a fixed name is easy to find and strip again.
const HCL_NAME = 'ward-policy.hcl';
const DIAGNOSTIC = /ward-policy\.hcl:(\d+),(\d+)(?:-(?:\d+,)?\d+)?: /g;

async function parseHCL(raw: string): Promise<unknown> {
  // Imported on first use: the module boots a Go WebAssembly runtime that a process without policies never needs.
  const { parse } = await import('@cdktf/hcl2json');
  try {
    return (await parse(HCL_NAME, raw)) as unknown;
  } catch (err) {
    throw hclError(err instanceof Error ? err.message : String(err));
  }
}

/**
 * hcl2json reports `parse config: [<name>:<line>,<col>-<endline>,<endcol>: <summary>; <detail> <name>:...]`, every
 * diagnostic in one string; each becomes one message of the error.
 */
function hclError(message: string): WardError {
  const starts = [...message.matchAll(DIAGNOSTIC)];
  if (starts.length === 0) return policyError(message.replace(/^parse config: /, ''), null);
  const messages = starts.map((m, i) => {
    const text = message
      .slice(m.index + m[0].length, starts[i + 1]?.index ?? message.length)
      .trim()
      .replace(/\]$/, '')
      // A reference to another place ("already set at <name>:2,3-15") becomes plain "line 2, column 3".
      .replace(/ward-policy\.hcl:(\d+),(\d+)(?:-(?:\d+,)?\d+)?/g, 'line $1, column $2');
    return `policy parse error at line ${m[1]}, column ${m[2]}: ${text}`;
  });
  return new WardError('invalid_request', messages);
}
