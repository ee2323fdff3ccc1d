import { beforeEach, describe, expect, it } from 'vitest';
import { listRecursive, prefixedStorage, type Storage } from '../../framework/index.js';
import { InmemPhysical } from '../../storage/inmem/inmem-physical.js';
import { authFor, mount, type Mounted } from '../kv/harness.suite.js';
import { builtinSecretEngines } from '../builtin.js';
import { cubbyholeEngine, destroyCubbyhole } from './index.js';

describe('cubbyhole', () => {
  let cb: Mounted;
  let storage: Storage;
  const a = { auth: authFor('handle-a') };
  const b = { auth: authFor('handle-b') };

  beforeEach(async () => {
    storage = prefixedStorage(new InmemPhysical(), 'logical/cubby-uuid/');
    cb = await mount(cubbyholeEngine, storage);
  });

  it('is registered as a built-in beside kv', () => {
    const types = builtinSecretEngines.map((f) => [f.type, f.kind]);
    expect(types).toContainEqual(['kv', 'secret']);
    expect(types).toContainEqual(['cubbyhole', 'secret']);
  });

  it('reads back what the token wrote, with lease duration 0 even with a ttl key', async () => {
    expect(await cb.call('update', 'my/secret', { value: 's3cret', ttl: '1h' }, a)).toBeNull();
    expect(await cb.call('read', 'my/secret', {}, a)).toEqual({ data: { value: 's3cret', ttl: '1h' }, leaseDuration: 0 });
  });

  it('is private to each token', async () => {
    await cb.call('update', 'shared-name', { owner: 'a' }, a);
    expect(await cb.call('read', 'shared-name', {}, b)).toBeNull();
    expect(await cb.call('list', '', {}, b)).toBeNull();
    await cb.call('update', 'shared-name', { owner: 'b' }, b);
    expect((await cb.call('read', 'shared-name', {}, a))?.data).toEqual({ owner: 'a' });
    await cb.call('delete', 'shared-name', {}, b);
    expect((await cb.call('read', 'shared-name', {}, a))?.data).toEqual({ owner: 'a' });
  });

  it('keys storage by the token handle', async () => {
    await cb.call('update', 'x', { v: 1 }, a);
    expect(await listRecursive(storage, '')).toEqual(['handle-a/x']);
  });

  it('refuses requests without a token', async () => {
    for (const op of ['read', 'update', 'delete', 'list'] as const) {
      const err = await cb.fail(op, 'x', { v: 1 }, { auth: null });
      expect([err.code, err.status, err.messages]).toEqual(['permission_denied', 403, ['permission denied']]);
    }
    expect((await cb.fail('read', 'x', {}, { auth: authFor('') })).status).toBe(403);
  });

  it('lists folders, deletes, refuses empty writes, chooses create/update', async () => {
    await cb.call('update', 'a', { v: 1 }, a);
    expect(cb.lastOperation()).toBe('create');
    await cb.call('update', 'a', { v: 2 }, a);
    expect(cb.lastOperation()).toBe('update');
    await cb.call('update', 'dir/b', { v: 1 }, a);
    expect(await cb.call('list', '', {}, a)).toEqual({ data: { keys: ['a', 'dir/'] } });
    expect(await cb.call('list', 'dir', {}, a)).toEqual({ data: { keys: ['b'] } });
    const err = await cb.fail('update', 'c', {}, a);
    expect([err.status, err.messages]).toEqual([400, ['missing data fields']]);
    expect(await cb.call('delete', 'a', {}, a)).toBeNull();
    expect(await cb.call('read', 'a', {}, a)).toBeNull();
  });

  it('destroyCubbyhole removes exactly one token\'s entries', async () => {
    await cb.call('update', 'one', { v: 1 }, a);
    await cb.call('update', 'dir/two', { v: 2 }, a);
    await cb.call('update', 'one', { v: 'b' }, b);
    // A handle that is a prefix of another must not reach it.
    await cb.call('update', 'one', { v: 'ab' }, { auth: authFor('handle-ab') });
    await destroyCubbyhole(storage, 'handle-a');
    expect(await cb.call('list', '', {}, a)).toBeNull();
    expect((await cb.call('read', 'one', {}, b))?.data).toEqual({ v: 'b' });
    expect((await cb.call('read', 'one', {}, { auth: authFor('handle-ab') }))?.data).toEqual({ v: 'ab' });
    await destroyCubbyhole(storage, 'handle-a');
    await expect(destroyCubbyhole(storage, '')).rejects.toThrow();
  });
});
