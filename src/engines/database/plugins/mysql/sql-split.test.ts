import { describe, expect, it } from 'vitest';
import { splitMysqlStatements } from './sql-split.js';
import { expandMysqlStatements } from './statements.js';
import { formatExpiration, renderMysqlStatement } from './sql-render.js';
import { lexMysql } from './sql-lexer.js';

describe('splitMysqlStatements', () => {
  it('splits on ; and trims, dropping empty statements', () => {
    expect(splitMysqlStatements(" CREATE USER 'a'@'%';\n\nGRANT SELECT ON db.* TO 'a'@'%' ;; ")).toEqual([
      "CREATE USER 'a'@'%'",
      "GRANT SELECT ON db.* TO 'a'@'%'",
    ]);
  });

  it('does not split inside single-quoted, double-quoted or backtick-quoted text', () => {
    const sql = "CREATE USER 'a;b'@'%' IDENTIFIED BY \"p;w\"; GRANT SELECT ON `we;ird`.* TO 'a;b'@'%'";
    expect(splitMysqlStatements(sql)).toEqual([
      "CREATE USER 'a;b'@'%' IDENTIFIED BY \"p;w\"",
      "GRANT SELECT ON `we;ird`.* TO 'a;b'@'%'",
    ]);
  });

  it('honours backslash escapes and doubled quotes', () => {
    const sql = "SELECT 'it\\'s; fine', 'it''s; fine', \"say \\\"; hi\\\"\", `a``;b`; SELECT 2";
    expect(splitMysqlStatements(sql)).toEqual(["SELECT 'it\\'s; fine', 'it''s; fine', \"say \\\"; hi\\\"\", `a``;b`", 'SELECT 2']);
  });

  it('treats a backslash in a backtick identifier as an ordinary character', () => {
    expect(splitMysqlStatements('SELECT `a\\`; SELECT 2')).toEqual(['SELECT `a\\`', 'SELECT 2']);
  });

  it('does not split inside comments, and drops statements that are only comments', () => {
    const sql = `-- first; still a comment
SELECT 1; # a hash comment; here
/* block; comment */ SELECT 2; /* only a comment; */
-- trailing`;
    expect(splitMysqlStatements(sql)).toEqual(['-- first; still a comment\nSELECT 1', '# a hash comment; here\n/* block; comment */ SELECT 2']);
  });

  it('reads -- as a comment only when whitespace follows, as MySQL does', () => {
    expect(splitMysqlStatements('SELECT 1--1; SELECT 2')).toEqual(['SELECT 1--1', 'SELECT 2']);
    expect(splitMysqlStatements('SELECT 1 --\tx; y\nSELECT 2')).toEqual(['SELECT 1 --\tx; y\nSELECT 2']);
  });

  it('supports DELIMITER lines for stored programs', () => {
    const sql = `DELIMITER //
CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END //
DELIMITER ;
SELECT 3;`;
    expect(splitMysqlStatements(sql)).toEqual(['CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END', 'SELECT 3']);
  });

  it('refuses unterminated strings, identifiers and comments, naming the place', () => {
    expect(() => splitMysqlStatements("SELECT 1;\nSELECT 'oops")).toThrow(/unterminated '-quoted string starting at line 2, column 8/);
    expect(() => splitMysqlStatements('SELECT `oops')).toThrow(/unterminated backtick-quoted identifier/);
    expect(() => splitMysqlStatements('SELECT 1 /* oops')).toThrow(/unterminated \/\* comment/);
    expect(() => splitMysqlStatements("SELECT 'ends with a backslash\\'")).toThrow(/unterminated/);
  });

  it('expands every stored form: several statements, a JSON array, base64', () => {
    const sql = "CREATE USER '{{name}}'@'%'; GRANT SELECT ON db.* TO '{{name}}'@'%'";
    const expected = ["CREATE USER '{{name}}'@'%'", "GRANT SELECT ON db.* TO '{{name}}'@'%'"];
    expect(expandMysqlStatements([sql])).toEqual(expected);
    expect(expandMysqlStatements([JSON.stringify(expected)])).toEqual(expected);
    expect(expandMysqlStatements([Buffer.from(sql).toString('base64')])).toEqual(expected);
    expect(expandMysqlStatements(['SELECT 1; SELECT 2', '', 'SELECT 3'])).toEqual(['SELECT 1', 'SELECT 2', 'SELECT 3']);
    expect(expandMysqlStatements(['GRANT'])).toEqual(['GRANT']);
  });

  it('lexes losslessly', () => {
    const sql = "a 'b' \"c\" `d` -- e\n# f\n/* g */ h";
    expect(lexMysql(sql).map((s) => s.text).join('')).toBe(sql);
    expect(lexMysql(sql).map((s) => s.context)).toEqual(['code', 'single', 'code', 'double', 'code', 'backtick', 'code', 'comment', 'code', 'comment', 'code', 'comment', 'code']);
  });
});

describe('renderMysqlStatement', () => {
  const vars = { name: 'v-user', username: 'v-user', password: "p'a\\s\"s`$&", expiration: '2025-03-01 14:05:09+0000' };

  it('escapes values for the quoting around them', () => {
    expect(renderMysqlStatement("CREATE USER '{{name}}'@'%' IDENTIFIED BY '{{password}}'", vars)).toBe(
      "CREATE USER 'v-user'@'%' IDENTIFIED BY 'p''a\\\\s\"s`$&'",
    );
    expect(renderMysqlStatement('SELECT "{{password}}", `{{password}}`', vars)).toBe('SELECT "p\'a\\\\s""s`$&", `p\'a\\s"s``$&`');
  });

  it('inserts values outside quotes as written, and leaves unknown placeholders alone', () => {
    expect(renderMysqlStatement('SELECT {{username}}, {{other}}', vars)).toBe('SELECT v-user, {{other}}');
  });

  it('is not fooled by a value that looks like a placeholder', () => {
    expect(renderMysqlStatement("'{{password}}' '{{name}}'", { password: '{{name}}', name: 'n' })).toBe("'{{name}}' 'n'");
  });

  it('formats expiration in Vault layout, in UTC', () => {
    expect(formatExpiration(new Date('2025-03-01T14:05:09.999Z'))).toBe('2025-03-01 14:05:09+0000');
  });
});
