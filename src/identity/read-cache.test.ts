import { describe, expect, it } from 'vitest';
import { ManualClock } from '../lib/clock.js';
import { heldReadsStorage } from '../storage/inmem/held-reads.suite.js';
import { START, USERPASS } from './harness.suite.js';
import { IdentityStore, identityEngine } from './index.js';
import { IdentityReadCache } from './read-cache.js';

const observedStorage = (): ReturnType<typeof heldReadsStorage> => heldReadsStorage('sys/identity/');

describe('identity read cache', () => {
  it('answers repeated logins and policy questions without storage reads', async () => {
    const s = observedStorage();
    const store = new IdentityStore(s.storage, new ManualClock(START));
    const { entityId } = await store.loginAlias(USERPASS, { name: 'bob' });
    await store.loginAlias(USERPASS, { name: 'bob' });
    await store.policiesFor(entityId);
    await store.templateContext(entityId);
    await store.entityDisabled(entityId);
    s.calls.length = 0;
    for (let i = 0; i < 3; i++) {
      expect((await store.loginAlias(USERPASS, { name: 'bob' })).entityId).toBe(entityId);
      await store.policiesFor(entityId);
      await store.templateContext(entityId);
      await store.entityDisabled(entityId);
    }
    expect(s.calls).toEqual([]);
  });

  it('sees every write at once: disabling, entity and group policies, deleted aliases', async () => {
    const s = observedStorage();
    const store = new IdentityStore(s.storage, new ManualClock(START));
    const { entityId, aliasId } = await store.loginAlias(USERPASS, { name: 'bob' });
    expect(await store.entityDisabled(entityId)).toBe(false);
    expect(await store.policiesFor(entityId)).toEqual([]);

    await store.saveEntity({ id: entityId, disabled: true, policies: ['own'] });
    expect(await store.entityDisabled(entityId)).toBe(true);
    expect(await store.policiesFor(entityId)).toEqual(['own']);

    const group = await store.saveGroup({ name: 'g', policies: ['from-group'], memberEntityIds: [entityId] });
    expect(await store.policiesFor(entityId)).toEqual(['from-group', 'own']);
    expect((await store.templateContext(entityId))?.groups.map((g) => g.name)).toEqual(['g']);
    await store.deleteGroup(group.record.id);
    expect(await store.policiesFor(entityId)).toEqual(['own']);

    await store.deleteAlias(aliasId);
    const next = await store.loginAlias(USERPASS, { name: 'bob' });
    expect(next.aliasId).not.toBe(aliasId);
    expect(next.entityId).not.toBe(entityId);
  });

  it('does not keep what a read in flight found when a write happened meanwhile', async () => {
    const s = observedStorage();
    const store = new IdentityStore(s.storage, new ManualClock(START));
    const { entityId } = await store.loginAlias(USERPASS, { name: 'bob' });
    s.hold();
    const reading = store.entityDisabled(entityId);
    await new Promise((resolve) => setImmediate(resolve));
    const writing = store.saveEntity({ id: entityId, disabled: true });
    await s.release();
    expect(await reading).toBe(false);
    await writing;
    expect(await store.entityDisabled(entityId)).toBe(true);
  });

  it('is emptied when the identity engine is closed (seal)', async () => {
    const s = observedStorage();
    const store = new IdentityStore(s.storage, new ManualClock(START));
    const { entityId } = await store.loginAlias(USERPASS, { name: 'bob' });
    await store.policiesFor(entityId);
    s.calls.length = 0;
    await identityEngine(store, () => undefined).close?.();
    await store.policiesFor(entityId);
    expect(s.calls.filter((c) => c.startsWith('get '))).toEqual([`get entity/id/${entityId}`]);
  });

  it('serves frozen values, caches absence, and drops the oldest entry past its bound', async () => {
    const s = observedStorage();
    const cache = new IdentityReadCache(s.storage, 2);
    await s.storage.put('a', Buffer.from(JSON.stringify({ list: [1] })));
    const a = await cache.get<{ list: number[] }>('a');
    expect(Object.isFrozen(a?.list)).toBe(true);
    expect(await cache.get('absent')).toBeNull();
    expect(await cache.get('absent')).toBeNull();
    await cache.get('b');
    await cache.get('a');
    expect(s.calls).toEqual(['get a', 'get absent', 'get b', 'get a']);
  });
});
