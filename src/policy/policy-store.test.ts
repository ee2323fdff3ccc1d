import { beforeEach, describe, expect, it } from 'vitest';
import { prefixedStorage, type Storage } from '../framework/storage.js';
import { InmemPhysical } from '../storage/inmem/inmem-physical.js';
import { DEFAULT_POLICY } from './default-policy.js';
import { PolicyStore } from './policy-store.js';
import { hcl } from './test-helpers.suite.js';

describe('PolicyStore', () => {
  let physical: InmemPhysical;
  let storage: Storage;
  let store: PolicyStore;

  beforeEach(() => {
    physical = new InmemPhysical();
    storage = prefixedStorage(physical, 'sys/');
    store = new PolicyStore(storage);
  });

  it('stores a policy under policy/acl/<lowercased name> and reads it back verbatim', async () => {
    const text = hcl({ 'secret/*': ['read'] });
    const set = await store.set('  Dev-Team ', text);
    expect(set.name).toBe('dev-team');
    expect(await physical.get('sys/policy/acl/dev-team')).not.toBeNull();
    const got = await new PolicyStore(storage).get('DEV-TEAM');
    expect(got?.name).toBe('dev-team');
    expect(got?.raw).toBe(text);
  });

  it('stores the decoded text of a base64 policy', async () => {
    const text = hcl({ 'secret/*': ['read'] });
    await store.set('b64', Buffer.from(text).toString('base64'));
    expect((await new PolicyStore(storage).get('b64'))?.raw).toBe(text);
  });

  it('refuses root, empty names and texts, and unparsable policies, storing nothing', async () => {
    await expect(store.set('root', hcl({ a: ['read'] }))).rejects.toMatchObject({ code: 'invalid_request', message: 'cannot update "root" policy' });
    await expect(store.set('ROOT', hcl({ a: ['read'] }))).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(store.set(' ', hcl({ a: ['read'] }))).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(store.set('p', '   ')).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(store.set('p', 'path "a" {\n  capabilities = ["fly"]\n}\n')).rejects.toMatchObject({ code: 'invalid_request' });
    expect(await store.get('p')).toBeNull();
    expect(await store.list()).toEqual(['root']);
  });

  it('deletes idempotently and protects root and default with Vault messages', async () => {
    await store.set('p', hcl({ a: ['read'] }));
    await store.delete('P');
    await store.delete('p');
    expect(await store.get('p')).toBeNull();
    await expect(store.delete('root')).rejects.toMatchObject({ code: 'invalid_request', message: 'cannot delete "root" policy' });
    await expect(store.delete('Default')).rejects.toMatchObject({ code: 'invalid_request', message: 'cannot delete default policy' });
  });

  it('lists stored names sorted, then root', async () => {
    await store.set('zeta', hcl({ a: ['read'] }));
    await store.set('alpha', hcl({ a: ['read'] }));
    await store.set('team/ops', hcl({ a: ['read'] }));
    expect(await store.list()).toEqual(['alpha', 'team/ops', 'zeta', 'root']);
  });

  it('reads root as absent: it has no stored form', async () => {
    expect(await store.get('root')).toBeNull();
  });

  it("writes Vault's default policy once and leaves an edited one alone", async () => {
    expect(await store.ensureDefault()).toBe(true);
    expect((await store.get('default'))?.raw).toBe(DEFAULT_POLICY);
    const edited = hcl({ 'auth/token/lookup-self': ['read'] });
    await store.set('default', edited);
    expect(await store.ensureDefault()).toBe(false);
    expect((await new PolicyStore(storage).get('default'))?.raw).toBe(edited);
    expect(await store.list()).toEqual(['default', 'root']);
  });

  describe('acl()', () => {
    it('compiles the named policies, skipping unknown names', async () => {
      await store.set('a', hcl({ 'secret/a/*': ['read'] }));
      await store.set('b', hcl({ 'secret/b/*': ['update'] }));
      const acl = await store.acl(['A', 'b', 'missing']);
      expect(acl.capabilities('secret/a/x')).toEqual(['read']);
      expect(acl.capabilities('secret/b/x')).toEqual(['update']);
      expect(acl.policyNames).toEqual(['a', 'b']);
    });

    it('gives a root ACL for root', async () => {
      expect((await store.acl(['default', 'root'])).isRoot).toBe(true);
    });

    it('caches per sorted set of names and recompiles after a change', async () => {
      await store.set('a', hcl({ 'secret/*': ['read'] }));
      const first = await store.acl(['a', 'default']);
      expect(await store.acl(['default', 'a', 'a'])).toBe(first);
      await store.set('a', hcl({ 'secret/*': ['update'] }));
      const second = await store.acl(['a', 'default']);
      expect(second).not.toBe(first);
      expect(second.capabilities('secret/x')).toEqual(['update']);
      await store.delete('a');
      expect((await store.acl(['a', 'default'])).capabilities('secret/x')).toEqual(['deny']);
    });

    it('notices a policy created after its name was looked up and missing', async () => {
      expect((await store.acl(['late'])).capabilities('secret/x')).toEqual(['deny']);
      await store.set('late', hcl({ 'secret/*': ['read'] }));
      expect((await store.acl(['late'])).capabilities('secret/x')).toEqual(['read']);
    });

    it('resolves templates per context and never serves another entity a cached ACL', async () => {
      await store.set('own', hcl({ 'secret/{{identity.entity.name}}/*': ['read'] }));
      const alice = await store.acl(['own'], { entity: { id: 'e1', name: 'alice', metadata: {}, aliases: [] }, groups: [] });
      const bob = await store.acl(['own'], { entity: { id: 'e2', name: 'bob', metadata: {}, aliases: [] }, groups: [] });
      expect(alice.capabilities('secret/alice/x')).toEqual(['read']);
      expect(bob.capabilities('secret/alice/x')).toEqual(['deny']);
      expect(bob.capabilities('secret/bob/x')).toEqual(['read']);
      // Without a context the templated block is dropped; that ACL may be cached but is not served with one.
      const none = await store.acl(['own']);
      expect(none.capabilities('secret/alice/x')).toEqual(['deny']);
      const again = await store.acl(['own'], { entity: { id: 'e1', name: 'alice', metadata: {}, aliases: [] }, groups: [] });
      expect(again.capabilities('secret/alice/x')).toEqual(['read']);
    });

    it('sees a change made by another node after invalidate()', async () => {
      await store.set('a', hcl({ 'secret/*': ['read'] }));
      expect((await store.acl(['a'])).capabilities('secret/x')).toEqual(['read']);
      await new PolicyStore(storage).set('a', hcl({ 'secret/*': ['list'] }));
      expect((await store.acl(['a'])).capabilities('secret/x')).toEqual(['read']);
      store.invalidate('a');
      expect((await store.acl(['a'])).capabilities('secret/x')).toEqual(['list']);
    });
  });
});
