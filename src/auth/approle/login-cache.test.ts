import { describe, expect, it } from 'vitest';
import { defaultTokenSettings, type Storage } from '../../framework/index.js';
import { heldReadsStorage } from '../../storage/inmem/held-reads.suite.js';
import { RoleCache, SecretIdCache, SecretIdLocks } from './login-cache.js';
import type { RoleEntry, SecretIdEntry } from './store.js';

const holdableStorage = (): ReturnType<typeof heldReadsStorage> => heldReadsStorage('m/');

const role = (name: string, policies: string[]): RoleEntry => ({
  name, roleId: `${name}-id`, bindSecretId: true, secretIdBoundCidrs: [], secretIdNumUses: 0, secretIdTTL: 0, localSecretIds: false,
  token: { ...defaultTokenSettings, tokenPolicies: policies },
});

const secretId = (numUses: number): SecretIdEntry => ({
  accessor: 'acc', numUses, ttl: 0, creationTime: 1, expirationTime: 0, lastUpdatedTime: 1, metadata: {}, cidrList: [], tokenBoundCidrs: [],
});

const put = (storage: Storage, key: string, value: unknown) => storage.put(key, Buffer.from(JSON.stringify(value)));

/** An unlimited secret ID stored and cached, with the locks that guard it. */
async function cachedSecretId(): Promise<{ s: ReturnType<typeof holdableStorage>; cache: SecretIdCache; locks: SecretIdLocks; key: string }> {
  const s = holdableStorage();
  const cache = new SecretIdCache();
  const locks = new SecretIdLocks(cache);
  const key = 'secret_id/r/x';
  await put(s.storage, key, secretId(0));
  await cache.get(s.storage, key);
  return { s, cache, locks, key };
}

describe('RoleCache', () => {
  it('reads a role once, then serves it frozen; a saved role replaces it without a read', async () => {
    const s = holdableStorage();
    const cache = new RoleCache();
    await put(s.storage, 'role/r', role('r', ['a']));
    const first = await cache.get(s.storage, 'R');
    expect(first?.token.tokenPolicies).toEqual(['a']);
    expect(Object.isFrozen(first?.token.tokenPolicies)).toBe(true);
    await cache.get(s.storage, 'r');
    expect(s.reads).toEqual(['role/r']);
    const changed = role('r', ['b']);
    cache.saved(changed);
    changed.token.tokenPolicies.push('not seen by the cache');
    expect((await cache.get(s.storage, 'r'))?.token.tokenPolicies).toEqual(['b']);
    cache.deleted('r');
    await s.storage.delete('role/r');
    expect(await cache.get(s.storage, 'r')).toBeNull();
    expect(s.reads).toEqual(['role/r', 'role/r']);
  });

  it('does not keep what a read in flight found when the role was written meanwhile', async () => {
    const s = holdableStorage();
    const cache = new RoleCache();
    await put(s.storage, 'role/r', role('r', ['old']));
    s.hold();
    const reading = cache.get(s.storage, 'r');
    await new Promise((resolve) => setImmediate(resolve));
    await put(s.storage, 'role/r', role('r', ['new']));
    cache.saved(role('r', ['new']));
    await s.release();
    expect((await reading)?.token.tokenPolicies).toEqual(['old']);
    expect((await cache.get(s.storage, 'r'))?.token.tokenPolicies).toEqual(['new']);
  });

  it('drops the oldest role past its bound', async () => {
    const s = holdableStorage();
    const cache = new RoleCache(2);
    for (const name of ['a', 'b', 'c']) cache.saved(role(name, []));
    await put(s.storage, 'role/a', role('a', ['stored']));
    expect((await cache.get(s.storage, 'a'))?.token.tokenPolicies).toEqual(['stored']);
    await cache.get(s.storage, 'c');
    expect(s.reads).toEqual(['role/a']);
  });
});

describe('SecretIdCache and SecretIdLocks', () => {
  it('caches unlimited secret IDs only, never absent ones', async () => {
    const s = holdableStorage();
    const cache = new SecretIdCache();
    await put(s.storage, 'secret_id/r/unlimited', secretId(0));
    await put(s.storage, 'secret_id/r/limited', secretId(3));
    for (let i = 0; i < 2; i++) {
      await cache.get(s.storage, 'secret_id/r/unlimited');
      await cache.get(s.storage, 'secret_id/r/limited');
      await cache.get(s.storage, 'secret_id/r/absent');
    }
    expect(s.reads).toEqual(['secret_id/r/unlimited', 'secret_id/r/limited', 'secret_id/r/absent', 'secret_id/r/limited', 'secret_id/r/absent']);
  });

  it('forgets a secret ID when a locked section on it ends, and ignores reads that overlapped it', async () => {
    const { s, cache, locks, key } = await cachedSecretId();
    // A destroy under the lock: once it is over, the next login reads storage and finds nothing.
    await locks.run(key, () => s.storage.delete(key));
    expect(await cache.get(s.storage, key)).toBeNull();
    // A login's read that started before a destroy and ends after it must not leave the entry cached.
    await put(s.storage, key, secretId(0));
    s.hold();
    const reading = cache.get(s.storage, key);
    await new Promise((resolve) => setImmediate(resolve));
    await locks.run(key, () => s.storage.delete(key));
    await s.release();
    expect(await reading).not.toBeNull();
    expect(await cache.get(s.storage, key)).toBeNull();
  });

  it('serialises locked sections per key, and forgets the key when a section throws', async () => {
    const { s, cache, locks, key } = await cachedSecretId();
    const order: string[] = [];
    const first = locks.run(key, async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      order.push('first');
      throw new Error('boom');
    });
    const second = locks.run(key, async () => {
      order.push('second');
    });
    await expect(first).rejects.toThrow('boom');
    await second;
    expect(order).toEqual(['first', 'second']);
    await cache.get(s.storage, key);
    expect(s.reads).toEqual([key, key]);
  });
});
