import { beforeEach, describe, expect, it } from 'vitest';
import { APPROLE, harness, USERPASS, type Harness } from './harness.suite.js';

const T0 = '2024-01-02T03:04:05.678000000Z';

describe('identity/entity-alias', () => {
  let h: Harness;
  beforeEach(() => {
    h = harness();
  });

  it('creates an alias and, without canonical_id, a new entity for it', async () => {
    const data = await h.data('update', 'entity-alias', { name: 'bob', mount_accessor: USERPASS.accessor });
    expect(Object.keys(data).sort()).toEqual(['canonical_id', 'id']);
    const entity = await h.data('read', `entity/id/${String(data.canonical_id)}`);
    expect(entity.name).toMatch(/^entity_[0-9a-f]{8}$/);
    expect((entity.aliases as Array<Record<string, unknown>>).map((a) => a.id)).toEqual([data.id]);
    // A later login through that pair lands on the same entity.
    expect((await h.store.loginAlias(USERPASS, { name: 'bob' })).entityId).toBe(data.canonical_id);
  });

  it('attaches an alias to an existing entity, also through the deprecated entity_id', async () => {
    const { id } = await h.data('update', 'entity', { name: 'bob' });
    const a = await h.data('update', 'entity-alias', { name: 'bob', mount_accessor: USERPASS.accessor, canonical_id: id });
    const b = await h.data('update', 'entity-alias', { name: 'bob-role', mount_accessor: APPROLE.accessor, entity_id: id });
    expect([a.canonical_id, b.canonical_id]).toEqual([id, id]);
    const read = await h.data('read', `entity/id/${String(id)}`);
    expect((read.aliases as Array<Record<string, unknown>>).map((x) => x.mount_accessor)).toEqual([USERPASS.accessor, APPROLE.accessor]);
  });

  it('reads an alias with Vault\'s fields', async () => {
    const { id, canonical_id } = await h.data('update', 'entity-alias', {
      name: 'bob', mount_accessor: USERPASS.accessor, custom_metadata: { badge: '42' },
    });
    expect(await h.data('read', `entity-alias/id/${String(id)}`)).toEqual({
      id,
      canonical_id,
      mount_accessor: USERPASS.accessor,
      mount_path: 'auth/userpass/',
      mount_type: 'userpass',
      name: 'bob',
      metadata: null,
      custom_metadata: { badge: '42' },
      merged_from_canonical_ids: null,
      namespace_id: 'root',
      local: false,
      creation_time: T0,
      last_update_time: T0,
    });
  });

  it('refuses bad creates', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ name: 'bob' }, "'id' or 'mount_accessor' and 'name' must be provided"],
      [{ mount_accessor: USERPASS.accessor }, "'id' or 'mount_accessor' and 'name' must be provided"],
      [{ name: 'bob', mount_accessor: 'auth_nope_0' }, 'invalid mount accessor "auth_nope_0"'],
      [{ name: 'bob', mount_accessor: USERPASS.accessor, canonical_id: 'nope' }, 'invalid canonical ID'],
    ];
    for (const [body, message] of cases) {
      const err = await h.fail('update', 'entity-alias', body);
      expect(err.status).toBe(400);
      expect(err.messages).toEqual([message]);
    }
    expect((await h.fail('update', 'entity-alias/id/nope', { name: 'x' })).messages).toEqual(['invalid alias ID provided']);
    const big = await h.fail('update', 'entity-alias', { name: 'b', mount_accessor: USERPASS.accessor, custom_metadata: { k: 'v'.repeat(513) } });
    expect(big.messages[0]).toContain('custom_metadata validation failed');
    expect((await h.data('list', 'entity/id')).keys).toEqual([]);
  });

  it('allows one alias per mount on an entity', async () => {
    const { canonical_id } = await h.data('update', 'entity-alias', { name: 'bob', mount_accessor: USERPASS.accessor });
    const err = await h.fail('update', 'entity-alias', { name: 'robert', mount_accessor: USERPASS.accessor, canonical_id });
    expect(err.messages).toEqual(['Alias already exists for requested entity and mount accessor']);
  });

  it('updates by id: custom metadata, name, and 204 when nothing changes', async () => {
    const { id, canonical_id } = await h.data('update', 'entity-alias', { name: 'bob', mount_accessor: USERPASS.accessor });
    expect(await h.call('update', `entity-alias/id/${String(id)}`, {})).toBeNull();
    h.clock.advance(5_000);
    expect(await h.data('update', `entity-alias/id/${String(id)}`, { custom_metadata: 'a=1' })).toEqual({ id, canonical_id });
    expect(await h.data('update', `entity-alias/id/${String(id)}`, { name: 'robert' })).toEqual({ id, canonical_id });
    expect(await h.call('update', `entity-alias/id/${String(id)}`, { name: 'robert' })).toBeNull();
    const read = await h.data('read', `entity-alias/id/${String(id)}`);
    expect(read).toMatchObject({ name: 'robert', custom_metadata: { a: '1' }, creation_time: T0, last_update_time: '2024-01-02T03:04:10.678000000Z' });
    // The (mount, name) index follows the rename.
    expect((await h.store.loginAlias(USERPASS, { name: 'robert' })).aliasId).toBe(id);
    expect((await h.store.loginAlias(USERPASS, { name: 'bob' })).aliasId).not.toBe(id);
  });

  it('updates through (mount_accessor, name) on the create path', async () => {
    const { id, canonical_id } = await h.data('update', 'entity-alias', { name: 'bob', mount_accessor: USERPASS.accessor });
    expect(await h.call('update', 'entity-alias', { name: 'bob', mount_accessor: USERPASS.accessor })).toBeNull();
    expect(await h.data('update', 'entity-alias', { name: 'BOB', mount_accessor: USERPASS.accessor, custom_metadata: { x: 'y' } }))
      .toEqual({ id, canonical_id });
    expect((await h.data('list', 'entity-alias/id')).keys).toEqual([id]);
  });

  it('refuses a rename onto an existing pair', async () => {
    await h.data('update', 'entity-alias', { name: 'alice', mount_accessor: USERPASS.accessor });
    const { id } = await h.data('update', 'entity-alias', { name: 'bob', mount_accessor: USERPASS.accessor });
    const err = await h.fail('update', `entity-alias/id/${String(id)}`, { name: 'alice' });
    expect(err.messages).toEqual(['alias with combination of mount accessor and name already exists']);
  });

  it('moves an alias to another entity', async () => {
    const { id, canonical_id: from } = await h.data('update', 'entity-alias', { name: 'bob', mount_accessor: USERPASS.accessor });
    const { id: to } = await h.data('update', 'entity', { name: 'target' });
    expect(await h.data('update', `entity-alias/id/${String(id)}`, { canonical_id: to })).toEqual({ id, canonical_id: to });
    expect((await h.data('read', `entity/id/${String(from)}`)).aliases).toEqual([]);
    expect(((await h.data('read', `entity/id/${String(to)}`)).aliases as Array<Record<string, unknown>>)[0]).toMatchObject({ id, canonical_id: to });
    expect((await h.store.loginAlias(USERPASS, { name: 'bob' })).entityId).toBe(to);
    const missing = await h.fail('update', `entity-alias/id/${String(id)}`, { canonical_id: 'nope' });
    expect(missing.messages).toEqual(["given 'canonical_id' is not associated with an entity"]);
    const { id: other } = await h.data('update', 'entity-alias', { name: 'eve', mount_accessor: USERPASS.accessor });
    const clash = await h.fail('update', `entity-alias/id/${String(other)}`, { canonical_id: to });
    expect(clash.messages).toEqual(['Alias cannot be updated as the given entity already has an alias for this mount ']);
  });

  it('deletes an alias but keeps its entity', async () => {
    const { id, canonical_id } = await h.data('update', 'entity-alias', { name: 'bob', mount_accessor: USERPASS.accessor });
    expect(await h.call('delete', `entity-alias/id/${String(id)}`)).toBeNull();
    expect(await h.call('read', `entity-alias/id/${String(id)}`)).toBeNull();
    expect((await h.data('read', `entity/id/${String(canonical_id)}`)).aliases).toEqual([]);
    expect(await h.call('delete', `entity-alias/id/${String(id)}`)).toBeNull();
    // The pair is free again: a login makes a new entity.
    expect((await h.store.loginAlias(USERPASS, { name: 'bob' })).entityId).not.toBe(canonical_id);
  });

  it('lists alias ids with key_info', async () => {
    expect(await h.data('list', 'entity-alias/id')).toEqual({ keys: [] });
    const { aliasId, entityId } = await h.store.loginAlias(APPROLE, { name: 'r1', metadata: { role_name: 'web' } });
    expect(await h.data('list', 'entity-alias/id/')).toEqual({
      keys: [aliasId],
      key_info: {
        [aliasId]: {
          name: 'r1',
          canonical_id: entityId,
          mount_accessor: APPROLE.accessor,
          mount_path: 'auth/approle/',
          mount_type: 'approle',
          metadata: { role_name: 'web' },
          custom_metadata: null,
          local: false,
        },
      },
    });
  });
});
