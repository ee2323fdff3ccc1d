import { tokenSettingsJSON } from '../../framework/index.js';
import type { RoleEntry } from './store.js';

/** A role as `GET role/:name` returns it: durations in seconds, plus the legacy `policies` and `period`. */
export function roleJSON(role: RoleEntry): Record<string, unknown> {
  return {
    bind_secret_id: role.bindSecretId,
    secret_id_bound_cidrs: role.secretIdBoundCidrs,
    secret_id_num_uses: role.secretIdNumUses,
    secret_id_ttl: role.secretIdTTL,
    local_secret_ids: role.localSecretIds,
    ...tokenSettingsJSON(role.token),
  };
}
