import { randomUUID } from 'node:crypto';
import { invalidRequest } from '../lib/errors.js';
import { Changes, keys, ref, type IdentityRepo } from './repo.js';
import type { EntityRecord, IdentityClock } from './types.js';
import { checkMetadata, generatedName, refuseRoot, sortedUnique } from './validate.js';

/** What every write needs. Write functions run under the store's lock; they never take it themselves. */
export interface WriteContext {
  repo: IdentityRepo;
  clock: IdentityClock;
}

/** Fields of an entity write; absent fields are left as they are. */
export interface EntityInput {
  /** Updates this entity (400 when it does not exist). */
  id?: string;
  /** Creates or renames; with no `id`, an existing entity of this name is updated instead. */
  name?: string;
  metadata?: Record<string, string>;
  policies?: string[];
  disabled?: boolean;
}

export interface SaveResult<T> {
  record: T;
  created: boolean;
}

async function unusedEntityName(repo: IdentityRepo): Promise<string> {
  for (;;) {
    const name = generatedName('entity');
    if (!(await repo.entityByName(name))) return name;
  }
}

/** A fresh entity with a generated name, as a first login or an alias without `canonical_id` creates it. */
export async function newEntity(ctx: WriteContext): Promise<EntityRecord> {
  const now = ctx.clock.now();
  return {
    id: randomUUID(),
    name: await unusedEntityName(ctx.repo),
    policies: [],
    disabled: false,
    aliasIds: [],
    creationTime: now,
    lastUpdateTime: now,
  };
}

/** Queues an entity record and its name index (dropping the old name's entry on a rename). */
export function putEntity(changes: Changes, entity: EntityRecord, previousName?: string): Changes {
  if (previousName !== undefined && keys.entityName(previousName) !== keys.entityName(entity.name)) {
    changes.delete(keys.entityName(previousName));
  }
  return changes.put(keys.entity(entity.id), entity).put(keys.entityName(entity.name), ref(entity.id));
}

/** Vault's entity create/update (`EntityBuilder`): find by id, else by name, else create. */
export async function saveEntity(ctx: WriteContext, input: EntityInput): Promise<SaveResult<EntityRecord>> {
  const { repo, clock } = ctx;
  let existing: EntityRecord | null = null;
  if (input.id) {
    existing = await repo.entity(input.id);
    if (!existing) throw invalidRequest(`entity not found from id: ${input.id}`);
  }
  if (input.name) {
    const byName = await repo.entityByName(input.name);
    if (byName && !existing) existing = byName;
    else if (byName && existing && byName.id !== existing.id) throw invalidRequest(`entity name '${input.name}' is already in use`);
  }
  if (input.policies) refuseRoot(input.policies);
  checkMetadata(input.metadata, 'entity');

  const record: EntityRecord = existing ? { ...existing, lastUpdateTime: clock.now() } : await newEntity(ctx);
  if (input.name) record.name = input.name;
  if (input.policies) record.policies = sortedUnique(input.policies);
  if (input.disabled !== undefined) record.disabled = input.disabled;
  if (input.metadata !== undefined) record.metadata = input.metadata;
  await putEntity(new Changes(), record, existing?.name).commit(repo.storage);
  return { record, created: !existing };
}

/** Deletes an entity with its aliases, and removes it from every group that lists it. */
export async function deleteEntity(ctx: WriteContext, entity: EntityRecord): Promise<void> {
  const { repo } = ctx;
  const changes = new Changes().delete(keys.entity(entity.id)).delete(keys.entityName(entity.name));
  for (const alias of await repo.aliasesOf(entity)) {
    changes.delete(keys.alias(alias.id)).delete(keys.aliasFactors(alias.mountAccessor, alias.name));
  }
  for (const groupId of await repo.groupIdsOfEntity(entity.id)) {
    changes.delete(keys.entityGroup(entity.id, groupId));
    const group = await repo.group(groupId);
    if (!group) continue;
    changes.put(keys.group(group.id), {
      ...group,
      memberEntityIds: (group.memberEntityIds ?? []).filter((id) => id !== entity.id),
      modifyIndex: group.modifyIndex + 1,
    });
  }
  await changes.commit(repo.storage);
}
