import { beforeEach, describe, expect, it } from 'vitest';
import { harness, USERPASS, type Harness } from './harness.suite.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const T0 = '2024-01-02T03:04:05.678000000Z';

describe('identity/group', () => {
  let h: Harness;
  let entityId: string;
  beforeEach(async () => {
    h = harness();
    ({ entityId } = await h.store.loginAlias(USERPASS, { name: 'bob' }));
  });

  it('creates a group and answers {id, name}', async () => {
    const data = await h.data('update', 'group', { name: 'devs', policies: 'dev,ops' });
    expect(data).toEqual({ id: expect.stringMatching(UUID), name: 'devs' });
    expect((await h.data('update', 'group', {})).name).toMatch(/^group_[0-9a-f]{8}$/);
  });

  it('reads a group by id and by name with Vault\'s fields', async () => {
    const { id } = await h.data('update', 'group', {
      name: 'Devs', policies: ['dev', 'ops', 'DEV'], member_entity_ids: entityId, metadata: { team: 'x' },
    });
    const expected = {
      id,
      name: 'Devs',
      type: 'internal',
      policies: ['dev', 'ops'],
      metadata: { team: 'x' },
      member_entity_ids: [entityId],
      member_group_ids: null,
      parent_group_ids: null,
      alias: {},
      modify_index: 1,
      namespace_id: 'root',
      creation_time: T0,
      last_update_time: T0,
    };
    expect(await h.data('read', `group/id/${String(id)}`)).toEqual(expected);
    expect(await h.data('read', 'group/name/devs')).toEqual(expected);
  });

  it('answers null for lists and maps never set', async () => {
    const { id } = await h.data('update', 'group', { name: 'bare' });
    expect(await h.data('read', `group/id/${String(id)}`)).toMatchObject({ policies: null, metadata: null, member_entity_ids: null });
  });

  it('shows member and parent group ids', async () => {
    const inner = await h.data('update', 'group', { name: 'inner' });
    const outer = await h.data('update', 'group', { name: 'outer', member_group_ids: [inner.id] });
    expect(await h.data('read', `group/id/${String(outer.id)}`)).toMatchObject({ member_group_ids: [inner.id], parent_group_ids: null });
    expect(await h.data('read', `group/id/${String(inner.id)}`)).toMatchObject({ member_group_ids: null, parent_group_ids: [outer.id] });
  });

  it('updates with 204 through group, group/id/:id and group/name/:name', async () => {
    const { id } = await h.data('update', 'group', { name: 'devs' });
    h.clock.advance(2_000);
    expect(await h.call('update', 'group', { name: 'devs', policies: 'a' })).toBeNull();
    expect(await h.call('update', `group/id/${String(id)}`, { metadata: 'k=v' })).toBeNull();
    expect(await h.call('update', 'group/name/DEVS', { member_entity_ids: [entityId] })).toBeNull();
    // As in Vault, the name in the path becomes the group's name, letter case included.
    expect(await h.data('read', `group/id/${String(id)}`)).toMatchObject({
      name: 'DEVS', policies: ['a'], metadata: { k: 'v' }, member_entity_ids: [entityId], modify_index: 4,
      creation_time: T0, last_update_time: '2024-01-02T03:04:07.678000000Z',
    });
    expect(await h.store.policiesFor(entityId)).toEqual(['a']);
  });

  it('creates a group on a write to an unknown name, and renames by id', async () => {
    const { id } = await h.data('update', 'group/name/ops', { policies: 'ops' });
    expect(await h.call('update', `group/id/${String(id)}`, { name: 'operations' })).toBeNull();
    expect(await h.call('read', 'group/name/ops')).toBeNull();
    expect((await h.data('read', 'group/name/operations')).id).toBe(id);
  });

  it('refuses bad writes', async () => {
    const { id } = await h.data('update', 'group', { name: 'devs' });
    await h.data('update', 'group', { name: 'taken' });
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['group/id/nope', { policies: 'a' }, 'invalid group ID'],
      ['group', { id: 'nope' }, 'invalid group ID'],
      [`group/id/${String(id)}`, { name: 'TAKEN' }, 'group name is already in use'],
      ['group', { name: 'x', policies: 'root' }, 'policies cannot contain root'],
      ['group', { name: 'x', type: 'weird' }, 'invalid group type "weird"'],
      ['group', { name: 'x', member_entity_ids: 'nope' }, 'invalid entity ID "nope"'],
      ['group', { name: 'x', member_group_ids: 'nope' }, 'invalid member group ID "nope"'],
      [`group/id/${String(id)}`, { member_group_ids: [id] }, `member group ID "${String(id)}" is same as the ID of the group`],
    ];
    for (const [path, body, message] of cases) {
      const err = await h.fail('update', path, body);
      expect(err.status).toBe(400);
      expect(err.messages).toEqual([message]);
    }
    expect(await h.call('read', 'group/name/x')).toBeNull();
  });

  it('refuses external groups for now', async () => {
    const err = await h.fail('update', 'group', { name: 'ext', type: 'external' });
    expect(err.status).toBe(400);
    expect(err.messages[0]).toContain('external groups are not supported');
    expect(await h.call('read', 'group/name/ext')).toBeNull();
  });

  it('refuses a loop through the API', async () => {
    const a = await h.data('update', 'group', { name: 'a' });
    const b = await h.data('update', 'group', { name: 'b', member_group_ids: [a.id] });
    const err = await h.fail('update', `group/id/${String(a.id)}`, { member_group_ids: [b.id] });
    expect(err.messages).toEqual([`cyclic relationship detected for member group ID "${String(b.id)}"`]);
  });

  it('lists ids with key_info and names without it', async () => {
    expect(await h.data('list', 'group/id')).toEqual({ keys: [] });
    const inner = await h.data('update', 'group', { name: 'inner', member_entity_ids: [entityId] });
    const outer = await h.data('update', 'group', { name: 'outer', member_group_ids: [inner.id] });
    const byId = await h.data('list', 'group/id');
    expect(byId.keys).toEqual([inner.id, outer.id].sort());
    expect(byId.key_info).toEqual({
      [String(inner.id)]: { name: 'inner', num_member_entities: 1, num_parent_groups: 1 },
      [String(outer.id)]: { name: 'outer', num_member_entities: 0, num_parent_groups: 0 },
    });
    expect(await h.data('list', 'group/name')).toEqual({ keys: ['inner', 'outer'] });
  });

  it('deletes by id and by name; members lose the policies', async () => {
    const { id } = await h.data('update', 'group', { name: 'devs', policies: 'dev', member_entity_ids: [entityId] });
    await h.data('update', 'group', { name: 'ops', policies: 'ops', member_entity_ids: [entityId] });
    expect(await h.store.policiesFor(entityId)).toEqual(['dev', 'ops']);
    expect(await h.call('delete', `group/id/${String(id)}`)).toBeNull();
    expect(await h.call('read', `group/id/${String(id)}`)).toBeNull();
    expect(await h.call('delete', 'group/name/OPS')).toBeNull();
    expect(await h.call('read', 'group/name/ops')).toBeNull();
    expect(await h.store.policiesFor(entityId)).toEqual([]);
    expect(await h.call('delete', 'group/name/ops')).toBeNull();
    expect((await h.data('read', `entity/id/${entityId}`)).group_ids).toEqual([]);
  });

  it('answers 404 for unknown groups', async () => {
    expect(await h.call('read', 'group/id/nope')).toBeNull();
    expect(await h.call('read', 'group/name/nope')).toBeNull();
  });
});
