import { definePath, field, pattern, type EngineResponse, type FieldValues, type PathSpec } from '../framework/index.js';
import type { GroupInput } from './group-writes.js';
import type { IdentityStore } from './identity-store.js';
import { groupJSON, groupKeyInfo, listJSON } from './render.js';
import type { GroupRecord } from './types.js';

const groupFields = {
  id: field.string({ description: 'ID of the group. If set, updates the corresponding existing group.' }),
  type: field.string({ description: "Type of the group: only 'internal' (the default) for now." }),
  name: field.string({ description: 'Name of the group.' }),
  metadata: field.kvPairs({ description: 'Metadata to be associated with the group (a map, or a list of key=value).' }),
  policies: field.commaStringList({ description: 'Policies to be tied to the group.' }),
  member_group_ids: field.commaStringList({ description: 'Group IDs to be assigned as group members.' }),
  member_entity_ids: field.commaStringList({ description: 'Entity IDs to be assigned as group members.' }),
};

type GroupFields = FieldValues<typeof groupFields>;

function groupInput(f: GroupFields): GroupInput {
  const input: GroupInput = {};
  if (f.id) input.id = f.id;
  if (f.name) input.name = f.name;
  if (f.type) input.type = f.type;
  if (f.metadata !== undefined) input.metadata = f.metadata;
  if (f.policies !== undefined) input.policies = f.policies;
  // An empty list is a value: it removes every member (Vault tells "not supplied" from "empty").
  if (f.member_group_ids !== undefined) input.memberGroupIds = f.member_group_ids;
  if (f.member_entity_ids !== undefined) input.memberEntityIds = f.member_entity_ids;
  return input;
}

/** `identity/group`, `group/id/:id`, `group/name/:name` and their lists. */
export function groupPaths(store: IdentityStore): PathSpec[] {
  const write = async (f: GroupFields): Promise<EngineResponse | null> => {
    const { record, created } = await store.saveGroup(groupInput(f));
    return created ? { data: { id: record.id, name: record.name } } : null;
  };
  const read = async (group: GroupRecord | null): Promise<EngineResponse | null> =>
    group ? { data: await groupJSON(store, group) } : null;
  const all = async (): Promise<GroupRecord[]> => store.repo.many(await store.repo.groupIds(), (id) => store.repo.group(id));
  return [
    definePath({
      pattern: 'group',
      synopsis: 'Create a new group, or update the one named by `id` or `name`.',
      fields: groupFields,
      operations: { update: async (_req, f) => write(f) },
    }),
    definePath({
      pattern: 'group/id/?',
      synopsis: 'List the group IDs, with each group\'s name and member counts in `key_info`.',
      fields: {},
      operations: {
        list: async () => {
          const groups = await all();
          const info: Record<string, unknown> = {};
          for (const g of groups) info[g.id] = await groupKeyInfo(store, g);
          return { data: listJSON(groups.map((g) => g.id), info) };
        },
      },
    }),
    definePath({
      pattern: `group/id/${pattern.name('id')}`,
      synopsis: 'Read, update or delete a group by its ID.',
      fields: groupFields,
      operations: {
        read: async (_req, f) => read(await store.repo.group(f.id ?? '')),
        update: async (_req, f) => write(f),
        delete: async (_req, f) => {
          await store.deleteGroup(f.id ?? '');
          return null;
        },
      },
    }),
    definePath({
      pattern: 'group/name/?',
      synopsis: 'List the group names.',
      fields: {},
      operations: { list: async () => ({ data: listJSON((await all()).map((g) => g.name).sort()) }) },
    }),
    definePath({
      pattern: 'group/name/(?<name>.+)',
      synopsis: 'Create or update, read or delete a group by its name.',
      fields: groupFields,
      operations: {
        read: async (_req, f) => read(await store.repo.groupByName(f.name ?? '')),
        // Vault addresses this write by the name in the path only: an `id` in the body is ignored.
        update: async (_req, f) => write({ ...f, id: undefined }),
        delete: async (_req, f) => {
          const group = await store.repo.groupByName(f.name ?? '');
          if (group) await store.deleteGroup(group.id);
          return null;
        },
      },
    }),
  ];
}
