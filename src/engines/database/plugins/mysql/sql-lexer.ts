import { invalidRequest } from '../../../../lib/errors.js';

/** Where a piece of MySQL text sits: plain code, inside a '…' / "…" string, a `…` identifier, or a comment. */
export type SqlContext = 'code' | 'single' | 'double' | 'backtick' | 'comment';

/** A run of text in one context. Quoted segments include their quotes; comments include their markers. */
export interface SqlSegment {
  context: SqlContext;
  text: string;
}

const QUOTE_CONTEXT: Readonly<Record<string, SqlContext>> = { "'": 'single', '"': 'double', '`': 'backtick' };

/**
 * Cuts MySQL/MariaDB text into code, quoted and comment segments, following the server's lexer: `'…'` and `"…"`
 * strings with backslash escapes and doubled quotes, `` `…` `` identifiers with doubled backticks, `# …` and `-- …`
 * line comments (`--` must be followed by whitespace, a control character or the end), and `/* … *\/` comments
 * (including the executable `/*! … *\/` form, kept whole). Concatenating the segments gives back the input.
 *
 * Throws an invalid_request error naming line and column for an unterminated string, identifier or comment.
 */
export function lexMysql(sql: string): SqlSegment[] {
  const segments: SqlSegment[] = [];
  let code = '';
  const flushCode = (): void => {
    if (code !== '') segments.push({ context: 'code', text: code });
    code = '';
  };
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i] as string;
    const quoteContext = QUOTE_CONTEXT[ch];
    if (quoteContext !== undefined) {
      const end = quotedEnd(sql, i);
      flushCode();
      segments.push({ context: quoteContext, text: sql.slice(i, end) });
      i = end;
    } else if (ch === '#' || isDashComment(sql, i)) {
      const newline = sql.indexOf('\n', i);
      const end = newline < 0 ? sql.length : newline;
      flushCode();
      segments.push({ context: 'comment', text: sql.slice(i, end) });
      i = end;
    } else if (ch === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      if (close < 0) throw syntaxError(sql, i, 'unterminated /* comment');
      flushCode();
      segments.push({ context: 'comment', text: sql.slice(i, close + 2) });
      i = close + 2;
    } else {
      code += ch;
      i += 1;
    }
  }
  flushCode();
  return segments;
}

/** `--` starts a comment only when followed by whitespace or a control character (or nothing), as in MySQL. */
function isDashComment(sql: string, i: number): boolean {
  if (sql[i] !== '-' || sql[i + 1] !== '-') return false;
  const next = sql.charCodeAt(i + 2);
  return Number.isNaN(next) || next <= 0x20;
}

/** Index just past the closing quote of the quoted run that starts at `start`. */
function quotedEnd(sql: string, start: number): number {
  const quote = sql[start] as string;
  const backslashEscapes = quote !== '`';
  let i = start + 1;
  while (i < sql.length) {
    const ch = sql[i];
    if (backslashEscapes && ch === '\\') {
      i += 2;
    } else if (ch === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else {
      i += 1;
    }
  }
  const what = quote === '`' ? 'backtick-quoted identifier' : `${quote}-quoted string`;
  throw syntaxError(sql, start, `unterminated ${what}`);
}

function syntaxError(sql: string, offset: number, what: string): Error {
  const before = sql.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return invalidRequest(`SQL statement does not parse: ${what} starting at line ${line}, column ${column}`);
}
