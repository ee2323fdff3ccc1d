import { describe, expect, it } from 'vitest';
import { changesAcl, lexSql, splitSql, SqlSyntaxError } from './sql-lexer.js';
import { expandStatements, formatExpiration, renderStatement } from './statements.js';

describe('splitSql', () => {
  it('splits on ; in code and trims', () => {
    expect(splitSql(`CREATE ROLE "a";  GRANT SELECT ON t TO "a" ;\n`)).toEqual(['CREATE ROLE "a"', 'GRANT SELECT ON t TO "a"']);
  });

  it('keeps ; inside strings, escaped strings and quoted identifiers', () => {
    expect(splitSql(`SELECT 'a;b', 'it''s; fine'; SELECT "we;ird""x;"`)).toEqual([`SELECT 'a;b', 'it''s; fine'`, `SELECT "we;ird""x;"`]);
    expect(splitSql(`SELECT E'\\'; still a string'; SELECT 2`)).toEqual([`SELECT E'\\'; still a string'`, 'SELECT 2']);
  });

  it('keeps ; inside $$ and $tag$ bodies (a DO block or function stays whole)', () => {
    const fn = `CREATE FUNCTION f() RETURNS int AS $body$ BEGIN PERFORM 1; RETURN 2; END $body$ LANGUAGE plpgsql`;
    const doBlock = `DO $$ BEGIN EXECUTE 'GRANT x TO y'; RAISE NOTICE 'a;b'; END $$`;
    expect(splitSql(`${fn};\n${doBlock};`)).toEqual([fn, doBlock]);
    // A different tag inside does not end the body.
    expect(splitSql(`SELECT $a$ x $b$ ; $b$ y $a$; SELECT 1`)).toEqual([`SELECT $a$ x $b$ ; $b$ y $a$`, 'SELECT 1']);
  });

  it('treats $1 and identifiers holding $ as code', () => {
    expect(splitSql(`PREPARE p AS SELECT $1; SELECT a$b$c FROM t`)).toEqual(['PREPARE p AS SELECT $1', 'SELECT a$b$c FROM t']);
  });

  it('ignores ; in -- and nested /* */ comments, and drops comment-only pieces', () => {
    expect(splitSql(`-- first; comment\nSELECT 1; /* a /* nested; */ b; */ SELECT 2; -- trailing;`)).toEqual([
      '-- first; comment\nSELECT 1',
      '/* a /* nested; */ b; */ SELECT 2',
    ]);
    expect(splitSql('  ;; -- nothing\n ; /* x */ ')).toEqual([]);
  });

  it('keeps BEGIN ATOMIC ... END bodies whole (SQL-standard function bodies)', () => {
    const fn = `CREATE FUNCTION g(a int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN a > 0 THEN 1 ELSE 0 END; SELECT 2; END`;
    expect(splitSql(`${fn}; SELECT 3`)).toEqual([fn, 'SELECT 3']);
  });

  it('refuses what does not lex, saying where', () => {
    const cases: Array<[string, RegExp]> = [
      [`CREATE ROLE "x" PASSWORD 'abc`, /unterminated quoted string at line 1, column 26/],
      [`SELECT 1;\nCREATE ROLE "x`, /unterminated quoted identifier at line 2, column 13/],
      [`DO $$ BEGIN NULL; END`, /unterminated dollar-quoted string \$\$ at line 1, column 4/],
      [`SELECT 1 /* open`, /unterminated \/\* comment/],
      [`CREATE FUNCTION h() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1;`, /BEGIN ATOMIC without END/],
    ];
    for (const [text, message] of cases) {
      expect(() => splitSql(text)).toThrow(SqlSyntaxError);
      expect(() => splitSql(text)).toThrow(message);
    }
  });

  it('lexes into kinds', () => {
    expect(lexSql(`a 'b' E'c' "d" $$e$$ -- f\n/* g */`).map((s) => s.kind)).toEqual([
      'code', 'string', 'code', 'escape-string', 'code', 'identifier', 'code', 'dollar', 'code', 'line-comment', 'code', 'block-comment',
    ]);
  });
});

describe('changesAcl', () => {
  it('spots GRANT, REVOKE, default privileges and REASSIGN/DROP OWNED in code only', () => {
    expect(changesAcl('GRANT SELECT ON t TO "x"')).toBe(true);
    expect(changesAcl('revoke all on t from x')).toBe(true);
    expect(changesAcl('ALTER DEFAULT PRIVILEGES IN SCHEMA s GRANT SELECT ON TABLES TO x')).toBe(true);
    expect(changesAcl('DROP OWNED BY x')).toBe(true);
    expect(changesAcl(`CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' IN ROLE app_readers`)).toBe(false);
    expect(changesAcl(`CREATE ROLE "grant" PASSWORD 'revoke' -- GRANT`)).toBe(false);
  });
});

describe('expandStatements', () => {
  const sql = `CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}';GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{{name}}";`;
  const expected = [`CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}'`, 'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{{name}}"'];

  it('accepts every form of §7.2: array, ;-string, JSON-array string, base64 of those', () => {
    expect(expandStatements([sql])).toEqual(expected);
    expect(expandStatements([`${expected[0]};`, expected[1] as string])).toEqual(expected);
    expect(expandStatements([JSON.stringify(expected)])).toEqual(expected);
    expect(expandStatements([Buffer.from(sql).toString('base64')])).toEqual(expected);
    expect(expandStatements([Buffer.from(JSON.stringify(expected)).toString('base64')])).toEqual(expected);
  });

  it('leaves short words that happen to be valid base64 alone', () => {
    expect(expandStatements(['ABORT', 'abcd'])).toEqual(['ABORT', 'abcd']);
  });

  it('drops empty entries', () => {
    expect(expandStatements(['', '  ', ';'])).toEqual([]);
  });
});

describe('renderStatement', () => {
  it('substitutes the variables, escaped for where they sit', () => {
    const out = renderStatement(`CREATE ROLE "{{name}}" PASSWORD '{{password}}' VALID UNTIL '{{expiration}}' -- {{username}}`, {
      name: 'v-a"b',
      username: 'v-a"b',
      password: `p'w`,
      expiration: '2025-03-01 14:05:09+0000',
    });
    expect(out).toBe(`CREATE ROLE "v-a""b" PASSWORD 'p''w' VALID UNTIL '2025-03-01 14:05:09+0000' -- v-a"b`);
    expect(renderStatement(`SELECT E'{{password}}'`, { password: `a\\'b` })).toBe(`SELECT E'a\\\\''b'`);
  });

  it('leaves unknown or absent variables as written', () => {
    expect(renderStatement(`SELECT '{{other}}', '{{password}}'`, { name: 'x' })).toBe(`SELECT '{{other}}', '{{password}}'`);
  });
});

describe('formatExpiration', () => {
  it("uses Go's 2006-01-02 15:04:05-0700 layout in UTC", () => {
    expect(formatExpiration(new Date(Date.UTC(2025, 2, 1, 14, 5, 9, 500)))).toBe('2025-03-01 14:05:09+0000');
  });
});
