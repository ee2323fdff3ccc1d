import { lexSql, splitSql, type Segment } from './sql-lexer.js';

/**
 * Statements as a role stores them, turned into single SQL statements, and the substitution of `{{name}}`-style
 * variables into them.
 *
 * A role's statements arrive in every form Vault accepts (spec §7.2): a JSON array of strings, one string holding
 * several statements separated by `;`, a string holding a JSON array, or base64 of either. Each stored entry is
 * decoded (base64, then a JSON array) and each resulting piece is split with the SQL lexer — never on a bare `;`.
 */

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Text without control characters (tab, newline and carriage return allowed) or replacement characters. */
function isReadable(text: string): boolean {
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if ((cp < 0x20 && cp !== 0x09 && cp !== 0x0a && cp !== 0x0d) || cp === 0x7f || cp === 0xfffd) return false;
  }
  return true;
}

/** Vault's strutil.ParseArbitraryStringSlice decoding: base64 when the whole entry is base64 of readable text. */
function decodeBase64(entry: string): string {
  if (entry.length % 4 !== 0 || !BASE64.test(entry)) return entry;
  const decoded = Buffer.from(entry, 'base64');
  const text = decoded.toString('utf8');
  // Only text that round-trips and is printable: "GRANT" or "abcd" alone must stay as they are.
  if (Buffer.from(text, 'utf8').equals(decoded) && isReadable(text) && /\s|;/.test(text)) return text;
  return entry;
}

/** A JSON array of strings in a string, as Vault accepts it; null when the entry is not one. */
function decodeJsonArray(entry: string): string[] | null {
  if (!entry.startsWith('[')) return null;
  try {
    const parsed: unknown = JSON.parse(entry);
    if (Array.isArray(parsed) && parsed.every((s) => typeof s === 'string')) return parsed as string[];
  } catch {
    /* not JSON: SQL that starts with "[" is not valid anyway, and the lexer will say so if it does not lex */
  }
  return null;
}

/**
 * Expands stored statement entries into single statements. Throws SqlSyntaxError (with line and column) when a piece
 * does not lex: an unterminated quote, dollar-quoted body, comment or `BEGIN ATOMIC` body.
 */
export function expandStatements(entries: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of entries) {
    const entry = decodeBase64(raw.trim());
    if (entry === '') continue;
    const pieces = decodeJsonArray(entry) ?? [entry];
    for (const piece of pieces) out.push(...splitSql(piece));
  }
  return out;
}

/** Values for `{{name}}`, `{{username}}`, `{{password}}`, `{{expiration}}` (absent keys stay as written). */
export type StatementValues = Partial<Record<'name' | 'username' | 'password' | 'expiration', string>>;

const PLACEHOLDER = /\{\{(name|username|password|expiration)\}\}/g;

function escapeFor(kind: Segment['kind'], value: string, segment: Segment): string {
  switch (kind) {
    case 'string':
      return value.replace(/'/g, "''");
    case 'escape-string':
      return value.replace(/\\/g, '\\\\').replace(/'/g, "''");
    case 'identifier':
      return value.replace(/"/g, '""');
    case 'dollar': {
      const tag = /^\$[^$]*\$/.exec(segment.text)?.[0] ?? '$$';
      if (value.includes(tag)) throw new Error(`a substituted value contains the dollar-quote tag ${tag}`);
      return value;
    }
    default:
      return value;
  }
}

/**
 * Substitutes the variables into one statement, escaped for where each one sits: doubled `'` inside a string,
 * doubled `"` inside a quoted identifier, backslashes too inside `E'...'`. Outside quotes a value goes in as is,
 * as in Vault. So a password or username holding a quote can neither break nor inject into the statement.
 */
export function renderStatement(statement: string, values: StatementValues): string {
  return lexSql(statement)
    .map((seg) =>
      seg.text.replace(PLACEHOLDER, (whole, key: keyof StatementValues) => {
        const value = values[key];
        return value === undefined ? whole : escapeFor(seg.kind, value, seg);
      }),
    )
    .join('');
}

/** Go's `2006-01-02 15:04:05-0700` in UTC, the format of `{{expiration}}` (e.g. `2025-03-01 14:05:09+0000`). */
export function formatExpiration(at: Date): string {
  const iso = at.toISOString(); // 2025-03-01T14:05:09.123Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}+0000`;
}
