import { describe, expect, it } from 'vitest';
import { parseRedisRules } from './rules.js';

describe('parseRedisRules', () => {
  it("reads Vault's format: a JSON array of ACL rules", () => {
    expect(parseRedisRules(['["+@read","~*"]'])).toEqual(['+@read', '~*']);
    expect(parseRedisRules(['["~foo:*", "+get"]'])).toEqual(['~foo:*', '+get']);
  });

  it('reads base64 of the JSON form, space-separated rules, one rule per entry, and concatenates entries', () => {
    expect(parseRedisRules([Buffer.from('["~foo:*","+get"]').toString('base64')])).toEqual(['~foo:*', '+get']);
    expect(parseRedisRules(['+@read ~* &news:*'])).toEqual(['+@read', '~*', '&news:*']);
    expect(parseRedisRules(['~a:*', '+get', '+client|id'])).toEqual(['~a:*', '+get', '+client|id']);
  });

  it('returns no rule for empty statements (the plugin then applies the default)', () => {
    expect(parseRedisRules([])).toEqual([]);
    expect(parseRedisRules(['', '  '])).toEqual([]);
  });

  it('accepts the rest of the Redis 7 ACL grammar', () => {
    const rules = ['on', 'allkeys', 'resetkeys', 'allchannels', 'allcommands', 'nocommands', '-@dangerous', '%R~cache:*', '%RW~k', '-flushall', '(~t:* +set)', 'clearselectors'];
    expect(parseRedisRules([JSON.stringify(rules)])).toEqual(rules);
    expect(parseRedisRules(['+@read (~k* +get) ~x'])).toEqual(['+@read', '(~k* +get)', '~x']);
  });

  it('refuses what does not parse, naming the statement', () => {
    expect(() => parseRedisRules(['["+get",'])).toThrow(/creation statement 1 is not a JSON array of Redis ACL rules/);
    expect(() => parseRedisRules(['~a', '{"rules": 1}'])).toThrow(/creation statement 2: "\{"rules":" is not a Redis ACL rule/);
    expect(() => parseRedisRules(['[1, 2]'])).toThrow(/must be a JSON array of strings/);
    expect(() => parseRedisRules(['["read"]'])).toThrow(/"read" is not a Redis ACL rule/);
    expect(() => parseRedisRules(['["~"]'])).toThrow(/not a Redis ACL rule/);
    expect(() => parseRedisRules(['["(~a +get"]'])).toThrow(/is not closed/);
  });

  it('refuses rules that set, clear or bypass the password, without echoing a password', () => {
    for (const rule of ['nopass', 'resetpass', 'reset', 'NOPASS']) {
      expect(() => parseRedisRules([JSON.stringify([rule])])).toThrow(/Ward sets the user's password itself/);
    }
    for (const rule of ['>hunter22', '<hunter22', '#' + 'a'.repeat(64), '!' + 'a'.repeat(64)]) {
      const attempt = (): string[] => parseRedisRules([JSON.stringify(['+get', rule])]);
      expect(attempt).toThrow(/sets or removes a password/);
      expect(attempt).not.toThrow(/hunter22/);
    }
    expect(() => parseRedisRules(['["(~a >pw)"]'])).toThrow(/sets or removes a password/);
  });
});
