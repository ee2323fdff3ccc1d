import { definePath, field, invalidRequest, type FieldValues, type PathSpec } from '../framework/index.js';
import type { IdentityStore } from './identity-store.js';
import { entityJSON, groupJSON } from './render.js';
import type { EntityRecord, GroupRecord, MountInfoLookup } from './types.js';

const lookupFields = {
  name: field.string({ description: 'Name of the entity or group.' }),
  id: field.string({ description: 'ID of the entity or group.' }),
  alias_id: field.string({ description: 'ID of the alias.' }),
  alias_name: field.string({ description: "Name of the alias. This should be supplied in conjunction with 'alias_mount_accessor'." }),
  alias_mount_accessor: field.string({ description: "Accessor of the mount to which the alias belongs to. This should be supplied in conjunction with 'alias_name'." }),
};

type LookupFields = FieldValues<typeof lookupFields>;

/** Vault's rule: exactly one criterion, where `alias_name` + `alias_mount_accessor` count as one. */
function checkCriteria(f: LookupFields): void {
  const given = Object.values(f).filter((v) => v !== undefined).length;
  if (given === 0) throw invalidRequest('query parameter not supplied');
  const pair = f.alias_name !== undefined && f.alias_mount_accessor !== undefined;
  if (given === 2 && pair && f.alias_name !== '' && f.alias_mount_accessor !== '') return;
  if (given > 1) throw invalidRequest('query parameter conflict; please supply distinct set of query parameters');
  if (f.alias_name || f.alias_mount_accessor) throw invalidRequest("both 'alias_name' and 'alias_mount_accessor' needs to be set");
}

async function findEntity(store: IdentityStore, f: LookupFields): Promise<EntityRecord | null> {
  if (f.id) return store.repo.entity(f.id);
  if (f.name) return store.repo.entityByName(f.name);
  const alias = f.alias_id
    ? await store.repo.alias(f.alias_id)
    : await store.repo.aliasByFactors(f.alias_mount_accessor ?? '', f.alias_name ?? '');
  return alias ? store.repo.entity(alias.canonicalId) : null;
}

async function findGroup(store: IdentityStore, f: LookupFields): Promise<GroupRecord | null> {
  if (f.id) return store.repo.group(f.id);
  if (f.name) return store.repo.groupByName(f.name);
  // Group aliases exist only for external groups, which Ward does not offer yet: alias criteria find nothing.
  return null;
}

/** `identity/lookup/entity` and `identity/lookup/group`: the record, or 204 when none matches. */
export function lookupPaths(store: IdentityStore, mountInfo: MountInfoLookup): PathSpec[] {
  return [
    definePath({
      pattern: 'lookup/entity',
      synopsis: 'Query an entity by id, name, alias_id, or alias_name with alias_mount_accessor.',
      fields: lookupFields,
      operations: {
        update: async (_req, f) => {
          checkCriteria(f);
          const entity = await findEntity(store, f);
          return entity ? { data: await entityJSON(store, entity, mountInfo) } : null;
        },
      },
    }),
    definePath({
      pattern: 'lookup/group',
      synopsis: 'Query a group by id or name.',
      fields: lookupFields,
      operations: {
        update: async (_req, f) => {
          checkCriteria(f);
          const group = await findGroup(store, f);
          return group ? { data: await groupJSON(store, group) } : null;
        },
      },
    }),
  ];
}
