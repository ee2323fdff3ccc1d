import { definePath, field, invalidRequest, notFound, type PathSpec } from '../../framework/index.js';
import { saveRole } from './role-save.js';
import type { ApproleState } from './state.js';
import { ROLE_NAME_PATTERN, readRole, roleNameOf } from './store.js';

/** `role/:role_name/role-id`: GET the role ID (a UUID made at creation); POST a custom one, unique across roles. */
export function roleIdPath(state: ApproleState): PathSpec {
  return definePath({
    pattern: `role/${ROLE_NAME_PATTERN}/role-id`,
    fields: {
      role_name: field.string({ required: true, description: 'Name of the role.' }),
      role_id: field.string({ description: 'Identifier of the role.' }),
    },
    synopsis: "Returns the 'role_id' of the role.",
    help: "The role ID is presented with a secret ID at login. POST sets a custom value, which must be unique.",
    operations: {
      read: async (req, f) => {
        const role = await readRole(req.storage, roleNameOf(f.role_name));
        return role === null ? null : { data: { role_id: role.roleId } };
      },
      update: async (req, f) => {
        const name = roleNameOf(f.role_name);
        return state.roleLocks.run(name, async () => {
          const role = await readRole(req.storage, name);
          if (role === null) throw notFound('unsupported path');
          const roleId = f.role_id ?? '';
          if (roleId === '') throw invalidRequest('missing role_id');
          await saveRole(req.storage, state, { ...role, roleId }, role.roleId);
          return null;
        });
      },
    },
  });
}
