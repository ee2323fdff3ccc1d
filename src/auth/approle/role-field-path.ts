import {
  definePath,
  field,
  notFound,
  type EngineRequest,
  type EngineResponse,
  type FieldMap,
  type FieldValues,
  type PathSpec,
} from '../../framework/index.js';
import { saveRole } from './role-save.js';
import type { ApproleState } from './state.js';
import { ROLE_NAME_PATTERN, readRole, roleNameOf, type RoleEntry } from './store.js';

const roleNameField = { role_name: field.string({ required: true, description: 'Name of the role.' }) };

/** One of Vault's per-field sub-paths of a role (`role/:role_name/<suffix>`). */
export interface RoleFieldPathSpec<S extends FieldMap> {
  suffix: string;
  fields: S;
  synopsis: string;
  help?: string;
  /** GET: the data returned for an existing role. */
  read: (role: RoleEntry) => EngineResponse;
  /** POST: the role with the field changed (a copy), or a thrown 400 such as `missing token_ttl`. */
  update?: (req: EngineRequest, role: RoleEntry, fields: FieldValues<S>) => RoleEntry;
  /** DELETE: the role with the field back at its default (a copy). */
  reset?: (role: RoleEntry) => RoleEntry;
}

/**
 * Builds a per-field sub-path with Vault's semantics: GET of a missing role is a 404 (nothing), POST to a missing
 * role is `unsupported path`, DELETE of a missing role succeeds quietly; writes re-check the role's constraints.
 */
export function roleFieldPath<S extends FieldMap>(state: ApproleState, spec: RoleFieldPathSpec<S>): PathSpec {
  // The generic field map hides that `role_name` is always present; state it once here.
  type All = FieldValues<S> & { role_name: string };
  const write = async (req: EngineRequest, rawName: string, change: (role: RoleEntry) => RoleEntry, missingIsError: boolean) => {
    const name = roleNameOf(rawName);
    return state.roleLocks.run(name, async () => {
      const role = await readRole(req.storage, name);
      if (role === null) {
        if (missingIsError) throw notFound('unsupported path');
        return null;
      }
      await saveRole(req.storage, state, change(structuredClone(role)), role.roleId);
      return null;
    });
  };
  const { update, reset } = spec;
  const fieldsOf = (raw: unknown): All => raw as All;
  return definePath<FieldMap>({
    pattern: `role/${ROLE_NAME_PATTERN}/${spec.suffix}`,
    fields: { ...roleNameField, ...spec.fields },
    synopsis: spec.synopsis,
    ...(spec.help !== undefined ? { help: spec.help } : {}),
    operations: {
      read: async (req, raw) => {
        const role = await readRole(req.storage, roleNameOf(fieldsOf(raw).role_name));
        return role === null ? null : spec.read(role);
      },
      ...(update
        ? { update: async (req: EngineRequest, raw: unknown) => write(req, fieldsOf(raw).role_name, (r) => update(req, r, fieldsOf(raw)), true) }
        : {}),
      ...(reset ? { delete: async (req: EngineRequest, raw: unknown) => write(req, fieldsOf(raw).role_name, reset, false) } : {}),
    },
  });
}
