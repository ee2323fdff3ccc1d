import {
  definePath,
  field,
  getJSON,
  invalidRequest,
  notFound,
  permissionDenied,
  rfc3339Nano,
  type EngineRequest,
  type EngineResponse,
  type PathSpec,
} from '../../framework/index.js';
import type { Hasher } from './hmac.js';
import type { ApproleState } from './state.js';
import {
  accessorKey,
  deleteSecretIdOps,
  GO_ZERO_TIME,
  readRole,
  roleNameOf,
  ROLE_NAME_PATTERN,
  secretIdKey,
  type AccessorIndex,
  type RoleEntry,
  type SecretIdEntry,
} from './store.js';

/** A secret ID's properties as lookups return them (never the secret ID itself). */
export function secretIdJSON(entry: SecretIdEntry): Record<string, unknown> {
  return {
    secret_id_accessor: entry.accessor,
    secret_id_num_uses: entry.numUses,
    secret_id_ttl: entry.ttl,
    creation_time: rfc3339Nano(entry.creationTime),
    expiration_time: entry.expirationTime === 0 ? GO_ZERO_TIME : rfc3339Nano(entry.expirationTime),
    last_updated_time: rfc3339Nano(entry.lastUpdatedTime),
    metadata: entry.metadata,
    cidr_list: entry.cidrList,
    token_bound_cidrs: entry.tokenBoundCidrs,
  };
}

interface Located {
  role: RoleEntry;
  hasher: Hasher;
  roleDigest: string;
}

async function locateRole(req: EngineRequest, state: ApproleState, rawName: string): Promise<Located> {
  const name = roleNameOf(rawName);
  const role = await readRole(req.storage, name);
  if (role === null) throw invalidRequest(`role "${name}" does not exist`);
  const hasher = await state.keys.hasher(req.storage);
  return { role, hasher, roleDigest: hasher.mac(role.name) };
}

/** The secret-ID digest an accessor names, if the accessor belongs to this role (never across roles). */
async function digestOfAccessor(req: EngineRequest, at: Located, accessor: string): Promise<string | null> {
  const index = await getJSON<AccessorIndex>(req.storage, accessorKey(accessor));
  return index !== null && index.roleDigest === at.roleDigest ? index.secretIdDigest : null;
}

/** Runs `fn` on the secret ID's entry under its lock (null when absent). */
function withEntry<T>(req: EngineRequest, state: ApproleState, at: Located, digest: string, fn: (e: SecretIdEntry | null) => Promise<T>): Promise<T> {
  const key = secretIdKey(at.roleDigest, digest);
  return state.secretIdLocks.run(key, async () => fn(await getJSON<SecretIdEntry>(req.storage, key)));
}

const nameField = { role_name: field.string({ required: true, description: 'Name of the role.' }) };
const secretIdField = { secret_id: field.string({ description: 'The secret ID.', sensitive: true }) };
const accessorField = { secret_id_accessor: field.string({ description: 'Accessor of the secret ID.' }) };

function required(value: string | undefined, name: string): string {
  if (value === undefined || value === '') throw invalidRequest(`missing ${name}`);
  return value;
}

/**
 * `secret-id/lookup`, `secret-id/destroy`, `secret-id-accessor/lookup`, `secret-id-accessor/destroy` under
 * `role/:role_name/`: read or delete one secret ID, named by its value or its accessor. Unknown secret IDs answer
 * nothing (204), as Vault does; destroy also takes DELETE (with the value in the query).
 */
export function secretIdLookupPaths(state: ApproleState): PathSpec[] {
  const lookupBySecret = async (req: EngineRequest, f: { role_name: string; secret_id?: string | undefined }): Promise<EngineResponse | null> => {
    const secretId = required(f.secret_id, 'secret_id');
    const at = await locateRole(req, state, f.role_name);
    return withEntry(req, state, at, at.hasher.mac(secretId), async (entry) => (entry === null ? null : { data: secretIdJSON(entry) }));
  };
  const destroyBySecret = async (req: EngineRequest, f: { role_name: string; secret_id?: string | undefined }): Promise<null> => {
    const secretId = required(f.secret_id, 'secret_id');
    const at = await locateRole(req, state, f.role_name);
    const digest = at.hasher.mac(secretId);
    return withEntry(req, state, at, digest, async (entry) => {
      if (entry !== null) await req.storage.batch(deleteSecretIdOps(at.roleDigest, digest, entry.accessor));
      return null;
    });
  };
  const destroyByAccessor = async (req: EngineRequest, f: { role_name: string; secret_id_accessor?: string | undefined }): Promise<null> => {
    const accessor = required(f.secret_id_accessor, 'secret_id_accessor');
    const at = await locateRole(req, state, f.role_name);
    const digest = await digestOfAccessor(req, at, accessor);
    if (digest === null) throw invalidRequest(`failed to find accessor entry for secret_id_accessor: "${accessor}"`);
    return withEntry(req, state, at, digest, async (entry) => {
      if (entry === null) throw permissionDenied('invalid secret id accessor');
      await req.storage.batch(deleteSecretIdOps(at.roleDigest, digest, entry.accessor));
      return null;
    });
  };
  return [
    definePath({
      pattern: `role/${ROLE_NAME_PATTERN}/secret-id/lookup/?`,
      fields: { ...nameField, ...secretIdField },
      synopsis: 'Read the properties of an issued secret_id.',
      operations: { update: lookupBySecret },
    }),
    definePath({
      pattern: `role/${ROLE_NAME_PATTERN}/secret-id/destroy/?`,
      fields: { ...nameField, ...secretIdField },
      synopsis: 'Invalidate an issued secret_id.',
      operations: { update: destroyBySecret, delete: destroyBySecret },
    }),
    definePath({
      pattern: `role/${ROLE_NAME_PATTERN}/secret-id-accessor/lookup/?`,
      fields: { ...nameField, ...accessorField },
      synopsis: 'Read an issued secret_id, using its accessor.',
      operations: {
        update: async (req, f) => {
          const accessor = required(f.secret_id_accessor, 'secret_id_accessor');
          const at = await locateRole(req, state, f.role_name);
          const digest = await digestOfAccessor(req, at, accessor);
          if (digest === null) throw notFound(`failed to find accessor entry for secret_id_accessor: "${accessor}"`);
          return withEntry(req, state, at, digest, async (entry) => (entry === null ? null : { data: secretIdJSON(entry) }));
        },
      },
    }),
    definePath({
      pattern: `role/${ROLE_NAME_PATTERN}/secret-id-accessor/destroy/?`,
      fields: { ...nameField, ...accessorField },
      synopsis: 'Delete an issued secret_id, using its accessor.',
      operations: { update: destroyByAccessor, delete: destroyByAccessor },
    }),
  ];
}
