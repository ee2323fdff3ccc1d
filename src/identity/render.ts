import { rfc3339Nano } from '../lib/clock.js';
import type { IdentityStore } from './identity-store.js';
import type { EntityAliasRecord, EntityRecord, GroupRecord, MountInfoLookup } from './types.js';

/**
 * Response bodies of the `identity/` paths, with Vault's field names and its nulls (a map or list never set is
 * `null`, as Go marshals a nil map or slice). Ward has no namespaces: `namespace_id` is always `root`.
 */

const NAMESPACE = 'root';

/** `mount_path` and `mount_type`, present only while the alias's mount exists (as Vault). */
function mountFields(mountInfo: MountInfoLookup, accessor: string): Record<string, string> {
  const mount = mountInfo(accessor);
  return mount ? { mount_path: mount.path, mount_type: mount.type } : {};
}

/** An alias as `identity/entity-alias/id/:id` shows it. */
export function aliasJSON(alias: EntityAliasRecord, mountInfo: MountInfoLookup): Record<string, unknown> {
  return { ...aliasInEntityJSON(alias, mountInfo), namespace_id: NAMESPACE };
}

/** An alias inside an entity read. */
function aliasInEntityJSON(alias: EntityAliasRecord, mountInfo: MountInfoLookup): Record<string, unknown> {
  return {
    id: alias.id,
    canonical_id: alias.canonicalId,
    mount_accessor: alias.mountAccessor,
    name: alias.name,
    metadata: alias.metadata ?? null,
    custom_metadata: alias.customMetadata ?? null,
    merged_from_canonical_ids: null,
    local: false,
    creation_time: rfc3339Nano(alias.creationTime),
    last_update_time: rfc3339Nano(alias.lastUpdateTime),
    ...mountFields(mountInfo, alias.mountAccessor),
  };
}

/** An entity as `identity/entity/id/:id`, `entity/name/:name` and `lookup/entity` show it. */
export async function entityJSON(store: IdentityStore, entity: EntityRecord, mountInfo: MountInfoLookup): Promise<Record<string, unknown>> {
  const [aliases, groups] = await Promise.all([store.repo.aliasesOf(entity), store.groupsOf(entity.id)]);
  const direct = groups.direct.map((g) => g.id);
  const inherited = groups.inherited.map((g) => g.id);
  return {
    id: entity.id,
    name: entity.name,
    metadata: entity.metadata ?? null,
    policies: entity.policies,
    disabled: entity.disabled,
    namespace_id: NAMESPACE,
    merged_entity_ids: null,
    creation_time: rfc3339Nano(entity.creationTime),
    last_update_time: rfc3339Nano(entity.lastUpdateTime),
    aliases: aliases.map((a) => aliasInEntityJSON(a, mountInfo)),
    direct_group_ids: direct,
    inherited_group_ids: inherited,
    group_ids: [...direct, ...inherited],
  };
}

/** A group as `identity/group/id/:id`, `group/name/:name` and `lookup/group` show it. */
export async function groupJSON(store: IdentityStore, group: GroupRecord): Promise<Record<string, unknown>> {
  const parents = await store.repo.parentIdsOfGroup(group.id);
  return {
    id: group.id,
    name: group.name,
    type: group.type,
    policies: group.policies ?? null,
    metadata: group.metadata ?? null,
    member_entity_ids: group.memberEntityIds ?? null,
    member_group_ids: group.memberGroupIds.length > 0 ? group.memberGroupIds : null,
    parent_group_ids: parents.length > 0 ? parents : null,
    // Group aliases belong to external groups, which Ward does not offer yet; Vault shows an empty object then.
    alias: {},
    modify_index: group.modifyIndex,
    namespace_id: NAMESPACE,
    creation_time: rfc3339Nano(group.creationTime),
    last_update_time: rfc3339Nano(group.lastUpdateTime),
  };
}

/**
 * A list response. Vault builds `key_info` keyed by id even for the by-name lists, then keeps only entries whose key
 * is listed — so the by-name lists carry no `key_info`. Callers pass `keyInfo` only for the by-id lists.
 */
export function listJSON(keys: string[], keyInfo?: Record<string, unknown>): Record<string, unknown> {
  return keyInfo && keys.length > 0 ? { keys, key_info: keyInfo } : { keys };
}

/** `key_info` entry of `LIST identity/entity/id`. */
export async function entityKeyInfo(store: IdentityStore, entity: EntityRecord, mountInfo: MountInfoLookup): Promise<Record<string, unknown>> {
  const aliases = await store.repo.aliasesOf(entity);
  const info: Record<string, unknown> = { name: entity.name };
  if (aliases.length > 0) {
    info.aliases = aliases.map((a) => ({ id: a.id, name: a.name, mount_accessor: a.mountAccessor, ...mountFields(mountInfo, a.mountAccessor) }));
  }
  return info;
}

/** `key_info` entry of `LIST identity/entity-alias/id`. */
export function aliasKeyInfo(alias: EntityAliasRecord, mountInfo: MountInfoLookup): Record<string, unknown> {
  return {
    name: alias.name,
    canonical_id: alias.canonicalId,
    mount_accessor: alias.mountAccessor,
    metadata: alias.metadata ?? null,
    custom_metadata: alias.customMetadata ?? null,
    local: false,
    ...mountFields(mountInfo, alias.mountAccessor),
  };
}

/** `key_info` entry of `LIST identity/group/id`. */
export async function groupKeyInfo(store: IdentityStore, group: GroupRecord): Promise<Record<string, unknown>> {
  return {
    name: group.name,
    num_member_entities: group.memberEntityIds?.length ?? 0,
    num_parent_groups: (await store.repo.parentIdsOfGroup(group.id)).length,
  };
}
