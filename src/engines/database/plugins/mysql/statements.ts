import { splitMysqlStatements } from './sql-split.js';

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Turns a role's statements as stored into single MySQL statements. Each entry may be SQL holding several
 * statements, a JSON array of strings, or base64 of either (spec §7.2, Vault's ParseArbitraryStringSlice); each
 * piece is then split by the MySQL lexer, never on a bare `;`. Throws an invalid_request error naming line and
 * column when a piece does not lex.
 */
export function expandMysqlStatements(entries: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of entries) {
    const entry = decodeBase64(raw.trim());
    if (entry === '') continue;
    for (const piece of decodeJsonArray(entry) ?? [entry]) out.push(...splitMysqlStatements(piece));
  }
  return out;
}

/** Base64 only when the whole entry decodes to readable text that looks like statements ("GRANT" stays as is). */
function decodeBase64(entry: string): string {
  if (entry.length % 4 !== 0 || !BASE64.test(entry)) return entry;
  const bytes = Buffer.from(entry, 'base64');
  const text = bytes.toString('utf8');
  const readable = Buffer.from(text, 'utf8').equals(bytes) && ![...text].some(isUnreadable);
  return readable && /\s|;/.test(text) ? text : entry;
}

function decodeJsonArray(entry: string): string[] | undefined {
  if (!entry.startsWith('[')) return undefined;
  try {
    const parsed: unknown = JSON.parse(entry);
    if (Array.isArray(parsed) && parsed.every((s) => typeof s === 'string')) return parsed as string[];
  } catch {
    // Not JSON: the lexer judges it as SQL.
  }
  return undefined;
}

/** Control characters other than tab, newline and carriage return, and the replacement character. */
function isUnreadable(ch: string): boolean {
  const code = ch.codePointAt(0) ?? 0;
  return (code < 0x20 && ch !== '\t' && ch !== '\n' && ch !== '\r' && ch !== '\f' && ch !== '\v') || code === 0xfffd;
}
