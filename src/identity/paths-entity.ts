import { definePath, field, pattern, type EngineResponse, type FieldValues, type PathSpec } from '../framework/index.js';
import type { EntityInput } from './entity-writes.js';
import type { IdentityStore } from './identity-store.js';
import { entityJSON, entityKeyInfo, listJSON } from './render.js';
import type { EntityRecord, MountInfoLookup } from './types.js';

const entityFields = {
  id: field.string({ description: 'ID of the entity. If set, updates the corresponding existing entity.' }),
  name: field.string({ description: 'Name of the entity.' }),
  metadata: field.kvPairs({ description: 'Metadata to be associated with the entity (a map, or a list of key=value).' }),
  policies: field.commaStringList({ description: 'Policies to be tied to the entity.' }),
  disabled: field.bool({ description: 'If set true, tokens tied to this identity will not be able to be used (but will not be revoked).' }),
};

type EntityFields = FieldValues<typeof entityFields>;

function entityInput(f: EntityFields): EntityInput {
  const input: EntityInput = {};
  if (f.id !== undefined) input.id = f.id;
  if (f.name !== undefined) input.name = f.name;
  if (f.metadata !== undefined) input.metadata = f.metadata;
  if (f.policies !== undefined) input.policies = f.policies;
  if (f.disabled !== undefined) input.disabled = f.disabled;
  return input;
}

/** Create → `{id, name, aliases}`; an update of an existing entity answers 204, as Vault does. */
async function writeEntity(store: IdentityStore, f: EntityFields): Promise<EngineResponse | null> {
  const { record, created } = await store.saveEntity(entityInput(f));
  // A new entity has no aliases yet; Vault marshals its nil alias list as null.
  return created ? { data: { id: record.id, name: record.name, aliases: null } } : null;
}

/** `identity/entity`, `entity/id/:id`, `entity/name/:name` and their lists. */
export function entityPaths(store: IdentityStore, mountInfo: MountInfoLookup): PathSpec[] {
  const read = async (entity: EntityRecord | null): Promise<EngineResponse | null> =>
    entity ? { data: await entityJSON(store, entity, mountInfo) } : null;
  return [
    definePath({
      pattern: 'entity',
      synopsis: 'Create a new entity, or update the one named by `id` or `name`.',
      fields: entityFields,
      operations: { update: async (_req, f) => writeEntity(store, f) },
    }),
    definePath({
      pattern: 'entity/id/?',
      synopsis: 'List the entity IDs, with each entity\'s name and aliases in `key_info`.',
      fields: {},
      operations: {
        list: async () => {
          const entities = await store.repo.many(await store.repo.entityIds(), (id) => store.repo.entity(id));
          const info: Record<string, unknown> = {};
          for (const e of entities) info[e.id] = await entityKeyInfo(store, e, mountInfo);
          return { data: listJSON(entities.map((e) => e.id), info) };
        },
      },
    }),
    definePath({
      pattern: `entity/id/${pattern.name('id')}`,
      synopsis: 'Read, update or delete an entity by its ID.',
      fields: entityFields,
      operations: {
        read: async (_req, f) => read(await store.repo.entity(f.id ?? '')),
        update: async (_req, f) => writeEntity(store, f),
        delete: async (_req, f) => {
          await store.deleteEntity(f.id ?? '');
          return null;
        },
      },
    }),
    definePath({
      pattern: 'entity/name/?',
      synopsis: 'List the entity names.',
      fields: {},
      operations: {
        list: async () => {
          const entities = await store.repo.many(await store.repo.entityIds(), (id) => store.repo.entity(id));
          return { data: listJSON(entities.map((e) => e.name).sort()) };
        },
      },
    }),
    definePath({
      pattern: 'entity/name/(?<name>.+)',
      synopsis: 'Create or update, read or delete an entity by its name.',
      fields: entityFields,
      operations: {
        read: async (_req, f) => read(await store.repo.entityByName(f.name ?? '')),
        // The name in the path is the entity's name; an unknown one creates the entity.
        update: async (_req, f) => writeEntity(store, f),
        delete: async (_req, f) => {
          const entity = await store.repo.entityByName(f.name ?? '');
          if (entity) await store.deleteEntity(entity.id);
          return null;
        },
      },
    }),
  ];
}
