import { describe, expect, it } from 'vitest';
import { field, parseFields } from './fields.js';

describe('parseFields: Vault weak typing', () => {
  const spec = {
    count: field.int(),
    enabled: field.bool({ default: false }),
    ttl: field.duration(),
    policies: field.commaStringList({ default: [] }),
    versions: field.commaIntList(),
    name: field.string({ required: true }),
    meta: field.kvPairs(),
    lower: field.lowercaseString(),
  };

  it('coerces numeric strings, bool strings, comma lists and durations', () => {
    const f = parseFields(spec, { count: '42', enabled: 'true', ttl: '1h', policies: 'dev-policy, test-policy', versions: '1,2', name: 7, meta: ['a=1', 'b=2'], lower: 'MiXed' });
    expect(f).toEqual({ count: 42, enabled: true, ttl: 3600, policies: ['dev-policy', 'test-policy'], versions: [1, 2], name: '7', meta: { a: '1', b: '2' }, lower: 'mixed' });
  });

  it('accepts native JSON types too', () => {
    const f = parseFields(spec, { count: 3, enabled: 1, ttl: 60, policies: ['a', ' b '], versions: [3], name: 'n', meta: { k: 'v' } });
    expect(f).toMatchObject({ count: 3, enabled: true, ttl: 60, policies: ['a', 'b'], versions: [3], meta: { k: 'v' } });
  });

  it('treats null as absent, applies defaults, ignores unknown keys', () => {
    const f = parseFields(spec, { count: null, name: 'x', mount_point: 'ignored' });
    expect(f).toEqual({ enabled: false, policies: [], name: 'x' });
  });

  it('collects every conversion error into one 400 that names the fields but not the values', () => {
    try {
      parseFields(spec, { count: 'many', enabled: 'perhaps', ttl: 'forever', name: 'x' });
      expect.unreachable();
    } catch (err) {
      const e = err as { code: string; messages: string[] };
      expect(e.code).toBe('invalid_request');
      expect(e.messages).toHaveLength(3);
      expect(e.messages.join(' ')).toMatch(/"count".*"enabled".*"ttl"/);
      expect(e.messages.join(' ')).not.toMatch(/many|perhaps|forever/);
    }
  });

  it('reports a missing required field', () => {
    expect(() => parseFields(spec, {})).toThrow(/missing required field "name"/);
  });
});
