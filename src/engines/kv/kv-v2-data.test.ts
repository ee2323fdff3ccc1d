import { beforeEach, describe, expect, it } from 'vitest';
import { listRecursive, prefixedStorage, rfc3339Nano, type BatchOp, type Storage } from '../../framework/index.js';
import { InmemPhysical } from '../../storage/inmem/inmem-physical.js';
import { kvEngine } from './index.js';
import { fakeSystem, mount, type FakeSystem, type Mounted } from './harness.suite.js';

const START = Date.UTC(2024, 0, 2, 3, 4, 5, 678);
const HOUR = 3_600_000;

/** A storage that records how writes reach it, to check that a new version lands in one batch. */
function recording(inner: Storage): Storage & { puts: string[]; batches: BatchOp[][] } {
  const puts: string[] = [];
  const batches: BatchOp[][] = [];
  return {
    ...inner,
    puts,
    batches,
    put: async (key, value) => {
      puts.push(key);
      await inner.put(key, value);
    },
    batch: async (ops) => {
      batches.push(ops);
      await inner.batch(ops);
    },
  };
}

describe('kv v2 data', () => {
  let kv: Mounted;
  let system: FakeSystem;
  let storage: ReturnType<typeof recording>;

  beforeEach(async () => {
    system = fakeSystem(START);
    storage = recording(prefixedStorage(new InmemPhysical(), 'logical/uuid-1/'));
    kv = await mount(kvEngine, storage, { version: '2' }, system);
  });

  const write = (path: string, data: Record<string, unknown>, options?: Record<string, unknown>) =>
    kv.call('update', `data/${path}`, options ? { data, options } : { data });

  it('writes a version and returns its metadata', async () => {
    const res = await write('app/db', { user: 'app', n: 1 });
    expect(res).toEqual({
      data: { created_time: rfc3339Nano(START), custom_metadata: null, deletion_time: '', destroyed: false, version: 1 },
    });
    expect(rfc3339Nano(START)).toBe('2024-01-02T03:04:05.678000000Z');
  });

  it('reads the latest version, or the one asked for (weakly typed)', async () => {
    await write('k', { v: 'one' });
    system.advance(1000);
    await write('k', { v: 'two' });
    expect(await kv.call('read', 'data/k')).toEqual({
      data: {
        data: { v: 'two' },
        metadata: { created_time: rfc3339Nano(START + 1000), custom_metadata: null, deletion_time: '', destroyed: false, version: 2 },
      },
    });
    const v1 = await kv.call('read', 'data/k', { version: '1' });
    expect(v1?.data).toMatchObject({ data: { v: 'one' }, metadata: { version: 1 } });
    expect((await kv.call('read', 'data/k', { version: 0 }))?.data).toMatchObject({ metadata: { version: 2 } });
    expect((await kv.fail('read', 'data/k', { version: 'abc' })).code).toBe('invalid_request');
  });

  it('returns null for a missing key or version (core: 404 with no body)', async () => {
    expect(await kv.call('read', 'data/missing')).toBeNull();
    await write('k', { a: 1 });
    expect(await kv.call('read', 'data/k', { version: 7 })).toBeNull();
  });

  it('requires data, accepts an empty map, refuses a non-map', async () => {
    const err = await kv.fail('update', 'data/k', { options: {} });
    expect([err.code, err.status, err.messages]).toEqual(['invalid_request', 400, ['no data provided']]);
    expect((await kv.fail('update', 'data/k', { data: null })).messages).toEqual(['no data provided']);
    expect((await write('empty', {}))?.data).toMatchObject({ version: 1 });
    expect((await kv.call('read', 'data/empty'))?.data).toMatchObject({ data: {} });
    expect((await kv.fail('update', 'data/k', { data: [1, 2] })).code).toBe('invalid_request');
  });

  it('stores each version and the metadata in one atomic batch', async () => {
    await write('k', { a: 1 });
    expect(storage.puts).toEqual([]);
    expect(storage.batches).toHaveLength(1);
    const keys = (storage.batches[0] ?? []).map((o) => `${o.op}:${o.key}`);
    expect(keys).toHaveLength(2);
    expect(keys).toContain('put:metadata/k');
    expect(keys.some((k) => /^put:versions\/[0-9a-f]{64}\/1$/.test(k))).toBe(true);
  });

  it('chooses create for a new key and update for an existing one', async () => {
    await write('k', { a: 1 });
    expect(kv.lastOperation()).toBe('create');
    await write('k', { a: 2 });
    expect(kv.lastOperation()).toBe('update');
  });

  describe('check-and-set', () => {
    it('cas 0 creates only', async () => {
      expect((await write('k', { a: 1 }, { cas: 0 }))?.data).toMatchObject({ version: 1 });
      const err = await kv.fail('update', 'data/k', { data: { a: 2 }, options: { cas: 0 } });
      expect([err.status, err.messages]).toEqual([400, ['check-and-set parameter did not match the current version']]);
    });

    it('accepts the current version, weakly typed, and refuses others', async () => {
      await write('k', { a: 1 });
      expect((await write('k', { a: 2 }, { cas: '1' }))?.data).toMatchObject({ version: 2 });
      expect((await kv.fail('update', 'data/k', { data: { a: 3 }, options: { cas: 1 } })).messages).toEqual([
        'check-and-set parameter did not match the current version',
      ]);
      expect((await kv.fail('update', 'data/k', { data: { a: 3 }, options: { cas: 'x' } })).messages).toEqual([
        'error parsing check-and-set parameter',
      ]);
      expect((await kv.call('read', 'data/k'))?.data).toMatchObject({ data: { a: 2 } });
    });

    it('is required when the mount config says so', async () => {
      await kv.call('update', 'config', { cas_required: true });
      const err = await kv.fail('update', 'data/k', { data: { a: 1 } });
      expect([err.status, err.messages]).toEqual([400, ['check-and-set parameter required for this call']]);
      expect((await write('k', { a: 1 }, { cas: 0 }))?.data).toMatchObject({ version: 1 });
    });

    it('is required when the key metadata says so', async () => {
      await kv.call('update', 'metadata/k', { cas_required: true });
      expect((await kv.fail('update', 'data/k', { data: { a: 1 } })).messages).toEqual([
        'check-and-set parameter required for this call',
      ]);
      expect((await write('k', { a: 1 }, { cas: 0 }))?.data).toMatchObject({ version: 1 });
      await write('other', { a: 1 });
    });

    it('holds under concurrent writers: exactly one cas=0 create wins', async () => {
      const results = await Promise.allSettled(
        Array.from({ length: 5 }, (_, i) => kv.call('update', 'data/race', { data: { i }, options: { cas: 0 } })),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const meta = await kv.call('read', 'metadata/race');
      expect(meta?.data).toMatchObject({ current_version: 1 });
    });
  });

  describe('max_versions', () => {
    const versionKeys = () => listRecursive(storage, 'versions/');

    it('keeps 10 versions by default', async () => {
      for (let i = 1; i <= 12; i++) await write('k', { i });
      const meta = (await kv.call('read', 'metadata/k'))?.data as Record<string, unknown>;
      expect(meta.current_version).toBe(12);
      expect(meta.oldest_version).toBe(3);
      expect(Object.keys(meta.versions as object)).toHaveLength(10);
      expect(await versionKeys()).toHaveLength(10);
      expect(await kv.call('read', 'data/k', { version: 2 })).toBeNull();
      expect((await kv.call('read', 'data/k', { version: 3 }))?.data).toMatchObject({ data: { i: 3 } });
    });

    it('prunes the oldest versions beyond the mount setting (oldest_version stays 0 until then)', async () => {
      await kv.call('update', 'config', { max_versions: 3 });
      await write('k', { i: 1 });
      expect((await kv.call('read', 'metadata/k'))?.data).toMatchObject({ oldest_version: 0 });
      for (let i = 2; i <= 5; i++) await write('k', { i });
      const meta = (await kv.call('read', 'metadata/k'))?.data as Record<string, unknown>;
      expect(Object.keys(meta.versions as object)).toEqual(['3', '4', '5']);
      expect(meta.oldest_version).toBe(3);
      expect(await versionKeys()).toHaveLength(3);
      expect(await kv.call('read', 'data/k', { version: 2 })).toBeNull();
    });

    it('uses the larger of the key and mount settings', async () => {
      await kv.call('update', 'config', { max_versions: 2 });
      await kv.call('update', 'metadata/k', { max_versions: 4 });
      for (let i = 1; i <= 6; i++) await write('k', { i });
      expect(await versionKeys()).toHaveLength(4);
      await kv.call('update', 'config', { max_versions: 5 });
      await kv.call('update', 'metadata/j', { max_versions: 1 });
      for (let i = 1; i <= 6; i++) await write('j', { i });
      const meta = (await kv.call('read', 'metadata/j'))?.data as Record<string, unknown>;
      expect(Object.keys(meta.versions as object)).toHaveLength(5);
    });

    it('drops several versions at once after max_versions is lowered', async () => {
      for (let i = 1; i <= 6; i++) await write('k', { i });
      await kv.call('update', 'metadata/k', { max_versions: 2 });
      // No pruning until the next write, as in Vault.
      expect(await versionKeys()).toHaveLength(6);
      await write('k', { i: 7 });
      const meta = (await kv.call('read', 'metadata/k'))?.data as Record<string, unknown>;
      expect(Object.keys(meta.versions as object)).toEqual(['6', '7']);
      expect(await versionKeys()).toHaveLength(2);
    });
  });

  describe('soft delete of the latest version', () => {
    it('hides the version with a 404 that still carries its metadata', async () => {
      await write('k', { v: 1 });
      system.advance(1000);
      await write('k', { v: 2 });
      system.advance(1000);
      expect(await kv.call('delete', 'data/k')).toBeNull();
      expect(await kv.call('read', 'data/k')).toEqual({
        data: {
          data: null,
          metadata: {
            created_time: rfc3339Nano(START + 1000),
            custom_metadata: null,
            deletion_time: rfc3339Nano(START + 2000),
            destroyed: false,
            version: 2,
          },
        },
        httpStatus: 404,
      });
      expect((await kv.call('read', 'data/k', { version: 1 }))?.data).toMatchObject({ data: { v: 1 } });
    });

    it('is a no-op on a missing key or an already deleted version', async () => {
      expect(await kv.call('delete', 'data/missing')).toBeNull();
      await write('k', { v: 1 });
      await kv.call('delete', 'data/k');
      system.advance(5000);
      await kv.call('delete', 'data/k');
      expect((await kv.call('read', 'data/k'))?.data).toMatchObject({ metadata: { deletion_time: rfc3339Nano(START) } });
    });

    it('a new write after a delete is readable again', async () => {
      await write('k', { v: 1 });
      await kv.call('delete', 'data/k');
      await write('k', { v: 2 });
      expect((await kv.call('read', 'data/k'))?.data).toMatchObject({ data: { v: 2 }, metadata: { version: 2 } });
    });
  });

  describe('delete_version_after', () => {
    it('schedules deletion from the mount setting and applies it at read time', async () => {
      await kv.call('update', 'config', { delete_version_after: '1h' });
      const res = await write('k', { v: 1 });
      expect(res?.data).toMatchObject({ deletion_time: rfc3339Nano(START + HOUR) });
      system.advance(HOUR - 1);
      expect((await kv.call('read', 'data/k'))?.data).toMatchObject({ data: { v: 1 } });
      system.advance(1);
      const gone = await kv.call('read', 'data/k');
      expect(gone?.httpStatus).toBe(404);
      expect(gone?.data).toMatchObject({ data: null, metadata: { deletion_time: rfc3339Nano(START + HOUR) } });
    });

    it('uses the smaller non-zero of key and mount settings', async () => {
      await kv.call('update', 'config', { delete_version_after: '2h' });
      await kv.call('update', 'metadata/k', { delete_version_after: '30m' });
      expect((await write('k', { v: 1 }))?.data).toMatchObject({ deletion_time: rfc3339Nano(START + HOUR / 2) });
      await kv.call('update', 'metadata/j', { delete_version_after: '3h' });
      expect((await write('j', { v: 1 }))?.data).toMatchObject({ deletion_time: rfc3339Nano(START + 2 * HOUR) });
      await kv.call('update', 'config', { delete_version_after: 0 });
      expect((await write('j', { v: 2 }))?.data).toMatchObject({ deletion_time: rfc3339Nano(START + 3 * HOUR) });
    });

    it('is switched off for every key by a negative mount setting', async () => {
      await kv.call('update', 'metadata/k', { delete_version_after: '1s' });
      await kv.call('update', 'config', { delete_version_after: '-1s' });
      expect((await write('k', { v: 1 }))?.data).toMatchObject({ deletion_time: '' });
      system.advance(10 * HOUR);
      expect((await kv.call('read', 'data/k'))?.data).toMatchObject({ data: { v: 1 } });
    });

    it('lets a soft delete move a scheduled deletion forward', async () => {
      await kv.call('update', 'config', { delete_version_after: '1h' });
      await write('k', { v: 1 });
      system.advance(1000);
      await kv.call('delete', 'data/k');
      expect((await kv.call('read', 'data/k'))?.data).toMatchObject({ metadata: { deletion_time: rfc3339Nano(START + 1000) } });
    });
  });

  describe('patch', () => {
    it('merges into a new version: null removes, objects merge, others replace', async () => {
      await write('k', { a: 1, b: 2, nested: { x: 1, y: 2 }, list: [1] });
      system.advance(1000);
      const res = await kv.call('patch', 'data/k', { data: { b: null, c: 3, nested: { y: null, z: 3 }, list: [2] } });
      expect(res).toEqual({
        data: { created_time: rfc3339Nano(START + 1000), custom_metadata: null, deletion_time: '', destroyed: false, version: 2 },
      });
      expect((await kv.call('read', 'data/k'))?.data).toMatchObject({
        data: { a: 1, c: 3, nested: { x: 1, z: 3 }, list: [2] },
      });
      expect((await kv.call('read', 'data/k', { version: 1 }))?.data).toMatchObject({ data: { a: 1, b: 2 } });
    });

    it('is a 404 for a missing key or a key with no version', async () => {
      const err = await kv.fail('patch', 'data/missing', { data: { a: 1 } });
      expect([err.code, err.status, err.messages]).toEqual(['not_found', 404, []]);
      await kv.call('update', 'metadata/only', { max_versions: 3 });
      expect((await kv.fail('patch', 'data/only', { data: { a: 1 } })).status).toBe(404);
    });

    it('is a 404 with version metadata when the latest version is deleted or destroyed', async () => {
      await write('k', { a: 1 });
      await kv.call('delete', 'data/k');
      const res = await kv.call('patch', 'data/k', { data: { a: 2 } });
      expect(res).toEqual({
        data: { created_time: rfc3339Nano(START), custom_metadata: null, deletion_time: rfc3339Nano(START), destroyed: false, version: 1 },
        httpStatus: 404,
      });
      await write('j', { a: 1 });
      await kv.call('update', 'destroy/j', { versions: [1] });
      expect((await kv.call('patch', 'data/j', { data: { a: 2 } }))?.httpStatus).toBe(404);
    });

    it('needs data and honours check-and-set', async () => {
      await write('k', { a: 1 });
      expect((await kv.fail('patch', 'data/k', {})).messages).toEqual(['no data provided']);
      expect((await kv.fail('patch', 'data/k', { data: { a: 2 }, options: { cas: 0 } })).messages).toEqual([
        'check-and-set parameter did not match the current version',
      ]);
      expect((await kv.call('patch', 'data/k', { data: { a: 2 }, options: { cas: 1 } }))?.data).toMatchObject({ version: 2 });
      await kv.call('update', 'config', { cas_required: true });
      expect((await kv.fail('patch', 'data/k', { data: { a: 3 } })).messages).toEqual([
        'check-and-set parameter required for this call',
      ]);
    });

    it('applies max_versions and delete_version_after like a write', async () => {
      await kv.call('update', 'config', { max_versions: 1, delete_version_after: '1h' });
      await write('k', { a: 1 });
      const res = await kv.call('patch', 'data/k', { data: { b: 2 } });
      expect(res?.data).toMatchObject({ version: 2, deletion_time: rfc3339Nano(START + HOUR) });
      expect(await listRecursive(storage, 'versions/')).toHaveLength(1);
    });
  });

  describe('subkeys', () => {
    it('returns the structure without values, to a depth', async () => {
      await write('k', { a: 1, b: { c: 'x', d: { e: true } }, f: {} });
      expect((await kv.call('read', 'subkeys/k'))?.data).toEqual({
        subkeys: { a: null, b: { c: null, d: { e: null } }, f: null },
        metadata: { created_time: rfc3339Nano(START), custom_metadata: null, deletion_time: '', destroyed: false, version: 1 },
      });
      expect((await kv.call('read', 'subkeys/k', { depth: 1 }))?.data).toMatchObject({
        subkeys: { a: null, b: null, f: null },
      });
      expect(await kv.call('read', 'subkeys/missing')).toBeNull();
      await kv.call('delete', 'data/k');
      expect(await kv.call('read', 'subkeys/k')).toMatchObject({ data: { subkeys: null }, httpStatus: 404 });
    });
  });

  describe('paths that are not v2 API', () => {
    it('answers 404 with Vault\'s warning', async () => {
      expect(await kv.call('read', 'foo')).toEqual({
        warnings: [
          "Invalid path for a versioned K/V secrets engine. See the API docs for the appropriate API endpoints to use. If using the Vault CLI, use 'vault kv get' for this operation.",
        ],
        httpStatus: 404,
      });
      expect((await kv.call('update', 'foo', { a: 1 }))?.warnings?.[0]).toContain("'vault kv put'");
      expect((await kv.call('list', 'data/'))?.warnings?.[0]).toContain("'vault kv list'");
      expect(await kv.call('read', 'data')).toEqual({
        warnings: ['Non-listing operations on the root of a K/V v2 mount are not supported.'],
        httpStatus: 404,
      });
    });

    it('does not accept a data path ending in /', async () => {
      expect((await kv.call('update', 'data/dir/', { data: { a: 1 } }))?.httpStatus).toBe(404);
      expect(await kv.call('read', 'metadata/')).toBeNull();
    });
  });
});
