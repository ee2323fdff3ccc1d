import { beforeEach, describe, expect, it } from 'vitest';
import { prefixedStorage } from '../../framework/index.js';
import { InmemPhysical } from '../../storage/inmem/inmem-physical.js';
import { kvEngine } from './index.js';
import { DEFAULT_LEASE_TTL, mount, type Mounted } from './harness.suite.js';

describe('kv v1', () => {
  let kv: Mounted;
  let physical: InmemPhysical;

  beforeEach(async () => {
    physical = new InmemPhysical();
    kv = await mount(kvEngine, prefixedStorage(physical, 'logical/uuid-1/'));
  });

  it('is the flavour for absent, empty and "1" versions', async () => {
    for (const options of [{}, { version: '' }, { version: '1' }] as Record<string, string>[]) {
      const m = await mount(kvEngine, prefixedStorage(new InmemPhysical(), 'x/'), options);
      expect(m.engine.paths).toHaveLength(1);
    }
    await expect(mount(kvEngine, prefixedStorage(physical, 'y/'), { version: '3' })).rejects.toMatchObject({
      code: 'invalid_request',
    });
  });

  it('writes arbitrary JSON and reads it back with the default lease duration', async () => {
    const data = { user: 'app', n: 3, nested: { a: [1, 2] }, flag: true, nothing: null };
    expect(await kv.call('update', 'app/db', data)).toBeNull();
    const read = await kv.call('read', 'app/db');
    expect(read).toEqual({ data, leaseDuration: DEFAULT_LEASE_TTL });
  });

  it('replaces the whole map on write', async () => {
    await kv.call('update', 'k', { a: '1', b: '2' });
    await kv.call('update', 'k', { c: '3' });
    expect((await kv.call('read', 'k'))?.data).toEqual({ c: '3' });
  });

  it('stores under the mount storage view at the secret path', async () => {
    await kv.call('update', 'app/db', { a: 1 });
    const raw = await physical.get('logical/uuid-1/app/db');
    expect(JSON.parse(raw?.toString('utf8') ?? 'null')).toEqual({ a: 1 });
  });

  it('uses a ttl (or lease) key as the lease duration', async () => {
    await kv.call('update', 'a', { ttl: '1h', v: 1 });
    expect((await kv.call('read', 'a'))?.leaseDuration).toBe(3600);
    await kv.call('update', 'b', { lease: 90 });
    expect((await kv.call('read', 'b'))?.leaseDuration).toBe(90);
    await kv.call('update', 'c', { ttl: '30m', lease: '1h' });
    expect((await kv.call('read', 'c'))?.leaseDuration).toBe(1800);
    await kv.call('update', 'd', { ttl: 'soon' });
    expect((await kv.call('read', 'd'))?.leaseDuration).toBe(DEFAULT_LEASE_TTL);
  });

  it('returns null for a missing secret (the core answers 404)', async () => {
    expect(await kv.call('read', 'missing')).toBeNull();
    expect(await kv.call('read', '')).toBeNull();
  });

  it('refuses an empty write with Vault\'s message', async () => {
    const err = await kv.fail('update', 'k', {});
    expect(err.code).toBe('invalid_request');
    expect(err.status).toBe(400);
    expect(err.messages).toEqual(['missing data fields']);
    expect(await kv.call('read', 'k')).toBeNull();
  });

  it('refuses writes to the mount root and to folder paths', async () => {
    expect((await kv.fail('update', '', { a: 1 })).messages).toEqual(['missing path']);
    expect((await kv.fail('update', 'dir/', { a: 1 })).code).toBe('invalid_request');
  });

  it('chooses create or update with the existence check', async () => {
    await kv.call('update', 'k', { a: 1 });
    expect(kv.lastOperation()).toBe('create');
    await kv.call('update', 'k', { a: 2 });
    expect(kv.lastOperation()).toBe('update');
  });

  it('deletes (absent is fine)', async () => {
    await kv.call('update', 'k', { a: 1 });
    expect(await kv.call('delete', 'k')).toBeNull();
    expect(await kv.call('read', 'k')).toBeNull();
    expect(await kv.call('delete', 'k')).toBeNull();
  });

  it('lists one level, folders ending in /, and null when empty', async () => {
    await kv.call('update', 'a', { v: 1 });
    await kv.call('update', 'dir/b', { v: 1 });
    await kv.call('update', 'dir/sub/c', { v: 1 });
    expect(await kv.call('list', '')).toEqual({ data: { keys: ['a', 'dir/'] } });
    expect(await kv.call('list', 'dir')).toEqual({ data: { keys: ['b', 'sub/'] } });
    expect(await kv.call('list', 'dir/')).toEqual({ data: { keys: ['b', 'sub/'] } });
    expect(await kv.call('list', 'nothing/')).toBeNull();
  });

  it('does not treat a key named __proto__ specially', async () => {
    const data = JSON.parse('{"__proto__": {"x": 1}, "a": 2}') as Record<string, unknown>;
    await kv.call('update', 'p', data);
    const read = (await kv.call('read', 'p'))?.data as Record<string, unknown>;
    expect(Object.keys(read)).toEqual(['__proto__', 'a']);
  });
});
