import { randomUUID } from 'node:crypto';
import { invalidRequest } from '../lib/errors.js';
import { newEntity, putEntity, type WriteContext } from './entity-writes.js';
import { Changes, keys, ref } from './repo.js';
import type { EntityAliasRecord, EntityRecord } from './types.js';
import { checkCustomMetadata, sameMap } from './validate.js';

/** Fields of an `entity-alias` write; absent fields are left as they are. */
export interface AliasInput {
  /** Updates this alias (400 when it does not exist). */
  id?: string;
  name?: string;
  mountAccessor?: string;
  /** The entity to attach the alias to; on create without it, a new entity is made. */
  canonicalId?: string;
  customMetadata?: Record<string, string>;
}

/** Whether a mount with this accessor exists. */
export type MountKnown = (accessor: string) => boolean;

export interface AliasWriteResult {
  alias: EntityAliasRecord;
  created: boolean;
}

/**
 * Vault's `handleAliasCreateUpdate`: by `id`, else by (mount accessor, name) — an existing pair is updated, a new
 * one created. Returns null when nothing changes (Vault answers 204 then).
 */
export async function saveAlias(ctx: WriteContext, input: AliasInput, mountKnown: MountKnown): Promise<AliasWriteResult | null> {
  if (input.customMetadata && Object.keys(input.customMetadata).length > 0) checkCustomMetadata(input.customMetadata);
  if (input.id) {
    const alias = await ctx.repo.alias(input.id);
    if (!alias) throw invalidRequest('invalid alias ID provided');
    if (!input.mountAccessor && !input.name && !input.canonicalId && input.customMetadata === undefined) return null;
    return updateAlias(ctx, alias, input, mountKnown);
  }
  if (!input.mountAccessor || !input.name) throw invalidRequest("'id' or 'mount_accessor' and 'name' must be provided");
  if (!mountKnown(input.mountAccessor)) throw invalidRequest(`invalid mount accessor ${JSON.stringify(input.mountAccessor)}`);
  const existing = await ctx.repo.aliasByFactors(input.mountAccessor, input.name);
  if (existing) return updateAlias(ctx, existing, input, mountKnown);
  return { alias: await createAlias(ctx, input.mountAccessor, input.name, input.canonicalId, input.customMetadata ?? {}), created: true };
}

async function createAlias(
  ctx: WriteContext,
  mountAccessor: string,
  name: string,
  canonicalId: string | undefined,
  customMetadata: Record<string, string>,
): Promise<EntityAliasRecord> {
  let entity: EntityRecord;
  if (canonicalId) {
    const found = await ctx.repo.entity(canonicalId);
    if (!found) throw invalidRequest('invalid canonical ID');
    entity = found;
  } else {
    entity = await newEntity(ctx);
  }
  const aliases = await ctx.repo.aliasesOf(entity);
  if (aliases.some((a) => a.mountAccessor === mountAccessor)) {
    throw invalidRequest('Alias already exists for requested entity and mount accessor');
  }
  const now = ctx.clock.now();
  const alias: EntityAliasRecord = {
    id: randomUUID(), canonicalId: entity.id, mountAccessor, name, customMetadata, creationTime: now, lastUpdateTime: now,
  };
  await putAlias(putEntity(new Changes(), { ...entity, aliasIds: [...entity.aliasIds, alias.id] }), alias).commit(ctx.repo.storage);
  return alias;
}

/** Vault's `handleAliasUpdate`: rename, move to another mount or entity, replace custom metadata. */
async function updateAlias(ctx: WriteContext, alias: EntityAliasRecord, input: AliasInput, mountKnown: MountKnown): Promise<AliasWriteResult | null> {
  const { repo } = ctx;
  const name = input.name || alias.name;
  const mountAccessor = input.mountAccessor || alias.mountAccessor;
  const customMetadata = input.customMetadata ?? alias.customMetadata;
  const moving = Boolean(input.canonicalId) && input.canonicalId !== alias.canonicalId;
  if (name === alias.name && mountAccessor === alias.mountAccessor && !moving && sameMap(customMetadata, alias.customMetadata)) return null;

  const current = await repo.entity(alias.canonicalId);
  if (!current) throw invalidRequest('given alias is not associated with an entity');
  if (mountAccessor !== alias.mountAccessor && !moving) {
    const others = await repo.aliasesOf(current);
    if (others.some((a) => a.id !== alias.id && a.mountAccessor === mountAccessor)) {
      throw invalidRequest("Alias cannot be updated as the entity already has an alias for the given 'mount_accessor' ");
    }
  }
  if (!mountKnown(mountAccessor)) throw invalidRequest(`invalid mount accessor ${JSON.stringify(mountAccessor)}`);
  const clash = await repo.aliasByFactors(mountAccessor, name);
  if (clash && clash.id !== alias.id) throw invalidRequest('alias with combination of mount accessor and name already exists');

  const updated: EntityAliasRecord = { ...alias, name, mountAccessor, lastUpdateTime: ctx.clock.now() };
  if (customMetadata !== undefined) updated.customMetadata = customMetadata;
  const changes = new Changes();
  if (keys.aliasFactors(alias.mountAccessor, alias.name) !== keys.aliasFactors(mountAccessor, name)) {
    changes.delete(keys.aliasFactors(alias.mountAccessor, alias.name));
  }
  if (moving) {
    const target = await repo.entity(input.canonicalId as string);
    if (!target) throw invalidRequest("given 'canonical_id' is not associated with an entity");
    const targetAliases = await repo.aliasesOf(target);
    if (targetAliases.some((a) => a.mountAccessor === mountAccessor)) {
      throw invalidRequest('Alias cannot be updated as the given entity already has an alias for this mount ');
    }
    updated.canonicalId = target.id;
    putEntity(changes, { ...current, aliasIds: current.aliasIds.filter((id) => id !== alias.id) });
    putEntity(changes, { ...target, aliasIds: [...target.aliasIds, alias.id] });
  }
  await putAlias(changes, updated).commit(repo.storage);
  return { alias: updated, created: false };
}

/** Queues an alias record and its (mount accessor, name) index entry. */
export function putAlias(changes: Changes, alias: EntityAliasRecord): Changes {
  return changes.put(keys.alias(alias.id), alias).put(keys.aliasFactors(alias.mountAccessor, alias.name), ref(alias.id));
}

/** Detaches an alias from its entity and deletes it; the entity stays. */
export async function deleteAlias(ctx: WriteContext, alias: EntityAliasRecord): Promise<void> {
  const changes = new Changes().delete(keys.alias(alias.id)).delete(keys.aliasFactors(alias.mountAccessor, alias.name));
  const entity = await ctx.repo.entity(alias.canonicalId);
  if (entity) putEntity(changes, { ...entity, aliasIds: entity.aliasIds.filter((id) => id !== alias.id) });
  await changes.commit(ctx.repo.storage);
}
