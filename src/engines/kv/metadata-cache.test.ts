import { beforeEach, describe, expect, it } from 'vitest';
import { prefixedStorage, type Storage } from '../../framework/index.js';
import { InmemPhysical } from '../../storage/inmem/inmem-physical.js';
import { kvEngine } from './index.js';
import { MetadataCache } from './metadata-cache.js';
import { fakeSystem, mount, type FakeSystem, type Mounted } from './harness.suite.js';
import { metadataKey, type KeyMetadata } from './store.js';

const START = Date.UTC(2024, 0, 2, 3, 4, 5, 678);

/** A storage that counts reads of metadata keys. */
function counting(inner: Storage): Storage & { metadataReads: () => number } {
  let reads = 0;
  return {
    ...inner,
    metadataReads: () => reads,
    get: async (key) => {
      if (key.startsWith('metadata/')) reads++;
      return inner.get(key);
    },
  };
}

describe('kv v2 metadata cache', () => {
  let kv: Mounted;
  let system: FakeSystem;
  let storage: ReturnType<typeof counting>;

  beforeEach(async () => {
    system = fakeSystem(START);
    storage = counting(prefixedStorage(new InmemPhysical(), 'logical/uuid-1/'));
    kv = await mount(kvEngine, storage, { version: '2' }, system);
    await kv.call('update', 'data/k', { data: { v: 1 } });
  });

  const current = async () => {
    const res = await kv.call('read', 'data/k');
    return { status: res?.httpStatus ?? 200, data: (res?.data as { data: unknown } | undefined)?.data ?? null, metadata: (res?.data as { metadata: Record<string, unknown> } | undefined)?.metadata };
  };

  it('reads a secret\'s metadata from storage once, then from memory', async () => {
    const before = storage.metadataReads();
    for (let i = 0; i < 5; i++) expect((await current()).data).toEqual({ v: 1 });
    expect(storage.metadataReads() - before).toBeLessThanOrEqual(1);
  });

  it('every write path is seen by the next read', async () => {
    await current();
    await kv.call('update', 'data/k', { data: { v: 2 } });
    expect(await current()).toMatchObject({ data: { v: 2 }, metadata: { version: 2 } });

    await kv.call('patch', 'data/k', { data: { w: 3 } });
    expect(await current()).toMatchObject({ data: { v: 2, w: 3 }, metadata: { version: 3 } });

    await kv.call('delete', 'data/k');
    expect(await current()).toMatchObject({ status: 404, metadata: { version: 3 } });

    await kv.call('update', 'undelete/k', { versions: [3] });
    expect(await current()).toMatchObject({ status: 200, data: { v: 2, w: 3 } });

    await kv.call('update', 'delete/k', { versions: [3] });
    expect((await current()).status).toBe(404);
    await kv.call('update', 'undelete/k', { versions: [3] });

    await kv.call('update', 'metadata/k', { custom_metadata: { owner: 'team-a' } });
    expect((await current()).metadata).toMatchObject({ custom_metadata: { owner: 'team-a' } });

    await kv.call('patch', 'metadata/k', { custom_metadata: { owner: 'team-b' } });
    expect((await current()).metadata).toMatchObject({ custom_metadata: { owner: 'team-b' } });

    await kv.call('update', 'destroy/k', { versions: [3] });
    expect(await current()).toMatchObject({ status: 404, metadata: { destroyed: true } });

    await kv.call('delete', 'metadata/k');
    expect(await kv.call('read', 'data/k')).toBeNull();
    expect(await kv.call('read', 'metadata/k')).toBeNull();
  });

  it('a read that overlaps a write of the same metadata does not cache what it read', async () => {
    const cache = new MetadataCache();
    const inner = prefixedStorage(new InmemPhysical(), 'v/');
    const view = cache.watch(inner);
    const meta = (n: number): KeyMetadata => ({ key: 'k', versions: {}, current_version: n, oldest_version: 0, created_time: 0, updated_time: 0, max_versions: 0, cas_required: false, delete_version_after: 0, custom_metadata: null });
    await view.put(metadataKey('k'), Buffer.from(JSON.stringify(meta(1))));
    // The read fetches version 1, then a write of version 2 completes before the read finishes.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow: Storage = { ...inner, get: async (key) => { const v = await inner.get(key); await gate; return v; } };
    const reading = cache.read(slow, 'k');
    await view.put(metadataKey('k'), Buffer.from(JSON.stringify(meta(2))));
    release();
    expect((await reading)?.current_version).toBe(1);
    expect((await cache.read(inner, 'k'))?.current_version).toBe(2);
  });

  it('hands out frozen entries: a reader cannot change what the next one sees', async () => {
    const cache = new MetadataCache();
    const inner = prefixedStorage(new InmemPhysical(), 'v/');
    await inner.put(metadataKey('k'), Buffer.from(JSON.stringify({ key: 'k', versions: { 1: { created_time: 0, deletion_time: null, destroyed: false } }, current_version: 1 })));
    const first = await cache.read(inner, 'k');
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first?.versions['1'])).toBe(true);
    expect(() => {
      (first as KeyMetadata).current_version = 7;
    }).toThrow(TypeError);
  });

  it('a new engine on the mount (remount, re-enable, unseal) starts with an empty cache', async () => {
    await current();
    // What the mount manager does on remount or after unseal: a fresh engine over the same storage.
    const again = await mount(kvEngine, storage, { version: '2' }, system);
    const before = storage.metadataReads();
    await again.call('read', 'data/k');
    expect(storage.metadataReads() - before).toBe(1);
  });
});
