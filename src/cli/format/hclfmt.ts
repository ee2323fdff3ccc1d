/**
 * A layout-only formatter for HCL policy files (`ward policy fmt`). Vault reprints the file with HCL1's printer;
 * Ward has no HCL printer, and reprinting the parsed structure would lose comments and reorder blocks (hcl2json
 * groups blocks by label), so the file is re-laid out token by token instead:
 *
 * * every line is indented two spaces per open `{`, `[` or `(`;
 * * spacing inside a line is normalised: `key = value`, `["a", "b"]`, `path "x" {`, one space before a trailing
 *   comment, runs of blanks elsewhere collapsed to one;
 * * the `=` of adjacent one-line attributes in the same block are aligned, as HCL's printer aligns them;
 * * top-level items are separated by one blank line unless both are one-liners on adjacent lines (HCL's printer
 *   rule); elsewhere runs of blank lines become one, and none is kept after `{` or before `}`;
 * * trailing blanks are removed and the file ends with one newline.
 *
 * Comments, strings and heredocs are kept verbatim. The caller validates the policy first.
 */

type Kind = 'word' | 'string' | 'comment' | 'heredoc' | 'punct' | 'nl';

interface Token {
  kind: Kind;
  text: string;
  /** Whether blanks preceded the token on its line. */
  space: boolean;
}

const OPENERS = new Set(['{', '[', '(']);
const CLOSERS = new Set(['}', ']', ')']);
const OPERATORS = ['==', '!=', '<=', '>=', '&&', '||', '=>', '...'];

/** An HCL text that could not be tokenised (an unterminated string, comment or heredoc). */
export class HclFormatError extends Error {}

/** Scans a quoted string starting at `i` (the opening quote); returns the index after the closing quote. */
function scanString(src: string, i: number): number {
  let j = i + 1;
  while (j < src.length) {
    const c = src[j];
    if (c === '\\') {
      j += 2;
      continue;
    }
    if (c === '"') return j + 1;
    if (c === '\n') break;
    if ((c === '$' || c === '%') && src[j + 1] === '{') {
      if (src[j - 1] === c && src[j - 2] !== c) {
        // `$${` and `%%{` are escapes, not templates.
        j += 2;
        continue;
      }
      j = scanTemplate(src, j + 2);
      continue;
    }
    j++;
  }
  throw new HclFormatError('unterminated string');
}

/** Scans a `${ ... }` template body from just after its `{`; returns the index after the matching `}`. */
function scanTemplate(src: string, i: number): number {
  let depth = 1;
  let j = i;
  while (j < src.length) {
    const c = src[j];
    if (c === '"') {
      j = scanString(src, j);
      continue;
    }
    if (c === '{') depth++;
    if (c === '}' && --depth === 0) return j + 1;
    j++;
  }
  throw new HclFormatError('unterminated template');
}

/** Splits HCL text into tokens, newlines included. */
export function tokenizeHcl(src: string): Token[] {
  const out: Token[] = [];
  let space = false;
  let i = 0;
  const push = (kind: Kind, end: number): void => {
    out.push({ kind, text: src.slice(i, end), space });
    space = false;
    i = end;
  };
  while (i < src.length) {
    const c = src[i] as string;
    const rest = src.slice(i);
    if (c === ' ' || c === '\t' || c === '\r') {
      space = true;
      i++;
    } else if (c === '\n') {
      push('nl', i + 1);
    } else if (c === '#' || rest.startsWith('//')) {
      const nl = src.indexOf('\n', i);
      push('comment', nl < 0 ? src.length : nl);
    } else if (rest.startsWith('/*')) {
      const end = src.indexOf('*/', i + 2);
      if (end < 0) throw new HclFormatError('unterminated comment');
      push('comment', end + 2);
    } else if (c === '"') {
      push('string', scanString(src, i));
    } else if (/^<<-?[A-Za-z_][A-Za-z0-9_-]*[ \t]*\r?\n/.test(rest)) {
      const marker = (/^<<-?([A-Za-z_][A-Za-z0-9_-]*)/.exec(rest) as RegExpExecArray)[1] as string;
      let lineStart = src.indexOf('\n', i) + 1;
      let end = -1;
      while (lineStart > 0 && lineStart <= src.length) {
        const nl = src.indexOf('\n', lineStart);
        const lineEnd = nl < 0 ? src.length : nl;
        if (src.slice(lineStart, lineEnd).trim() === marker) {
          end = lineEnd;
          break;
        }
        if (nl < 0) break;
        lineStart = nl + 1;
      }
      if (end < 0) throw new HclFormatError(`unterminated heredoc ${marker}`);
      push('heredoc', end);
    } else {
      const op = OPERATORS.find((o) => rest.startsWith(o));
      const word = /^[A-Za-z0-9_.-]+/.exec(rest);
      if (op) push('punct', i + op.length);
      else if (word) push('word', i + word[0].length);
      else push('punct', i + 1);
    }
  }
  return out;
}

const isOpen = (t: Token | undefined): boolean => t !== undefined && t.kind === 'punct' && OPENERS.has(t.text);
const isClose = (t: Token | undefined): boolean => t !== undefined && t.kind === 'punct' && CLOSERS.has(t.text);
const is = (t: Token | undefined, text: string): boolean => t !== undefined && t.kind === 'punct' && t.text === text;

/** The separator between two tokens of one line. */
function gap(prev: Token, cur: Token): string {
  if (cur.kind === 'comment') return ' ';
  if (is(cur, ',')) return '';
  if (is(prev, ',')) return ' ';
  if (is(prev, '{')) return is(cur, '}') ? '' : ' ';
  if (is(cur, '}')) return ' ';
  if (is(cur, '{')) return ' ';
  if (is(prev, '[') || is(prev, '(')) return '';
  if (is(cur, ']') || is(cur, ')')) return '';
  if (is(cur, '=') || is(prev, '=')) return ' ';
  if (is(cur, '(') && prev.kind === 'word') return '';
  return cur.space ? ' ' : '';
}

interface Line {
  tokens: Token[];
  /** Nesting depth before the line. */
  depth: number;
  /** Nesting depth after the line. */
  after: number;
}

function runeLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** An attribute line that takes part in `=` alignment: `key = value` with nothing left open or closed. */
function alignable(l: Line): boolean {
  const [k, eq] = l.tokens;
  const oneLine = l.tokens.every((t) => !t.text.includes('\n'));
  return oneLine && l.tokens.length >= 3 && (k?.kind === 'word' || k?.kind === 'string') && is(eq, '=') && l.after === l.depth;
}

function render(l: Line, keyWidth: number): string {
  const indent = '  '.repeat(Math.max(0, isClose(l.tokens[0]) ? l.depth - 1 : l.depth));
  let text = '';
  l.tokens.forEach((t, i) => {
    if (i === 0) text = t.text;
    else if (i === 1 && keyWidth > 0) text += ' '.repeat(keyWidth - runeLength(text) + 1) + t.text;
    else text += gap(l.tokens[i - 1] as Token, t) + t.text;
  });
  return (indent + text).replace(/[ \t]+$/, '');
}

/** A top-level item: its leading comment lines, then the statement's lines (blank lines inside kept as null). */
interface Item {
  comments: Line[];
  lines: (Line | null)[];
  blankBefore: boolean;
}

/** Splits tokens into lines, blank lines as null, with the nesting depth before and after each. */
function toLines(tokens: readonly Token[]): (Line | null)[] {
  const lines: (Line | null)[] = [];
  let depth = 0;
  let current: Token[] = [];
  const flush = (): void => {
    if (current.length === 0) {
      lines.push(null);
      return;
    }
    let after = depth;
    for (const t of current) {
      if (isOpen(t)) after++;
      else if (isClose(t)) after = Math.max(0, after - 1);
    }
    lines.push({ tokens: current, depth, after });
    depth = after;
    current = [];
  };
  for (const t of tokens) {
    if (t.kind === 'nl') flush();
    else current.push(t);
  }
  if (current.length > 0) flush();
  return lines;
}

/** Groups lines into top-level items; comment lines directly above a statement lead it. */
function toItems(lines: readonly (Line | null)[]): Item[] {
  const items: Item[] = [];
  let comments: Line[] = [];
  let commentsBlank = false;
  let blank = false;
  let open: Item | undefined;
  const flushComments = (): void => {
    if (comments.length > 0) items.push({ comments, lines: [], blankBefore: commentsBlank });
    comments = [];
  };
  for (const l of lines) {
    if (open) {
      open.lines.push(l);
      if (l !== null && l.after === 0) open = undefined;
      continue;
    }
    if (l === null) {
      blank = true;
      continue;
    }
    if (l.tokens.every((t) => t.kind === 'comment')) {
      if (blank) flushComments();
      if (comments.length === 0) commentsBlank = blank;
      comments.push(l);
      blank = false;
      continue;
    }
    if (blank) flushComments();
    const item: Item = { comments, lines: [l], blankBefore: comments.length > 0 ? commentsBlank : blank };
    comments = [];
    blank = false;
    items.push(item);
    if (l.after > 0) open = item;
  }
  flushComments();
  return items;
}

/** Blank runs become one, with none after an opener, before a closer, or at the end of an item. */
function tidyBlanks(rows: readonly (Line | null)[]): (Line | null)[] {
  const out: (Line | null)[] = [];
  rows.forEach((l, i) => {
    if (l !== null) {
      out.push(l);
      return;
    }
    const before = out[out.length - 1];
    const next = rows.slice(i + 1).find((x): x is Line => x !== null);
    if (before === null || before === undefined || next === undefined) return;
    if (before.after > before.depth || isClose(next.tokens[0])) return;
    out.push(null);
  });
  return out;
}

/** Renders lines, aligning the `=` of each run of adjacent one-line attributes at the same depth. */
function renderLines(rows: readonly (Line | null)[]): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < rows.length) {
    const l = rows[i];
    if (l === null || l === undefined) {
      out.push('');
      i++;
      continue;
    }
    if (!alignable(l)) {
      out.push(render(l, 0));
      i++;
      continue;
    }
    const group: Line[] = [];
    for (let j = i; j < rows.length; j++) {
      const g = rows[j];
      if (g === null || g === undefined || !alignable(g) || g.depth !== l.depth) break;
      group.push(g);
    }
    const width = Math.max(...group.map((g) => runeLength((g.tokens[0] as Token).text)));
    for (const g of group) out.push(render(g, width));
    i += group.length;
  }
  return out;
}

/** Reformats HCL text; throws {@link HclFormatError} when it cannot be tokenised. */
export function formatHcl(src: string): string {
  const items = toItems(toLines(tokenizeHcl(src.replace(/^\uFEFF/, ''))));
  const out: string[] = [];
  items.forEach((item, idx) => {
    const multi = item.lines.length > 1;
    const prev = items[idx - 1];
    // HCL's printer separates top-level items with a blank line unless both are one-liners on adjacent lines.
    if (prev && (item.blankBefore || multi || prev.lines.length !== 1 || item.comments.length > 0)) out.push('');
    out.push(...renderLines(item.comments), ...renderLines(tidyBlanks(item.lines)));
  });
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}
