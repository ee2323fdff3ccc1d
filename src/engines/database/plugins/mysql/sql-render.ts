import { lexMysql, type SqlContext } from './sql-lexer.js';

/** Values for `{{name}}`, `{{username}}`, `{{password}}`, `{{expiration}}`. Absent keys are left as written. */
export type StatementVars = Readonly<Record<string, string>>;

const PLACEHOLDER = /\{\{(\w+)\}\}/g;

const ESCAPERS: Readonly<Record<SqlContext, (value: string) => string>> = {
  // Doubling the quote works whatever sql_mode says; the backslash is doubled for the default mode (without
  // NO_BACKSLASH_ESCAPES), where a lone one would escape the next character.
  single: (v) => v.replaceAll('\\', '\\\\').replaceAll("'", "''"),
  double: (v) => v.replaceAll('\\', '\\\\').replaceAll('"', '""'),
  backtick: (v) => v.replaceAll('`', '``'),
  // Outside quotes the value is inserted as written, as Vault does.
  code: (v) => v,
  comment: (v) => v,
};

/**
 * Replaces `{{key}}` placeholders in one MySQL statement. A value inside a quoted string or identifier is escaped
 * for that quoting, so a password holding `'` or `\` cannot end the literal early or change the statement; a value
 * outside quotes is inserted as written (Vault's behaviour). Vault's format is matched exactly: `{{name}}`, no
 * spaces inside the braces.
 */
export function renderMysqlStatement(statement: string, vars: StatementVars): string {
  if (!statement.includes('{{')) return statement;
  return lexMysql(statement)
    .map((segment) => {
      const escape = ESCAPERS[segment.context];
      // One pass, so a value that looks like a placeholder is never substituted again.
      return segment.text.replace(PLACEHOLDER, (whole: string, key: string) => {
        const value = Object.hasOwn(vars, key) ? vars[key] : undefined;
        return value === undefined ? whole : escape(value);
      });
    })
    .join('');
}

/** `{{expiration}}` in Vault's layout (Go `2006-01-02 15:04:05-0700`), in UTC: `2025-03-01 14:05:09+0000`. */
export function formatExpiration(at: Date): string {
  return `${at.toISOString().slice(0, 19).replace('T', ' ')}+0000`;
}
