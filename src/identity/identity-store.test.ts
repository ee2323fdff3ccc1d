import { beforeEach, describe, expect, it } from 'vitest';
import { APPROLE, harness, USERPASS, type Harness } from './harness.suite.js';
import type { TemplateContext as PolicyTemplateContext } from '../policy/types.js';
import { IdentityStore, type TemplateContext } from './identity-store.js';

// The policy helper declares the same shape; `tsc` fails here if the two drift apart.
export const toPolicyContext = (c: TemplateContext): PolicyTemplateContext => c;
export const fromPolicyContext = (c: PolicyTemplateContext): TemplateContext => c;

describe('IdentityStore logins', () => {
  let h: Harness;
  beforeEach(() => {
    h = harness();
  });

  it('creates an entity and an alias on the first login through a pair', async () => {
    const { entityId, aliasId } = await h.store.loginAlias(USERPASS, { name: 'bob', metadata: { team: 'ops' } });
    const entity = await h.store.repo.entity(entityId);
    expect(entity?.name).toMatch(/^entity_[0-9a-f]{8}$/);
    expect(entity?.aliasIds).toEqual([aliasId]);
    expect(entity?.policies).toEqual([]);
    const alias = await h.store.repo.alias(aliasId);
    expect(alias).toMatchObject({ canonicalId: entityId, mountAccessor: USERPASS.accessor, name: 'bob', metadata: { team: 'ops' } });
    expect(await h.store.repo.entityIds()).toEqual([entityId]);
  });

  it('finds the same entity on later logins, also with another letter case', async () => {
    const first = await h.store.loginAlias(USERPASS, { name: 'bob' });
    expect(await h.store.loginAlias(USERPASS, { name: 'bob' })).toEqual(first);
    expect(await h.store.loginAlias(USERPASS, { name: 'BOB' })).toEqual(first);
    expect(await h.store.repo.entityIds()).toHaveLength(1);
  });

  it('keeps one entity per pair: another mount or another name is another entity', async () => {
    const a = await h.store.loginAlias(USERPASS, { name: 'bob' });
    const b = await h.store.loginAlias(APPROLE, { name: 'bob' });
    const c = await h.store.loginAlias(USERPASS, { name: 'alice' });
    expect(new Set([a.entityId, b.entityId, c.entityId]).size).toBe(3);
    expect(await h.store.repo.entityIds()).toHaveLength(3);
  });

  it('refreshes the alias metadata when a login brings new values', async () => {
    const { aliasId } = await h.store.loginAlias(APPROLE, { name: 'role-1', metadata: { role_name: 'web' } });
    h.clock.advance(60_000);
    await h.store.loginAlias(APPROLE, { name: 'role-1', metadata: { role_name: 'api' } });
    const alias = await h.store.repo.alias(aliasId);
    expect(alias?.metadata).toEqual({ role_name: 'api' });
    expect(alias!.lastUpdateTime - alias!.creationTime).toBe(60_000);
  });

  it('yields one entity when first logins of one pair run concurrently', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, () => h.store.loginAlias(USERPASS, { name: 'carol' })));
    expect(new Set(results.map((r) => r.entityId)).size).toBe(1);
    expect(new Set(results.map((r) => r.aliasId)).size).toBe(1);
    expect(await h.store.repo.entityIds()).toHaveLength(1);
    expect(await h.store.repo.aliasIds()).toHaveLength(1);
  });

  it('keeps distinct pairs apart when their first logins run concurrently', async () => {
    const names = ['a', 'b', 'c', 'd', 'e'];
    await Promise.all(names.flatMap((name) => [h.store.loginAlias(USERPASS, { name }), h.store.loginAlias(USERPASS, { name })]));
    expect(await h.store.repo.entityIds()).toHaveLength(names.length);
  });

  it('refuses an empty alias name', async () => {
    await expect(h.store.loginAlias(USERPASS, { name: '' })).rejects.toMatchObject({ code: 'invalid_request' });
  });

  it('reads back what an earlier store instance wrote (state lives in storage)', async () => {
    const { entityId } = await h.store.loginAlias(USERPASS, { name: 'dave' });
    const again = new IdentityStore(h.storage, h.clock);
    expect((await again.loginAlias(USERPASS, { name: 'dave' })).entityId).toBe(entityId);
  });
});

describe('IdentityStore policies', () => {
  let h: Harness;
  let entityId: string;
  beforeEach(async () => {
    h = harness();
    ({ entityId } = await h.store.loginAlias(USERPASS, { name: 'bob' }));
  });

  it('is empty for an unknown entity, and the entity\'s own policies otherwise', async () => {
    expect(await h.store.policiesFor('no-such-entity')).toEqual([]);
    expect(await h.store.policiesFor(entityId)).toEqual([]);
    await h.store.saveEntity({ id: entityId, policies: ['zeta', 'alpha', 'zeta'] });
    expect(await h.store.policiesFor(entityId)).toEqual(['alpha', 'zeta']);
  });

  it('adds the policies of groups the entity is a direct member of', async () => {
    await h.store.saveEntity({ id: entityId, policies: ['own'] });
    await h.store.saveGroup({ name: 'devs', policies: ['dev', 'own'], memberEntityIds: [entityId] });
    await h.store.saveGroup({ name: 'others', policies: ['other'] });
    expect(await h.store.policiesFor(entityId)).toEqual(['dev', 'own']);
  });

  it('adds the policies of groups that contain its groups, at any depth', async () => {
    const leaf = await h.store.saveGroup({ name: 'leaf', policies: ['p-leaf'], memberEntityIds: [entityId] });
    const mid = await h.store.saveGroup({ name: 'mid', policies: ['p-mid'], memberGroupIds: [leaf.record.id] });
    await h.store.saveGroup({ name: 'top', policies: ['p-top'], memberGroupIds: [mid.record.id] });
    // A group containing an unrelated group grants nothing.
    const unrelated = await h.store.saveGroup({ name: 'unrelated', policies: ['p-x'] });
    await h.store.saveGroup({ name: 'side', policies: ['p-side'], memberGroupIds: [unrelated.record.id] });
    expect(await h.store.policiesFor(entityId)).toEqual(['p-leaf', 'p-mid', 'p-top']);
    const groups = await h.store.groupsOf(entityId);
    expect(groups.direct.map((g) => g.name)).toEqual(['leaf']);
    expect(groups.inherited.map((g) => g.name).sort()).toEqual(['mid', 'top']);
  });

  it('follows membership changes', async () => {
    const g = await h.store.saveGroup({ name: 'g', policies: ['from-g'] });
    expect(await h.store.policiesFor(entityId)).toEqual([]);
    await h.store.saveGroup({ id: g.record.id, memberEntityIds: [entityId] });
    expect(await h.store.policiesFor(entityId)).toEqual(['from-g']);
    await h.store.saveGroup({ id: g.record.id, policies: ['changed'] });
    expect(await h.store.policiesFor(entityId)).toEqual(['changed']);
    await h.store.saveGroup({ id: g.record.id, memberEntityIds: [] });
    expect(await h.store.policiesFor(entityId)).toEqual([]);
  });

  it('follows member-group changes', async () => {
    const inner = await h.store.saveGroup({ name: 'inner', memberEntityIds: [entityId] });
    const outer = await h.store.saveGroup({ name: 'outer', policies: ['outer-p'] });
    await h.store.saveGroup({ id: outer.record.id, memberGroupIds: [inner.record.id] });
    expect(await h.store.policiesFor(entityId)).toEqual(['outer-p']);
    await h.store.saveGroup({ id: outer.record.id, memberGroupIds: [] });
    expect(await h.store.policiesFor(entityId)).toEqual([]);
  });

  it('drops a deleted group\'s policies, also for members of its member groups', async () => {
    const inner = await h.store.saveGroup({ name: 'inner', policies: ['inner-p'], memberEntityIds: [entityId] });
    const outer = await h.store.saveGroup({ name: 'outer', policies: ['outer-p'], memberGroupIds: [inner.record.id] });
    expect(await h.store.policiesFor(entityId)).toEqual(['inner-p', 'outer-p']);
    expect(await h.store.deleteGroup(outer.record.id)).toBe(true);
    expect(await h.store.policiesFor(entityId)).toEqual(['inner-p']);
    expect(await h.store.deleteGroup(inner.record.id)).toBe(true);
    expect(await h.store.policiesFor(entityId)).toEqual([]);
    expect(await h.store.deleteGroup(inner.record.id)).toBe(false);
  });

  it('forgets a deleted member group in the groups that contained it', async () => {
    const inner = await h.store.saveGroup({ name: 'inner' });
    const outer = await h.store.saveGroup({ name: 'outer', memberGroupIds: [inner.record.id] });
    await h.store.deleteGroup(inner.record.id);
    const after = await h.store.repo.group(outer.record.id);
    expect(after?.memberGroupIds).toEqual([]);
    expect(after?.modifyIndex).toBe(outer.record.modifyIndex + 1);
  });

  it('removes a deleted entity from its groups', async () => {
    const g = await h.store.saveGroup({ name: 'g', memberEntityIds: [entityId] });
    expect(await h.store.deleteEntity(entityId)).toBe(true);
    expect((await h.store.repo.group(g.record.id))?.memberEntityIds).toEqual([]);
    expect(await h.store.repo.groupIdsOfEntity(entityId)).toEqual([]);
    expect(await h.store.policiesFor(entityId)).toEqual([]);
    // The alias went with it: the next login makes a new entity.
    const again = await h.store.loginAlias(USERPASS, { name: 'bob' });
    expect(again.entityId).not.toBe(entityId);
  });
});

describe('IdentityStore group cycles', () => {
  let h: Harness;
  beforeEach(() => {
    h = harness();
  });

  it('refuses a group as its own member', async () => {
    const g = await h.store.saveGroup({ name: 'g' });
    await expect(h.store.saveGroup({ id: g.record.id, memberGroupIds: [g.record.id] })).rejects.toMatchObject({
      code: 'invalid_request',
      message: `member group ID "${g.record.id}" is same as the ID of the group`,
    });
  });

  it('refuses two- and three-group loops and leaves the groups unchanged', async () => {
    const a = await h.store.saveGroup({ name: 'a' });
    const b = await h.store.saveGroup({ name: 'b', memberGroupIds: [a.record.id] });
    await expect(h.store.saveGroup({ id: a.record.id, memberGroupIds: [b.record.id] })).rejects.toMatchObject({
      message: `cyclic relationship detected for member group ID "${b.record.id}"`,
    });
    const c = await h.store.saveGroup({ name: 'c', memberGroupIds: [b.record.id] });
    await expect(h.store.saveGroup({ id: a.record.id, memberGroupIds: [c.record.id] })).rejects.toMatchObject({
      message: `cyclic relationship detected for member group ID "${c.record.id}"`,
    });
    expect((await h.store.repo.group(a.record.id))?.memberGroupIds).toEqual([]);
    expect(await h.store.repo.parentIdsOfGroup(c.record.id)).toEqual([]);
  });

  it('allows diamonds (two paths to one group are not a loop)', async () => {
    const bottom = await h.store.saveGroup({ name: 'bottom' });
    const left = await h.store.saveGroup({ name: 'left', memberGroupIds: [bottom.record.id] });
    const right = await h.store.saveGroup({ name: 'right', memberGroupIds: [bottom.record.id] });
    const top = await h.store.saveGroup({ name: 'top', memberGroupIds: [left.record.id, right.record.id] });
    expect((await h.store.repo.group(top.record.id))?.memberGroupIds).toEqual([left.record.id, right.record.id].sort());
    expect((await h.store.repo.parentIdsOfGroup(bottom.record.id)).sort()).toEqual([left.record.id, right.record.id].sort());
  });

  it('refuses unknown member ids', async () => {
    await expect(h.store.saveGroup({ name: 'g', memberEntityIds: ['nope'] })).rejects.toMatchObject({ message: 'invalid entity ID "nope"' });
    await expect(h.store.saveGroup({ name: 'g', memberGroupIds: ['nope'] })).rejects.toMatchObject({ message: 'invalid member group ID "nope"' });
    expect(await h.store.repo.groupIds()).toEqual([]);
  });
});

describe('IdentityStore template context and disabled entities', () => {
  let h: Harness;
  beforeEach(() => {
    h = harness();
  });

  it('is undefined for an unknown entity', async () => {
    expect(await h.store.templateContext('missing')).toBeUndefined();
    expect(await h.store.entityDisabled('missing')).toBe(false);
  });

  it('carries the entity, its aliases and every group it belongs to', async () => {
    const { entityId, aliasId } = await h.store.loginAlias(USERPASS, { name: 'bob', metadata: { dept: 'eng' } });
    await h.store.saveEntity({ id: entityId, metadata: { region: 'eu' } });
    await h.store.saveAlias({ id: aliasId, customMetadata: { badge: '42' } }, () => true);
    const inner = await h.store.saveGroup({ name: 'inner', metadata: { floor: '3' }, memberEntityIds: [entityId] });
    const outer = await h.store.saveGroup({ name: 'outer', memberGroupIds: [inner.record.id] });
    const entity = await h.store.repo.entity(entityId);
    expect(await h.store.templateContext(entityId)).toEqual({
      entity: {
        id: entityId,
        name: entity?.name,
        metadata: { region: 'eu' },
        aliases: [{ mountAccessor: USERPASS.accessor, id: aliasId, name: 'bob', metadata: { dept: 'eng' }, customMetadata: { badge: '42' } }],
      },
      groups: [
        { id: inner.record.id, name: 'inner', metadata: { floor: '3' } },
        { id: outer.record.id, name: 'outer', metadata: {} },
      ],
    });
  });

  it('reports a disabled entity until it is enabled again', async () => {
    const { entityId } = await h.store.loginAlias(USERPASS, { name: 'bob' });
    expect(await h.store.entityDisabled(entityId)).toBe(false);
    await h.store.saveEntity({ id: entityId, disabled: true });
    expect(await h.store.entityDisabled(entityId)).toBe(true);
    // Logging in still resolves the entity; the core refuses its tokens.
    expect((await h.store.loginAlias(USERPASS, { name: 'bob' })).entityId).toBe(entityId);
    await h.store.saveEntity({ id: entityId, disabled: false });
    expect(await h.store.entityDisabled(entityId)).toBe(false);
  });
});
