import { definePath, field, pattern, type EngineResponse, type FieldValues, type PathSpec } from '../framework/index.js';
import type { AliasInput } from './alias-writes.js';
import type { IdentityStore } from './identity-store.js';
import { aliasJSON, aliasKeyInfo, listJSON } from './render.js';
import type { MountInfoLookup } from './types.js';

const aliasFields = {
  id: field.string({ description: 'ID of the entity alias. If set, updates the corresponding entity alias.' }),
  entity_id: field.string({ description: 'Entity ID to which this alias belongs. Deprecated: use canonical_id.' }),
  canonical_id: field.string({ description: 'Entity ID to which this alias belongs.' }),
  mount_accessor: field.string({ description: 'Mount accessor to which this alias belongs.' }),
  name: field.string({ description: 'Name of the alias.' }),
  custom_metadata: field.kvPairs({ description: 'User provided key-value pairs.' }),
};

type AliasFields = FieldValues<typeof aliasFields>;

function aliasInput(f: AliasFields): AliasInput {
  const input: AliasInput = {};
  if (f.id) input.id = f.id;
  if (f.name) input.name = f.name;
  if (f.mount_accessor) input.mountAccessor = f.mount_accessor;
  // `entity_id` is the older spelling Vault still accepts.
  const canonicalId = f.canonical_id || f.entity_id;
  if (canonicalId) input.canonicalId = canonicalId;
  if (f.custom_metadata !== undefined) input.customMetadata = f.custom_metadata;
  return input;
}

/** `identity/entity-alias`, `entity-alias/id/:id` and its list. */
export function aliasPaths(store: IdentityStore, mountInfo: MountInfoLookup): PathSpec[] {
  const mountKnown = (accessor: string): boolean => mountInfo(accessor) !== undefined;
  const write = async (f: AliasFields): Promise<EngineResponse | null> => {
    const result = await store.saveAlias(aliasInput(f), mountKnown);
    return result ? { data: { id: result.alias.id, canonical_id: result.alias.canonicalId } } : null;
  };
  return [
    definePath({
      pattern: 'entity-alias',
      synopsis: 'Create a new entity alias, or update the one named by `id` or by `mount_accessor` and `name`.',
      fields: aliasFields,
      operations: { update: async (_req, f) => write(f) },
    }),
    definePath({
      pattern: 'entity-alias/id/?',
      synopsis: 'List the entity alias IDs, with each alias in `key_info`.',
      fields: {},
      operations: {
        list: async () => {
          const aliases = await store.repo.many(await store.repo.aliasIds(), (id) => store.repo.alias(id));
          const info = Object.fromEntries(aliases.map((a) => [a.id, aliasKeyInfo(a, mountInfo)]));
          return { data: listJSON(aliases.map((a) => a.id), info) };
        },
      },
    }),
    definePath({
      pattern: `entity-alias/id/${pattern.name('id')}`,
      synopsis: 'Read, update or delete an entity alias by its ID.',
      fields: aliasFields,
      operations: {
        read: async (_req, f) => {
          const alias = await store.repo.alias(f.id ?? '');
          return alias ? { data: aliasJSON(alias, mountInfo) } : null;
        },
        update: async (_req, f) => write(f),
        delete: async (_req, f) => {
          await store.deleteAlias(f.id ?? '');
          return null;
        },
      },
    }),
  ];
}
