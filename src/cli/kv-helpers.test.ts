import { describe, expect, it } from 'vitest';
import { goPathJoin } from './client.js';
import { addPrefixToKVPath, getHeaderForMap, padEqualSigns, parseVersionsFlags } from './kv-helpers.js';

describe('kv path helpers (command/kv_helpers.go)', () => {
  it('inserts the API prefix after the mount', () => {
    expect(addPrefixToKVPath('secret/foo', 'secret/', 'data')).toBe('secret/data/foo');
    expect(addPrefixToKVPath('secret/a/b/', 'secret/', 'metadata')).toBe('secret/metadata/a/b');
    expect(addPrefixToKVPath('secret', 'secret/', 'metadata')).toBe('secret/metadata');
    expect(addPrefixToKVPath('team/kv/x', 'team/kv/', 'data')).toBe('team/kv/data/x');
    expect(addPrefixToKVPath('secret/foo', 'secret', 'metadata')).toBe('secret/metadata/foo');
  });

  it('cleans paths like Go path.Join', () => {
    expect(goPathJoin('/v1', 'secret/foo/')).toBe('/v1/secret/foo');
    expect(goPathJoin('', '/v1/a//b/./c/../d')).toBe('/v1/a/b/d');
    expect(goPathJoin('', '')).toBe('');
  });

  it('pads section headers as Vault does (the `vault kv get` docs example)', () => {
    expect(padEqualSigns('Secret Path', 'secret/data/creds'.length)).toBe('== Secret Path ==');
    expect(padEqualSigns('Secret Path', 'secret/data/foo'.length)).toBe('= Secret Path =');
    expect(getHeaderForMap('Metadata', { created_time: 1, custom_metadata: 1, deletion_time: 1, destroyed: 1, version: 1 })).toBe('======= Metadata =======');
    expect(getHeaderForMap('Data', { passcode: 'x' })).toBe('====== Data ======');
    expect(getHeaderForMap('Data', { a: 1 })).toBe('== Data ==');
  });

  it('splits -versions on commas', () => {
    expect(parseVersionsFlags(['1,2', ' 3 ', ''])).toEqual(['1', '2', '3']);
  });
});
