import { beforeEach, describe, expect, it } from 'vitest';
import { harness, USERPASS, type Harness } from './harness.suite.js';

describe('identity/lookup', () => {
  let h: Harness;
  let entityId: string;
  let aliasId: string;
  let entity: Record<string, unknown>;
  beforeEach(async () => {
    h = harness();
    ({ entityId, aliasId } = await h.store.loginAlias(USERPASS, { name: 'bob' }));
    entity = await h.data('read', `entity/id/${entityId}`);
  });

  it('finds an entity by id, name, alias id, or alias name and mount accessor', async () => {
    expect(await h.data('update', 'lookup/entity', { id: entityId })).toEqual(entity);
    expect(await h.data('update', 'lookup/entity', { name: String(entity.name).toUpperCase() })).toEqual(entity);
    expect(await h.data('update', 'lookup/entity', { alias_id: aliasId })).toEqual(entity);
    expect(await h.data('update', 'lookup/entity', { alias_name: 'Bob', alias_mount_accessor: USERPASS.accessor })).toEqual(entity);
  });

  it('answers 204 when no entity matches', async () => {
    expect(await h.call('update', 'lookup/entity', { id: 'nope' })).toBeNull();
    expect(await h.call('update', 'lookup/entity', { name: 'nope' })).toBeNull();
    expect(await h.call('update', 'lookup/entity', { alias_id: 'nope' })).toBeNull();
    expect(await h.call('update', 'lookup/entity', { alias_name: 'bob', alias_mount_accessor: 'auth_other_0' })).toBeNull();
  });

  it('refuses missing, conflicting and half alias criteria', async () => {
    for (const path of ['lookup/entity', 'lookup/group']) {
      expect((await h.fail('update', path, {})).messages).toEqual(['query parameter not supplied']);
      expect((await h.fail('update', path, { id: 'a', name: 'b' })).messages)
        .toEqual(['query parameter conflict; please supply distinct set of query parameters']);
      expect((await h.fail('update', path, { alias_name: 'bob' })).messages)
        .toEqual(["both 'alias_name' and 'alias_mount_accessor' needs to be set"]);
    }
  });

  it('finds a group by id or name, and answers 204 otherwise', async () => {
    const { id } = await h.data('update', 'group', { name: 'devs', member_entity_ids: [entityId] });
    const group = await h.data('read', `group/id/${String(id)}`);
    expect(await h.data('update', 'lookup/group', { id })).toEqual(group);
    expect(await h.data('update', 'lookup/group', { name: 'DEVS' })).toEqual(group);
    expect(await h.call('update', 'lookup/group', { name: 'nope' })).toBeNull();
    // Group aliases belong to external groups, which do not exist yet.
    expect(await h.call('update', 'lookup/group', { alias_id: aliasId })).toBeNull();
  });
});
