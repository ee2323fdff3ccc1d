import { randomUUID } from 'node:crypto';
import { invalidRequest } from '../lib/errors.js';
import type { SaveResult, WriteContext } from './entity-writes.js';
import { Changes, keys, ref, type IdentityRepo } from './repo.js';
import type { GroupRecord } from './types.js';
import { checkMetadata, generatedName, refuseRoot, sortedUnique, stableUniqueIgnoringCase } from './validate.js';

/** Fields of a group write; absent fields are left as they are. */
export interface GroupInput {
  /** Updates this group (400 when it does not exist). */
  id?: string;
  /** Creates or renames; with no `id`, an existing group of this name is updated instead. */
  name?: string;
  type?: string;
  policies?: string[];
  metadata?: Record<string, string>;
  memberEntityIds?: string[];
  memberGroupIds?: string[];
}

async function unusedGroupName(repo: IdentityRepo): Promise<string> {
  for (;;) {
    const name = generatedName('group');
    if (!(await repo.groupByName(name))) return name;
  }
}

/** The group to update: by id (must exist), else by name (may not exist yet), else none (create). */
async function target(repo: IdentityRepo, input: GroupInput): Promise<GroupRecord | null> {
  if (input.id) {
    const group = await repo.group(input.id);
    if (!group) throw invalidRequest('invalid group ID');
    return group;
  }
  return input.name ? repo.groupByName(input.name) : null;
}

function checkType(existing: GroupRecord | null, requested: string | undefined): void {
  const type = requested || existing?.type || 'internal';
  if (existing && requested && requested !== existing.type) throw invalidRequest('group type cannot be changed');
  // External groups take their members from an auth method's group aliases, which Ward does not implement yet.
  if (type === 'external') throw invalidRequest('external groups are not supported yet; only "internal" groups can be created');
  if (type !== 'internal') throw invalidRequest(`invalid group type ${JSON.stringify(type)}`);
}

/**
 * Whether making `memberId` a member of `groupId` closes a loop: true when `groupId` can already be reached from
 * `memberId` by following member groups downwards (Vault's `detectCycleDFS`).
 */
async function reaches(repo: IdentityRepo, memberId: string, groupId: string): Promise<boolean> {
  const visited = new Set<string>();
  const pending = [memberId];
  while (pending.length > 0) {
    const id = pending.pop() as string;
    if (id === groupId) return true;
    if (visited.has(id)) continue;
    visited.add(id);
    const group = await repo.group(id);
    if (group) pending.push(...group.memberGroupIds);
  }
  return false;
}

async function checkMembers(repo: IdentityRepo, groupId: string | undefined, entityIds?: string[], groupIds?: string[]): Promise<void> {
  for (const id of entityIds ?? []) {
    if (!(await repo.entity(id))) throw invalidRequest(`invalid entity ID ${JSON.stringify(id)}`);
  }
  for (const id of groupIds ?? []) {
    if (!(await repo.group(id))) throw invalidRequest(`invalid member group ID ${JSON.stringify(id)}`);
    if (id === groupId) throw invalidRequest(`member group ID ${JSON.stringify(id)} is same as the ID of the group`);
    // A group that does not exist yet cannot be reached from anywhere, so only updates can close a loop.
    if (groupId && (await reaches(repo, id, groupId))) {
      throw invalidRequest(`cyclic relationship detected for member group ID ${JSON.stringify(id)}`);
    }
  }
}

/** Vault's `handleGroupUpdateCommon` for internal groups. */
export async function saveGroup(ctx: WriteContext, input: GroupInput): Promise<SaveResult<GroupRecord>> {
  const { repo, clock } = ctx;
  const existing = await target(repo, input);
  const policies = input.policies && stableUniqueIgnoringCase(input.policies);
  refuseRoot(policies ?? []);
  checkType(existing, input.type);
  if (input.name) {
    const byName = await repo.groupByName(input.name);
    if (byName && byName.id !== existing?.id) throw invalidRequest('group name is already in use');
  }
  checkMetadata(input.metadata, 'group');
  const memberEntityIds = input.memberEntityIds && sortedUnique(input.memberEntityIds);
  const memberGroupIds = input.memberGroupIds && sortedUnique(input.memberGroupIds);
  await checkMembers(repo, existing?.id, memberEntityIds, memberGroupIds);

  const now = clock.now();
  const record: GroupRecord = existing
    ? { ...existing, lastUpdateTime: now, modifyIndex: existing.modifyIndex + 1 }
    : { id: randomUUID(), name: '', type: 'internal', memberGroupIds: [], creationTime: now, lastUpdateTime: now, modifyIndex: 1 };
  record.name = input.name || record.name || (await unusedGroupName(repo));
  if (policies) record.policies = policies;
  if (input.metadata !== undefined) record.metadata = input.metadata;
  if (memberEntityIds) record.memberEntityIds = memberEntityIds;
  if (memberGroupIds) record.memberGroupIds = memberGroupIds;

  const changes = new Changes();
  if (existing && keys.groupName(existing.name) !== keys.groupName(record.name)) changes.delete(keys.groupName(existing.name));
  changes.put(keys.group(record.id), record).put(keys.groupName(record.name), ref(record.id));
  indexMembers(changes, existing, record);
  await changes.commit(repo.storage);
  return { record, created: !existing };
}

/** Queues the membership index entries that differ between the old and the new version of a group. */
function indexMembers(changes: Changes, before: GroupRecord | null, after: GroupRecord | null): void {
  const id = (after ?? before)?.id as string;
  const diff = (old: readonly string[] = [], now: readonly string[] = []) => ({
    gone: old.filter((x) => !now.includes(x)),
    added: now.filter((x) => !old.includes(x)),
  });
  const entities = diff(before?.memberEntityIds, after?.memberEntityIds);
  for (const e of entities.gone) changes.delete(keys.entityGroup(e, id));
  for (const e of entities.added) changes.put(keys.entityGroup(e, id), {});
  const groups = diff(before?.memberGroupIds, after?.memberGroupIds);
  for (const g of groups.gone) changes.delete(keys.groupParent(g, id));
  for (const g of groups.added) changes.put(keys.groupParent(g, id), {});
}

/** Deletes a group: its members lose what it granted, and the groups that contained it forget it. */
export async function deleteGroup(ctx: WriteContext, group: GroupRecord): Promise<void> {
  const { repo } = ctx;
  const changes = new Changes().delete(keys.group(group.id)).delete(keys.groupName(group.name));
  indexMembers(changes, group, null);
  for (const parentId of await repo.parentIdsOfGroup(group.id)) {
    changes.delete(keys.groupParent(group.id, parentId));
    const parent = await repo.group(parentId);
    if (!parent) continue;
    changes.put(keys.group(parent.id), {
      ...parent,
      memberGroupIds: parent.memberGroupIds.filter((id) => id !== group.id),
      modifyIndex: parent.modifyIndex + 1,
    });
  }
  await changes.commit(repo.storage);
}
