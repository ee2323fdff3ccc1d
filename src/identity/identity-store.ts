import { randomUUID } from 'node:crypto';
import type { Storage } from '../framework/storage.js';
import { invalidRequest } from '../lib/errors.js';
import { deleteAlias, putAlias, saveAlias, type AliasInput, type AliasWriteResult, type MountKnown } from './alias-writes.js';
import { deleteEntity, newEntity, putEntity, saveEntity, type EntityInput, type SaveResult, type WriteContext } from './entity-writes.js';
import { deleteGroup, saveGroup, type GroupInput } from './group-writes.js';
import { Mutex } from './mutex.js';
import { IdentityReadCache } from './read-cache.js';
import { CachedIdentityRepo, Changes, IdentityRepo } from './repo.js';
import type { EntityAliasRecord, EntityGroups, EntityRecord, GroupRecord, IdentityClock, LoginMount, TemplateContext } from './types.js';
import { checkMetadata, sameMap } from './validate.js';

export type { TemplateContext } from './types.js';

/**
 * Entities, their aliases and groups (Vault's identity store). Logins attach to an entity through their alias;
 * the core asks for the entity's identity policies, its template context and whether it is disabled. Every write
 * runs under one in-process lock and lands in storage as one atomic batch of a record and its indexes.
 *
 * Those questions are asked by every login and every authenticated request, so they are answered from a read cache
 * (`cached`) that every write empties once it is done (`write`): a disabled entity or a removed group policy takes
 * effect with the next request. Writes and the `identity/` API read storage directly.
 */
export class IdentityStore {
  /** Read access to the records, for the `identity/` paths. */
  readonly repo: IdentityRepo;
  private readonly cache: IdentityReadCache;
  private readonly cached: IdentityRepo;
  private readonly lock = new Mutex();
  private readonly ctx: WriteContext;

  constructor(storage: Storage, clock: IdentityClock) {
    this.repo = new IdentityRepo(storage);
    this.cache = new IdentityReadCache(storage);
    this.cached = new CachedIdentityRepo(storage, this.cache);
    this.ctx = { repo: this.repo, clock };
  }

  /** Runs a write under the lock, then empties the read cache, whether the write succeeded or not. */
  private write<T>(fn: () => Promise<T>): Promise<T> {
    return this.lock.run(async () => {
      try {
        return await fn();
      } finally {
        this.cache.invalidate();
      }
    });
  }

  /** Drops every cached read (the store is being sealed). */
  invalidateCache(): void {
    this.cache.invalidate();
  }

  /**
   * The entity and alias a login through (`mount`, `alias.name`) belongs to. The first login of a pair creates both
   * (an entity named `entity_<8 hex>`); later ones find them and refresh the alias metadata when it changed. Alias
   * names are matched case-insensitively per mount, as Vault does.
   */
  async loginAlias(
    mount: LoginMount,
    alias: { name: string; metadata?: Record<string, string> },
  ): Promise<{ entityId: string; aliasId: string }> {
    if (alias.name === '') throw invalidRequest('empty alias name');
    if (mount.accessor === '') throw invalidRequest('missing mount accessor');
    // Logins far outnumber first logins: answer them from the cache, without queueing behind writes.
    const known = await this.cached.aliasByFactors(mount.accessor, alias.name);
    if (known && sameMap(known.metadata, alias.metadata)) return { entityId: known.canonicalId, aliasId: known.id };
    checkMetadata(alias.metadata, 'alias');
    // The lock serialises every write, so two concurrent first logins of one pair cannot both create an entity: the
    // second one finds the alias the first one wrote when it looks again below.
    return this.write(async () => {
      const existing = await this.repo.aliasByFactors(mount.accessor, alias.name);
      if (existing) {
        if (!sameMap(existing.metadata, alias.metadata)) {
          const updated: EntityAliasRecord = { ...existing, lastUpdateTime: this.ctx.clock.now() };
          if (alias.metadata === undefined) delete updated.metadata;
          else updated.metadata = { ...alias.metadata };
          await putAlias(new Changes(), updated).commit(this.repo.storage);
        }
        return { entityId: existing.canonicalId, aliasId: existing.id };
      }
      const entity = await newEntity(this.ctx);
      const now = this.ctx.clock.now();
      const created: EntityAliasRecord = {
        id: randomUUID(), canonicalId: entity.id, mountAccessor: mount.accessor, name: alias.name, creationTime: now, lastUpdateTime: now,
      };
      if (alias.metadata !== undefined) created.metadata = { ...alias.metadata };
      entity.aliasIds.push(created.id);
      await putAlias(putEntity(new Changes(), entity), created).commit(this.repo.storage);
      return { entityId: entity.id, aliasId: created.id };
    });
  }

  /**
   * The entity's identity policies: its own and those of every group it belongs to, directly or through member
   * groups. Sorted, without duplicates; empty for an unknown entity.
   */
  async policiesFor(entityId: string): Promise<string[]> {
    const entity = await this.cached.entity(entityId);
    if (!entity) return [];
    const groups = await this.groupsIn(this.cached, entity.id);
    const all = new Set(entity.policies);
    for (const group of [...groups.direct, ...groups.inherited]) for (const p of group.policies ?? []) all.add(p);
    return [...all].sort();
  }

  /** What `{{identity.*}}` policy templates resolve against; undefined for an unknown entity. */
  async templateContext(entityId: string): Promise<TemplateContext | undefined> {
    const entity = await this.cached.entity(entityId);
    if (!entity) return undefined;
    const [aliases, groups] = await Promise.all([this.cached.aliasesOf(entity), this.groupsIn(this.cached, entity.id)]);
    return {
      entity: {
        id: entity.id,
        name: entity.name,
        metadata: { ...entity.metadata },
        aliases: aliases.map((a) => ({
          mountAccessor: a.mountAccessor, id: a.id, name: a.name, metadata: { ...a.metadata }, customMetadata: { ...a.customMetadata },
        })),
      },
      groups: [...groups.direct, ...groups.inherited].map((g) => ({ id: g.id, name: g.name, metadata: { ...g.metadata } })),
    };
  }

  /** Whether the entity is disabled: Vault refuses its tokens (without revoking them). False for an unknown entity. */
  async entityDisabled(entityId: string): Promise<boolean> {
    return (await this.cached.entity(entityId))?.disabled ?? false;
  }

  /**
   * The groups listing the entity as a member (`direct`), and the groups containing those through member groups,
   * at any depth (`inherited`, without the direct ones). Each sorted by id.
   */
  groupsOf(entityId: string): Promise<EntityGroups> {
    return this.groupsIn(this.repo, entityId);
  }

  private async groupsIn(repo: IdentityRepo, entityId: string): Promise<EntityGroups> {
    const direct = await repo.many(await repo.groupIdsOfEntity(entityId), (id) => repo.group(id));
    const seen = new Set(direct.map((g) => g.id));
    const inherited: GroupRecord[] = [];
    // Walk upwards: a group's policies reach the members of its member groups. `seen` guards against loops, which
    // writes refuse but a concurrent pair of updates could still, in theory, leave behind.
    let frontier = direct;
    while (frontier.length > 0) {
      const parentIds = (await Promise.all(frontier.map((g) => repo.parentIdsOfGroup(g.id)))).flat().filter((id) => !seen.has(id));
      for (const id of parentIds) seen.add(id);
      frontier = await repo.many([...new Set(parentIds)], (id) => repo.group(id));
      inherited.push(...frontier);
    }
    return { direct: byId(direct), inherited: byId(inherited) };
  }

  /** Creates or updates an entity (Vault's `identity/entity` write semantics). */
  saveEntity(input: EntityInput): Promise<SaveResult<EntityRecord>> {
    return this.write(() => saveEntity(this.ctx, input));
  }

  /** Deletes an entity, its aliases and its group memberships. False when it did not exist. */
  deleteEntity(id: string): Promise<boolean> {
    return this.write(async () => {
      const entity = await this.repo.entity(id);
      if (entity) await deleteEntity(this.ctx, entity);
      return entity !== null;
    });
  }

  /** Creates or updates an entity alias (`identity/entity-alias`); null when nothing changed. */
  saveAlias(input: AliasInput, mountKnown: MountKnown): Promise<AliasWriteResult | null> {
    return this.write(() => saveAlias(this.ctx, input, mountKnown));
  }

  /** Deletes an entity alias (its entity stays). False when it did not exist. */
  deleteAlias(id: string): Promise<boolean> {
    return this.write(async () => {
      const alias = await this.repo.alias(id);
      if (alias) await deleteAlias(this.ctx, alias);
      return alias !== null;
    });
  }

  /** Creates or updates an internal group; member groups that would close a loop are refused. */
  saveGroup(input: GroupInput): Promise<SaveResult<GroupRecord>> {
    return this.write(() => saveGroup(this.ctx, input));
  }

  /** Deletes a group by id. False when it did not exist. */
  deleteGroup(id: string): Promise<boolean> {
    return this.write(async () => {
      const group = await this.repo.group(id);
      if (group) await deleteGroup(this.ctx, group);
      return group !== null;
    });
  }
}

function byId<T extends { id: string }>(records: T[]): T[] {
  return [...records].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
