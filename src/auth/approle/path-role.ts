import { randomUUID } from 'node:crypto';
import {
  defaultTokenSettings,
  definePath,
  field,
  formatGoDuration,
  invalidRequest,
  readTokenSettings,
  tokenFields,
  type EngineRequest,
  type EngineResponse,
  type FieldValues,
  type PathSpec,
} from '../../framework/index.js';
import { validCidrs } from './cidr.js';
import { deleteRole, hasConstraint, saveRole } from './role-save.js';
import { roleJSON } from './role-json.js';
import type { ApproleState } from './state.js';
import { ROLE_NAME_PATTERN, readRole, roleNameOf, type RoleEntry } from './store.js';

// Vault's AppRole takes the token_* fields plus the legacy `policies` and `period`, but not tokenutil's other
// aliases (`ttl`, `max_ttl`, `bound_cidrs`): those stay unknown fields, ignored as Vault ignores them.
const { ttl: _ttl, max_ttl: _maxTtl, bound_cidrs: _boundCidrs, ...roleTokenFields } = tokenFields;

const roleFields = {
  role_name: field.string({ required: true, description: 'Name of the role. Must be less than 4096 bytes.' }),
  bind_secret_id: field.bool({ description: 'Require secret_id to be presented when logging in using this role. Defaults to true.' }),
  secret_id_bound_cidrs: field.commaStringList({ description: 'CIDR blocks from which logins with this role are allowed.' }),
  bound_cidr_list: field.commaStringList({ description: 'Deprecated alias of secret_id_bound_cidrs.' }),
  secret_id_num_uses: field.int({ description: 'Logins allowed per secret ID (0 = unlimited). Defaults to 0.' }),
  secret_id_ttl: field.duration({ description: 'Lifetime of secret IDs (0 = never expire). Defaults to 0.' }),
  role_id: field.string({ description: 'Identifier of the role. Defaults to a UUID.' }),
  local_secret_ids: field.bool({ description: 'Keep secret IDs cluster-local. Only settable at creation.' }),
  ...roleTokenFields,
};

type RoleFields = FieldValues<typeof roleFields>;

const TOKEN_TYPE_WARNINGS: Record<string, string> = {
  'default-service': 'default-service has no useful meaning; adjusting to service',
  'default-batch': 'default-batch has no useful meaning; adjusting to batch',
};

/** Applies a create or update request to `existing` (null: create), enforcing Vault's field rules. */
function applyRoleFields(req: EngineRequest, f: RoleFields, name: string, existing: RoleEntry | null, warnings: string[]): RoleEntry {
  const creating = existing === null;
  const rawType = req.data.token_type;
  if (typeof rawType === 'string' && TOKEN_TYPE_WARNINGS[rawType]) warnings.push(TOKEN_TYPE_WARNINGS[rawType]);
  const token = readTokenSettings(f, existing?.token ?? defaultTokenSettings);
  if (!validCidrs(token.tokenBoundCidrs)) throw invalidRequest('error parsing token_bound_cidrs: invalid CIDR blocks');

  if (f.local_secret_ids !== undefined && !creating) throw invalidRequest('local_secret_ids can only be modified during role creation');
  const roleId = f.role_id ?? existing?.roleId ?? randomUUID();
  if (roleId === '') throw invalidRequest('invalid role_id supplied, or failed to generate a role_id');

  const cidrs = f.secret_id_bound_cidrs ?? f.bound_cidr_list ?? existing?.secretIdBoundCidrs ?? [];
  if (!validCidrs(cidrs)) throw invalidRequest('invalid CIDR blocks');
  const numUses = f.secret_id_num_uses ?? existing?.secretIdNumUses ?? 0;
  if (numUses < 0) throw invalidRequest('secret_id_num_uses cannot be negative');

  const maxLease = req.system.maxLeaseTTL();
  if (f.period !== undefined && f.token_period === undefined && f.period > maxLease) {
    throw invalidRequest(`period of "${formatGoDuration(f.period)}" is greater than the backend's maximum lease TTL of "${formatGoDuration(maxLease)}"`);
  }
  if (token.tokenMaxTTL > maxLease) {
    warnings.push("token_max_ttl is greater than the backend mount's maximum TTL value; issued tokens' max TTL value will be truncated");
  }
  return {
    name,
    roleId,
    bindSecretId: f.bind_secret_id ?? existing?.bindSecretId ?? true,
    secretIdBoundCidrs: cidrs,
    secretIdNumUses: numUses,
    secretIdTTL: f.secret_id_ttl ?? existing?.secretIdTTL ?? 0,
    localSecretIds: existing?.localSecretIds ?? f.local_secret_ids ?? false,
    token,
  };
}

/** `role/:role_name`: create/update (204, or 200 with warnings), read, delete. */
export function rolePath(state: ApproleState): PathSpec {
  return definePath({
    pattern: `role/${ROLE_NAME_PATTERN}`,
    fields: roleFields,
    synopsis: 'Register a role with the backend.',
    help:
      'A role is a set of constraints on login (a secret ID, CIDR blocks) and the properties of the tokens it issues. ' +
      "Fetch its role ID at 'role/<role_name>/role-id' and issue secret IDs at 'role/<role_name>/secret-id'.",
    existenceCheck: async (req, f) => (await readRole(req.storage, roleNameOf(f.role_name))) !== null,
    operations: {
      read: async (req, f) => {
        const role = await readRole(req.storage, roleNameOf(f.role_name));
        if (role === null) return null;
        const res: EngineResponse = { data: roleJSON(role) };
        if (!hasConstraint(role)) {
          res.warnings = ['Role does not have any constraints set on it. Updates to this role will require a constraint to be set'];
        }
        return res;
      },
      update: async (req, f) => {
        const name = roleNameOf(f.role_name);
        return state.roleLocks.run(name, async () => {
          const existing = await readRole(req.storage, name);
          const warnings: string[] = [];
          const role = applyRoleFields(req, f, name, existing, warnings);
          await saveRole(req.storage, state, role, existing?.roleId);
          return warnings.length > 0 ? { warnings } : null;
        });
      },
      delete: async (req, f) => {
        const name = roleNameOf(f.role_name);
        return state.roleLocks.run(name, async () => {
          const role = await readRole(req.storage, name);
          if (role !== null) await deleteRole(req.storage, state, role);
          return null;
        });
      },
    },
  });
}

/** `LIST role`: the role names (lowercase). */
export const roleListPath: PathSpec = definePath({
  pattern: 'role/?',
  fields: {},
  synopsis: 'Lists all the roles registered with the backend.',
  help: 'The list will contain the names of the roles.',
  operations: {
    list: async (req) => {
      const keys = (await req.storage.list('role/')).filter((k) => !k.endsWith('/'));
      return keys.length === 0 ? null : { data: { keys } };
    },
  },
});
