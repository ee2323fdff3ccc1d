import { getJSON, type BatchOp, type Storage } from '../framework/storage.js';
import type { IdentityReadCache } from './read-cache.js';
import type { EntityAliasRecord, EntityRecord, GroupRecord } from './types.js';

/**
 * Storage layout of the identity store (below the storage it was given):
 *
 * ```
 * entity/id/<id>                           EntityRecord
 * entity/name/<name>                       {id}            name index
 * alias/id/<id>                            EntityAliasRecord
 * alias/factors/<accessor>/<name>          {id}            (mount accessor, alias name) index
 * group/id/<id>                            GroupRecord
 * group/name/<name>                        {id}            name index
 * group/by-entity/<entity id>/<group id>   {}              member entity → groups
 * group/by-member/<group id>/<parent id>   {}              member group → groups that contain it
 * ```
 *
 * Names are lowercased (Vault compares identity names case-insensitively) and percent-encoded, because entity and
 * alias names may contain `/` (LDAP DNs, paths) and a key segment must not. Ids are UUIDs Ward generated.
 */
export const keys = {
  entity: (id: string): string => `entity/id/${id}`,
  entityPrefix: 'entity/id/',
  entityName: (name: string): string => `entity/name/${nameKey(name)}`,
  alias: (id: string): string => `alias/id/${id}`,
  aliasPrefix: 'alias/id/',
  aliasFactors: (accessor: string, name: string): string =>
    `alias/factors/${encodeURIComponent(accessor)}/${nameKey(name)}`,
  group: (id: string): string => `group/id/${id}`,
  groupPrefix: 'group/id/',
  groupName: (name: string): string => `group/name/${nameKey(name)}`,
  entityGroup: (entityId: string, groupId: string): string => `group/by-entity/${entityId}/${groupId}`,
  entityGroupsPrefix: (entityId: string): string => `group/by-entity/${entityId}/`,
  groupParent: (groupId: string, parentId: string): string => `group/by-member/${groupId}/${parentId}`,
  groupParentsPrefix: (groupId: string): string => `group/by-member/${groupId}/`,
};

function nameKey(name: string): string {
  return encodeURIComponent(name.toLowerCase());
}

/** An id from a request is only ever a single key segment; anything else cannot name a record. */
function usableId(id: string): boolean {
  return id !== '' && !id.includes('/');
}

interface IdRef {
  id: string;
}

/** Typed reads of the layout above. Stateless: every call goes to storage. */
export class IdentityRepo {
  constructor(readonly storage: Storage) {}

  /** One decoded record; null when absent. */
  protected read<T>(key: string): Promise<T | null> {
    return getJSON<T>(this.storage, key);
  }

  /** One level of keys below `prefix`. */
  protected listKeys(prefix: string): Promise<string[]> {
    return this.storage.list(prefix);
  }

  entity(id: string): Promise<EntityRecord | null> {
    return usableId(id) ? this.read<EntityRecord>(keys.entity(id)) : Promise.resolve(null);
  }

  async entityByName(name: string): Promise<EntityRecord | null> {
    if (name === '') return null;
    const ref = await this.read<IdRef>(keys.entityName(name));
    return ref ? this.entity(ref.id) : null;
  }

  alias(id: string): Promise<EntityAliasRecord | null> {
    return usableId(id) ? this.read<EntityAliasRecord>(keys.alias(id)) : Promise.resolve(null);
  }

  async aliasByFactors(accessor: string, name: string): Promise<EntityAliasRecord | null> {
    if (accessor === '' || name === '') return null;
    const ref = await this.read<IdRef>(keys.aliasFactors(accessor, name));
    return ref ? this.alias(ref.id) : null;
  }

  /** The entity's aliases, skipping any deleted between the two reads. */
  async aliasesOf(entity: EntityRecord): Promise<EntityAliasRecord[]> {
    const found = await Promise.all(entity.aliasIds.map((id) => this.alias(id)));
    return found.filter((a): a is EntityAliasRecord => a !== null);
  }

  group(id: string): Promise<GroupRecord | null> {
    return usableId(id) ? this.read<GroupRecord>(keys.group(id)) : Promise.resolve(null);
  }

  async groupByName(name: string): Promise<GroupRecord | null> {
    if (name === '') return null;
    const ref = await this.read<IdRef>(keys.groupName(name));
    return ref ? this.group(ref.id) : null;
  }

  /** Ids of the groups that list `entityId` as a member entity, sorted. */
  groupIdsOfEntity(entityId: string): Promise<string[]> {
    return usableId(entityId) ? this.listKeys(keys.entityGroupsPrefix(entityId)) : Promise.resolve([]);
  }

  /** Ids of the groups that list `groupId` as a member group, sorted. */
  parentIdsOfGroup(groupId: string): Promise<string[]> {
    return usableId(groupId) ? this.listKeys(keys.groupParentsPrefix(groupId)) : Promise.resolve([]);
  }

  entityIds(): Promise<string[]> {
    return this.storage.list(keys.entityPrefix);
  }

  aliasIds(): Promise<string[]> {
    return this.storage.list(keys.aliasPrefix);
  }

  groupIds(): Promise<string[]> {
    return this.storage.list(keys.groupPrefix);
  }

  /** Reads many records at once, dropping those that vanished. */
  async many<T>(ids: readonly string[], read: (id: string) => Promise<T | null>): Promise<T[]> {
    const out: T[] = [];
    for (const record of await Promise.all(ids.map(read))) if (record !== null) out.push(record);
    return out;
  }
}

/**
 * The same reads served from an `IdentityReadCache`: for the hot read paths only (logins, identity policies and
 * templates of every authenticated request). Its records are frozen and shared, so writers never use it; they read
 * through the plain repo, under the store's lock.
 */
export class CachedIdentityRepo extends IdentityRepo {
  constructor(
    storage: Storage,
    private readonly cache: IdentityReadCache,
  ) {
    super(storage);
  }

  protected override read<T>(key: string): Promise<T | null> {
    return this.cache.get<T>(key);
  }

  protected override async listKeys(prefix: string): Promise<string[]> {
    return [...(await this.cache.list(prefix))];
  }
}

/**
 * The writes of one identity operation, applied with a single atomic `batch` so that a record and its indexes never
 * disagree. A key written twice keeps its last operation.
 */
export class Changes {
  private readonly ops = new Map<string, BatchOp>();

  put(key: string, value: unknown): this {
    this.ops.delete(key);
    this.ops.set(key, { op: 'put', key, value: Buffer.from(JSON.stringify(value), 'utf8') });
    return this;
  }

  delete(key: string): this {
    this.ops.delete(key);
    this.ops.set(key, { op: 'delete', key });
    return this;
  }

  async commit(storage: Storage): Promise<void> {
    if (this.ops.size > 0) await storage.batch([...this.ops.values()]);
  }
}

/** A name-index entry pointing at `id`. */
export function ref(id: string): IdRef {
  return { id };
}
