import { describe, expect, it } from 'vitest';
import { parseSecretIdMetadata } from './metadata.js';

describe('secret ID metadata', () => {
  it('reads a JSON string, as hvac and node-vault send it', () => {
    expect(parseSecretIdMetadata('{ "tag1": "production", "team": "a" }')).toEqual({ tag1: 'production', team: 'a' });
  });

  it('reads base64 JSON, k=v pairs, an object, and nothing', () => {
    expect(parseSecretIdMetadata(Buffer.from('{"a":"b"}').toString('base64'))).toEqual({ a: 'b' });
    expect(parseSecretIdMetadata('a=b, c=d')).toEqual({ a: 'b', c: 'd' });
    expect(parseSecretIdMetadata({ a: 'b' })).toEqual({ a: 'b' });
    expect(parseSecretIdMetadata('')).toEqual({});
    expect(parseSecretIdMetadata(undefined)).toEqual({});
  });

  it('refuses non-string values, empty values and garbage with a 400', () => {
    for (const bad of ['{"a": 1}', '{"a": ""}', 'not metadata', { a: 1 }, 42]) {
      expect(() => parseSecretIdMetadata(bad)).toThrow(/failed to parse metadata/);
    }
  });
});
