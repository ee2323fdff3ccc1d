import { beforeEach, describe, expect, it } from 'vitest';
import { harness, START, USERPASS, type Harness } from './harness.suite.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const T0 = '2024-01-02T03:04:05.678000000Z';

describe('identity/entity', () => {
  let h: Harness;
  beforeEach(() => {
    h = harness();
  });

  it('creates an entity and answers {id, name, aliases: null}', async () => {
    const data = await h.data('update', 'entity', { name: 'bob', policies: 'dev, ops', metadata: { team: 'infra' } });
    expect(data).toEqual({ id: expect.stringMatching(UUID), name: 'bob', aliases: null });
  });

  it('generates a Vault-style name when none is given', async () => {
    const data = await h.data('update', 'entity', {});
    expect(data.name).toMatch(/^entity_[0-9a-f]{8}$/);
  });

  it('reads an entity by id and by name (case-insensitively) with Vault\'s fields', async () => {
    const { id } = await h.data('update', 'entity', { name: 'Bob', policies: ['ops', 'dev', 'ops'], metadata: 'team=infra,site=fra' });
    const expected = {
      id,
      name: 'Bob',
      metadata: { team: 'infra', site: 'fra' },
      policies: ['dev', 'ops'],
      disabled: false,
      namespace_id: 'root',
      merged_entity_ids: null,
      creation_time: T0,
      last_update_time: T0,
      aliases: [],
      direct_group_ids: [],
      inherited_group_ids: [],
      group_ids: [],
    };
    expect(await h.data('read', `entity/id/${String(id)}`)).toEqual(expected);
    expect(await h.data('read', 'entity/name/bob')).toEqual(expected);
  });

  it('answers metadata null until some is set', async () => {
    const { id } = await h.data('update', 'entity', { name: 'bare' });
    expect((await h.data('read', `entity/id/${String(id)}`)).metadata).toBeNull();
  });

  it('updates by id with 204 and keeps the creation time', async () => {
    const { id } = await h.data('update', 'entity', { name: 'bob', policies: ['a'] });
    h.clock.advance(1_000);
    expect(await h.call('update', `entity/id/${String(id)}`, { policies: ['b'], disabled: 'true' })).toBeNull();
    const read = await h.data('read', `entity/id/${String(id)}`);
    expect(read).toMatchObject({ name: 'bob', policies: ['b'], disabled: true, creation_time: T0, last_update_time: '2024-01-02T03:04:06.678000000Z' });
  });

  it('updates the entity of an existing name instead of creating another', async () => {
    const { id } = await h.data('update', 'entity', { name: 'bob' });
    expect(await h.call('update', 'entity', { name: 'bob', policies: 'x' })).toBeNull();
    expect(await h.call('update', 'entity/name/bob', { metadata: { a: '1' } })).toBeNull();
    expect(await h.data('read', `entity/id/${String(id)}`)).toMatchObject({ policies: ['x'], metadata: { a: '1' } });
    expect((await h.data('list', 'entity/id')).keys).toEqual([id]);
  });

  it('creates an entity on a write to an unknown name', async () => {
    const data = await h.data('update', 'entity/name/web-1', { policies: 'web' });
    expect(data).toEqual({ id: expect.stringMatching(UUID), name: 'web-1', aliases: null });
    expect(await h.data('read', 'entity/name/web-1')).toMatchObject({ id: data.id, policies: ['web'] });
  });

  it('renames, freeing the old name', async () => {
    const { id } = await h.data('update', 'entity', { name: 'old' });
    await h.call('update', `entity/id/${String(id)}`, { name: 'new' });
    expect(await h.call('read', 'entity/name/old')).toBeNull();
    expect((await h.data('read', 'entity/name/new')).id).toBe(id);
  });

  it('refuses unknown ids, taken names, root and bad metadata', async () => {
    const missing = await h.fail('update', 'entity/id/nope', { policies: 'a' });
    expect(missing).toMatchObject({ status: 400, messages: ['entity not found from id: nope'] });
    await h.data('update', 'entity', { name: 'taken' });
    const { id } = await h.data('update', 'entity', { name: 'other' });
    expect((await h.fail('update', `entity/id/${String(id)}`, { name: 'TAKEN' })).messages).toEqual(["entity name 'TAKEN' is already in use"]);
    expect((await h.fail('update', 'entity', { name: 'x', policies: 'a,Root' })).messages).toEqual(['policies cannot contain root']);
    const bad = await h.fail('update', 'entity', { name: 'x', metadata: { 'vault-x': 'y' } });
    expect(bad.status).toBe(400);
    expect(bad.messages[0]).toContain('reserved for internal use');
    expect((await h.fail('update', 'entity', { name: 'x', metadata: { 'bad key': 'y' } })).messages[0]).toContain('key contains invalid characters');
    expect(await h.call('read', 'entity/name/x')).toBeNull();
  });

  it('shows aliases with their mount path and type while the mount exists', async () => {
    const { entityId, aliasId } = await h.store.loginAlias(USERPASS, { name: 'bob', metadata: { k: 'v' } });
    const read = await h.data('read', `entity/id/${entityId}`);
    expect(read.aliases).toEqual([
      {
        id: aliasId,
        canonical_id: entityId,
        mount_accessor: USERPASS.accessor,
        mount_path: 'auth/userpass/',
        mount_type: 'userpass',
        name: 'bob',
        metadata: { k: 'v' },
        custom_metadata: null,
        merged_from_canonical_ids: null,
        local: false,
        creation_time: T0,
        last_update_time: T0,
      },
    ]);
    h.mounts.delete(USERPASS.accessor);
    const [alias] = (await h.data('read', `entity/id/${entityId}`)).aliases as Array<Record<string, unknown>>;
    expect(alias).not.toHaveProperty('mount_path');
    expect(alias).not.toHaveProperty('mount_type');
  });

  it('shows direct and inherited group ids', async () => {
    const { id } = await h.data('update', 'entity', { name: 'bob' });
    const inner = await h.data('update', 'group', { name: 'inner', member_entity_ids: [id] });
    const outer = await h.data('update', 'group', { name: 'outer', member_group_ids: [inner.id] });
    expect(await h.data('read', `entity/id/${String(id)}`)).toMatchObject({
      direct_group_ids: [inner.id],
      inherited_group_ids: [outer.id],
      group_ids: [inner.id, outer.id],
    });
  });

  it('lists ids with key_info and names without it, as Vault', async () => {
    expect(await h.data('list', 'entity/id')).toEqual({ keys: [] });
    const { entityId, aliasId } = await h.store.loginAlias(USERPASS, { name: 'bob' });
    const { id } = await h.data('update', 'entity', { name: 'alice' });
    const byId = await h.data('list', 'entity/id');
    expect(byId.keys).toEqual([entityId, id].sort());
    const bobName = (await h.store.repo.entity(entityId))?.name;
    expect(byId.key_info).toEqual({
      [entityId]: {
        name: bobName,
        aliases: [{ id: aliasId, name: 'bob', mount_accessor: USERPASS.accessor, mount_path: 'auth/userpass/', mount_type: 'userpass' }],
      },
      [String(id)]: { name: 'alice' },
    });
    expect(await h.data('list', 'entity/name/')).toEqual({ keys: ['alice', bobName].sort() });
  });

  it('deletes by id and by name, with their aliases; deleting nothing is fine', async () => {
    const { entityId, aliasId } = await h.store.loginAlias(USERPASS, { name: 'bob' });
    expect(await h.call('delete', `entity/id/${entityId}`)).toBeNull();
    expect(await h.call('read', `entity/id/${entityId}`)).toBeNull();
    expect(await h.call('read', `entity-alias/id/${aliasId}`)).toBeNull();
    expect(await h.call('delete', `entity/id/${entityId}`)).toBeNull();
    await h.data('update', 'entity', { name: 'carol' });
    expect(await h.call('delete', 'entity/name/CAROL')).toBeNull();
    expect(await h.call('read', 'entity/name/carol')).toBeNull();
    expect(await h.call('delete', 'entity/name/nobody')).toBeNull();
    expect((await h.data('list', 'entity/id')).keys).toEqual([]);
  });

  it('answers 404 for unknown entities and 405 for reads of list paths', async () => {
    expect(await h.call('read', 'entity/id/00000000-0000-0000-0000-000000000000')).toBeNull();
    expect(await h.call('read', 'entity/name/nobody')).toBeNull();
    expect((await h.fail('read', 'entity/id')).status).toBe(405);
    expect((await h.fail('read', 'entity/unknown/x')).status).toBe(404);
  });

  it('uses the injected clock for times', async () => {
    h.clock.set(START + 86_400_000);
    const { id } = await h.data('update', 'entity', {});
    expect((await h.data('read', `entity/id/${String(id)}`)).creation_time).toBe('2024-01-03T03:04:05.678000000Z');
  });
});
