import { beforeEach, describe, expect, it } from 'vitest';
import { listRecursive, prefixedStorage, rfc3339Nano, type Storage } from '../../framework/index.js';
import { InmemPhysical } from '../../storage/inmem/inmem-physical.js';
import { kvEngine } from './index.js';
import { fakeSystem, mount, type FakeSystem, type Mounted } from './harness.suite.js';

const START = Date.UTC(2024, 0, 2, 3, 4, 5, 678);

describe('kv v2 metadata', () => {
  let kv: Mounted;
  let system: FakeSystem;
  let storage: Storage;

  beforeEach(async () => {
    system = fakeSystem(START);
    storage = prefixedStorage(new InmemPhysical(), 'logical/uuid-1/');
    kv = await mount(kvEngine, storage, { version: '2' }, system);
  });

  const write = (path: string, data: Record<string, unknown>) => kv.call('update', `data/${path}`, { data });

  it('lists keys one level down, folders ending in /, null when empty', async () => {
    expect(await kv.call('list', 'metadata/')).toBeNull();
    await write('a', { v: 1 });
    await write('dir/b', { v: 1 });
    await write('dir/sub/c', { v: 1 });
    expect(await kv.call('list', 'metadata/')).toEqual({ data: { keys: ['a', 'dir/'] } });
    expect(await kv.call('list', 'metadata/dir')).toEqual({ data: { keys: ['b', 'sub/'] } });
    expect(await kv.call('list', 'metadata/nothing')).toBeNull();
  });

  it('reads the full metadata body', async () => {
    await write('k', { v: 1 });
    system.advance(1000);
    await write('k', { v: 2 });
    system.advance(1000);
    await kv.call('delete', 'data/k');
    expect(await kv.call('read', 'metadata/k')).toEqual({
      data: {
        cas_required: false,
        created_time: rfc3339Nano(START),
        current_version: 2,
        custom_metadata: null,
        delete_version_after: '0s',
        max_versions: 0,
        oldest_version: 0,
        updated_time: rfc3339Nano(START + 1000),
        versions: {
          '1': { created_time: rfc3339Nano(START), deletion_time: '', destroyed: false },
          '2': { created_time: rfc3339Nano(START + 1000), deletion_time: rfc3339Nano(START + 2000), destroyed: false },
        },
      },
    });
    expect(await kv.call('read', 'metadata/missing')).toBeNull();
  });

  it('writes settings (weakly typed) and creates the key if needed', async () => {
    expect(
      await kv.call('update', 'metadata/k', {
        max_versions: '5',
        cas_required: 'true',
        delete_version_after: '1h30m',
        custom_metadata: { owner: 'team-a', n: 3, ok: true },
      }),
    ).toBeNull();
    expect(kv.lastOperation()).toBe('create');
    expect((await kv.call('read', 'metadata/k'))?.data).toMatchObject({
      max_versions: 5,
      cas_required: true,
      delete_version_after: '1h30m0s',
      custom_metadata: { owner: 'team-a', n: '3', ok: '1' },
      current_version: 0,
      versions: {},
      created_time: rfc3339Nano(START),
    });
    // No data yet: reading the secret finds nothing.
    expect(await kv.call('read', 'data/k')).toBeNull();
    await kv.call('update', 'metadata/k', { delete_version_after: 0 });
    expect(kv.lastOperation()).toBe('update');
    expect((await kv.call('read', 'metadata/k'))?.data).toMatchObject({ delete_version_after: '0s', max_versions: 5 });
  });

  it('writes nothing when no setting is given', async () => {
    expect(await kv.call('update', 'metadata/k', { unrelated: 1 })).toBeNull();
    expect(await kv.call('read', 'metadata/k')).toBeNull();
  });

  it('refuses bad input', async () => {
    expect((await kv.fail('update', 'metadata/', { max_versions: 1 })).messages).toEqual(['missing path']);
    expect((await kv.fail('update', 'metadata/k', { max_versions: -1 })).code).toBe('invalid_request');
    expect((await kv.fail('update', 'metadata/k', { delete_version_after: '-1h' })).code).toBe('invalid_request');
    expect((await kv.fail('update', 'metadata/k', { custom_metadata: { a: { b: 1 } } })).code).toBe('invalid_request');
    expect(await kv.call('read', 'metadata/k')).toBeNull();
  });

  it('shows custom_metadata in data responses', async () => {
    await kv.call('update', 'metadata/k', { custom_metadata: { owner: 'me' } });
    expect((await write('k', { v: 1 }))?.data).toMatchObject({ custom_metadata: { owner: 'me' } });
    expect((await kv.call('read', 'data/k'))?.data).toMatchObject({ metadata: { custom_metadata: { owner: 'me' } } });
    // A write replaces the map; an empty map reads back as null, as in Vault.
    await kv.call('update', 'metadata/k', { custom_metadata: {} });
    expect((await kv.call('read', 'metadata/k'))?.data).toMatchObject({ custom_metadata: null });
  });

  describe('custom_metadata limits', () => {
    const fail = (custom: Record<string, unknown>) => kv.fail('update', 'metadata/k', { custom_metadata: custom });

    it('at most 64 keys', async () => {
      const ok = Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`k${i}`, 'v']));
      expect(await kv.call('update', 'metadata/k', { custom_metadata: ok })).toBeNull();
      const err = await fail({ ...ok, one: 'more' });
      expect([err.status, err.messages]).toEqual([
        400,
        ['custom_metadata validation failed: payload must contain at most 64 keys, provided 65'],
      ]);
    });

    it('keys of 1..128 bytes, values of 1..512 bytes, all printable', async () => {
      expect(await kv.call('update', 'metadata/k', { custom_metadata: { ['k'.repeat(128)]: 'v'.repeat(512) } })).toBeNull();
      expect((await fail({ ['k'.repeat(129)]: 'v' })).messages).toEqual([
        `custom_metadata validation failed: length of key "${'k'.repeat(129)}" is 129 but must be 0 < len(key) <= 128`,
      ]);
      expect((await fail({ k: 'v'.repeat(513) })).messages).toEqual([
        'custom_metadata validation failed: length of value for key "k" is 513 but must be 0 < len(value) <= 512',
      ]);
      // Bytes, not characters: 257 two-byte characters are 514 bytes.
      expect((await fail({ k: 'é'.repeat(257) })).messages[0]).toContain('is 514 but');
      expect((await fail({ k: '' })).messages[0]).toContain('length of value for key "k" is 0');
      expect((await fail({ k: null })).messages[0]).toContain('length of value for key "k" is 0');
      expect((await fail({ k: 'a\u0007b' })).messages).toEqual([
        'custom_metadata validation failed: value for key "k" contains unprintable characters',
      ]);
      expect((await fail({ 'a\nb': 'v' })).messages).toEqual([
        'custom_metadata validation failed: key "a\\nb" contains unprintable characters',
      ]);
      expect((await fail({ a: '', b: '' })).messages).toHaveLength(2);
    });
  });

  it('warns when cas_required=false is overridden by the mount config', async () => {
    await kv.call('update', 'config', { cas_required: true });
    expect(await kv.call('update', 'metadata/k', { cas_required: false })).toEqual({
      warnings: ['"cas_required" set to false, but is mandated by backend config. This value will be ignored.'],
    });
  });

  describe('patch', () => {
    it('is a 404 for a missing key', async () => {
      const err = await kv.fail('patch', 'metadata/missing', { max_versions: 2 });
      expect([err.code, err.status]).toEqual(['not_found', 404]);
    });

    it('changes only what is given; custom_metadata merges, null removes a key', async () => {
      await kv.call('update', 'metadata/k', { max_versions: 3, cas_required: true, custom_metadata: { a: '1', b: '2' } });
      expect(await kv.call('patch', 'metadata/k', { custom_metadata: { b: null, c: 3 } })).toEqual({});
      expect((await kv.call('read', 'metadata/k'))?.data).toMatchObject({
        max_versions: 3,
        cas_required: true,
        custom_metadata: { a: '1', c: '3' },
      });
      await kv.call('patch', 'metadata/k', { max_versions: 7, delete_version_after: '10m' });
      expect((await kv.call('read', 'metadata/k'))?.data).toMatchObject({
        max_versions: 7,
        delete_version_after: '10m0s',
        custom_metadata: { a: '1', c: '3' },
      });
    });

    it('validates the merged custom_metadata', async () => {
      const full = Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`k${i}`, 'v']));
      await kv.call('update', 'metadata/k', { custom_metadata: full });
      expect((await kv.fail('patch', 'metadata/k', { custom_metadata: { extra: 'x' } })).code).toBe('invalid_request');
      expect(await kv.call('patch', 'metadata/k', { custom_metadata: { k0: null, extra: 'x' } })).toEqual({});
    });

    it('warns like a write when cas_required=false is overridden', async () => {
      await kv.call('update', 'metadata/k', { max_versions: 1 });
      await kv.call('update', 'config', { cas_required: true });
      expect((await kv.call('patch', 'metadata/k', { cas_required: false }))?.warnings).toHaveLength(1);
    });
  });

  it('delete removes the key, all its versions and its settings', async () => {
    await kv.call('update', 'metadata/k', { max_versions: 4 });
    for (let i = 1; i <= 3; i++) await write('k', { i });
    await kv.call('update', 'destroy/k', { versions: [1] });
    await write('other', { v: 1 });
    expect(await kv.call('delete', 'metadata/k')).toBeNull();
    expect(await kv.call('read', 'metadata/k')).toBeNull();
    expect(await kv.call('read', 'data/k')).toBeNull();
    expect(await listRecursive(storage, 'versions/')).toHaveLength(1);
    expect(await listRecursive(storage, 'metadata/')).toEqual(['other']);
    expect(await kv.call('delete', 'metadata/k')).toBeNull();
    // Starts again from version 1 with default settings.
    expect((await write('k', { v: 'new' }))?.data).toMatchObject({ version: 1 });
    expect((await kv.call('read', 'metadata/k'))?.data).toMatchObject({ max_versions: 0 });
  });
});
