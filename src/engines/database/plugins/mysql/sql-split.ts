import { lexMysql } from './sql-lexer.js';

// The mysql client's DELIMITER command: alone on its line, at the start of a statement.
const DELIMITER_COMMAND = /[ \t]*DELIMITER[ \t]+(\S+)[ \t]*(?=\r?\n|$)/iy;

/**
 * Splits MySQL/MariaDB text into statements on the delimiter (`;` by default) outside strings, identifiers and
 * comments — never a naive split. Supports the mysql client's `DELIMITER //` lines, so stored-program bodies with
 * inner `;` can be written as the client accepts them. Statements are trimmed; statements made only of whitespace
 * and comments are dropped (the server answers those with "Query was empty").
 *
 * Throws an invalid_request error for an unterminated string, identifier or comment.
 */
export function splitMysqlStatements(sql: string): string[] {
  const statements: string[] = [];
  let delimiter = ';';
  let current = '';
  let hasCode = false;
  const flush = (): void => {
    if (hasCode) statements.push(current.trim());
    current = '';
    hasCode = false;
  };
  for (const segment of lexMysql(sql)) {
    if (segment.context !== 'code') {
      current += segment.text;
      if (segment.context !== 'comment') hasCode = true;
      continue;
    }
    const text = segment.text;
    let pos = 0;
    while (pos < text.length) {
      if (!hasCode && atLineStart(current)) {
        DELIMITER_COMMAND.lastIndex = pos;
        const m = DELIMITER_COMMAND.exec(text);
        if (m) {
          delimiter = m[1] as string;
          pos = DELIMITER_COMMAND.lastIndex;
          current = '';
          continue;
        }
      }
      if (text.startsWith(delimiter, pos)) {
        flush();
        pos += delimiter.length;
        continue;
      }
      const ch = text[pos] as string;
      current += ch;
      if (ch.trim() !== '') hasCode = true;
      pos += 1;
    }
  }
  flush();
  return statements;
}

function atLineStart(current: string): boolean {
  const lastLine = current.slice(current.lastIndexOf('\n') + 1);
  return lastLine.trim() === '';
}
