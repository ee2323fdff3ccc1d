/**
 * A lexer for PostgreSQL statement text, good enough to split a script into statements and to know, for every
 * character, whether it sits in code, a string, a quoted identifier, a dollar-quoted body or a comment. It follows
 * PostgreSQL's own scanner (and psql's splitting rules) for: `'...'` strings with `''` escapes, `E'...'` strings with
 * backslash escapes, `"..."` identifiers with `""` escapes, `$$...$$` and `$tag$...$tag$` bodies, `--` line comments,
 * nested `/* ... *\/` comments, and SQL-standard function bodies (`BEGIN ATOMIC ... END`), inside which `;` does not
 * end the statement. It never splits naively on `;`.
 */

export type SegmentKind = 'code' | 'string' | 'escape-string' | 'identifier' | 'dollar' | 'line-comment' | 'block-comment';

/** A run of text of one kind. Strings, identifiers and bodies include their delimiters. */
export interface Segment {
  kind: SegmentKind;
  text: string;
  /** Offset of the segment in the lexed text. */
  start: number;
}

/** Statement text that cannot be lexed (an unterminated quote, body or comment), with where it starts (1-based). */
export class SqlSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${reason} at line ${line}, column ${column}`);
    this.name = 'SqlSyntaxError';
  }
}

const IDENT_START = /[A-Za-z_\u0080-\uffff]/;
const IDENT_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/;
const DOLLAR_TAG = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/;

function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function fail(text: string, offset: number, reason: string): never {
  const { line, column } = position(text, offset);
  throw new SqlSyntaxError(reason, line, column);
}

/** End (exclusive) of a `'...'` string starting at `i` (the quote); `backslash` = E'' rules. */
function endOfString(text: string, i: number, backslash: boolean): number {
  let j = i + 1;
  while (j < text.length) {
    const c = text[j];
    if (backslash && c === '\\') {
      j += 2;
      continue;
    }
    if (c === "'") {
      if (text[j + 1] === "'") {
        j += 2;
        continue;
      }
      return j + 1;
    }
    j++;
  }
  return fail(text, i, 'unterminated quoted string');
}

function endOfIdentifier(text: string, i: number): number {
  let j = i + 1;
  while (j < text.length) {
    if (text[j] === '"') {
      if (text[j + 1] === '"') {
        j += 2;
        continue;
      }
      return j + 1;
    }
    j++;
  }
  return fail(text, i, 'unterminated quoted identifier');
}

function endOfBlockComment(text: string, i: number): number {
  let depth = 0;
  let j = i;
  while (j < text.length) {
    if (text.startsWith('/*', j)) {
      depth++;
      j += 2;
    } else if (text.startsWith('*/', j)) {
      depth--;
      j += 2;
      if (depth === 0) return j;
    } else j++;
  }
  return fail(text, i, 'unterminated /* comment');
}

/** Splits `text` into segments. Throws SqlSyntaxError for an unterminated string, identifier, body or comment. */
export function lexSql(text: string): Segment[] {
  const out: Segment[] = [];
  let codeStart = 0;
  const push = (kind: SegmentKind, start: number, end: number): void => {
    if (codeStart < start) out.push({ kind: 'code', text: text.slice(codeStart, start), start: codeStart });
    out.push({ kind, text: text.slice(start, end), start });
    codeStart = end;
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    const prev = i > 0 ? (text[i - 1] as string) : '';
    if (c === "'") {
      // E'...' (or e'...') uses backslash escapes; the prefix must not be the end of a longer identifier.
      const escaped = (prev === 'E' || prev === 'e') && (i < 2 || !IDENT_CHAR.test(text[i - 2] as string));
      const end = endOfString(text, i, escaped);
      push(escaped ? 'escape-string' : 'string', escaped ? i - 1 : i, end);
      i = end;
    } else if (c === '"') {
      const end = endOfIdentifier(text, i);
      push('identifier', i, end);
      i = end;
    } else if (c === '-' && text[i + 1] === '-') {
      const nl = text.indexOf('\n', i);
      const end = nl === -1 ? text.length : nl;
      push('line-comment', i, end);
      i = end;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = endOfBlockComment(text, i);
      push('block-comment', i, end);
      i = end;
    } else if (c === '$' && !IDENT_CHAR.test(prev)) {
      const m = DOLLAR_TAG.exec(text.slice(i, i + 64));
      if (!m) {
        i++; // `$1` parameters and lone dollars are code
        continue;
      }
      const tag = m[0];
      const close = text.indexOf(tag, i + tag.length);
      if (close === -1) fail(text, i, `unterminated dollar-quoted string ${tag}`);
      push('dollar', i, close + tag.length);
      i = close + tag.length;
    } else if (IDENT_START.test(c) && !IDENT_CHAR.test(prev)) {
      // Skip whole words, so a `$` inside an identifier (`a$b$`) is never taken for a dollar quote.
      let j = i + 1;
      while (j < text.length && IDENT_CHAR.test(text[j] as string)) j++;
      i = j;
    } else i++;
  }
  if (codeStart < text.length) out.push({ kind: 'code', text: text.slice(codeStart), start: codeStart });
  return out;
}

const WORD = /[A-Za-z_][A-Za-z0-9_$]*/g;
const WORD_OR_SEMICOLON = /[A-Za-z_][A-Za-z0-9_$]*|;/g;

/** Upper-cased words of the code segments, in order. */
function codeWords(segments: Segment[]): string[] {
  return segments.filter((s) => s.kind === 'code').flatMap((s) => [...s.text.matchAll(WORD)].map((m) => m[0].toUpperCase()));
}

/**
 * Splits a script into statements: on `;` in code only, and not inside a `BEGIN ATOMIC ... END` body. Statements are
 * trimmed; those holding only comments and whitespace are dropped. Throws SqlSyntaxError when the text does not lex
 * or a `BEGIN ATOMIC` body never ends.
 */
export function splitSql(text: string): string[] {
  const cuts: number[] = [];
  let depth = 0;
  let atomicStart = -1;
  let previousWord = '';
  for (const seg of lexSql(text)) {
    if (seg.kind !== 'code') continue;
    for (const m of seg.text.matchAll(WORD_OR_SEMICOLON)) {
      const token = m[0].toUpperCase();
      const at = seg.start + m.index;
      if (token === ';') {
        if (depth === 0) cuts.push(at);
        previousWord = '';
        continue;
      }
      if (token === 'ATOMIC' && previousWord === 'BEGIN') {
        if (depth === 0) atomicStart = at;
        depth++;
      } else if (depth > 0 && token === 'CASE') depth++;
      else if (depth > 0 && token === 'END') depth--;
      previousWord = token;
    }
  }
  if (depth > 0) fail(text, atomicStart, 'BEGIN ATOMIC without END');
  const statements: string[] = [];
  let from = 0;
  for (const cut of [...cuts, text.length]) {
    const piece = text.slice(from, cut);
    from = cut + 1;
    if (hasCode(piece)) statements.push(piece.trim());
  }
  return statements;
}

/** Whether a piece of (already lexable) text holds anything but comments and whitespace. */
function hasCode(piece: string): boolean {
  return lexSql(piece).some((s) => s.kind !== 'line-comment' && s.kind !== 'block-comment' && s.text.trim() !== '');
}

/** Keywords whose statements change an object's access-control list (or default ACLs), in code only. */
export function changesAcl(statement: string): boolean {
  const words = codeWords(lexSql(statement));
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w === 'GRANT' || w === 'REVOKE' || w === 'REASSIGN') return true;
    if (w === 'DEFAULT' && words[i + 1] === 'PRIVILEGES') return true;
    if (w === 'DROP' && words[i + 1] === 'OWNED') return true;
  }
  return false;
}
