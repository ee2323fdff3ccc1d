import { randomUUID } from 'node:crypto';
import { definePath, field, invalidRequest, type PathSpec } from '../../framework/index.js';
import { issueSecretId, secretIdFields } from './secret-id-issue.js';
import type { ApproleState } from './state.js';
import { listSecretIds, readRole, roleNameOf, ROLE_NAME_PATTERN } from './store.js';

/** `role/:role_name/secret-id`: POST issues a new secret ID (a UUID); LIST returns the accessors of the role's. */
export function secretIdPath(state: ApproleState): PathSpec {
  return definePath({
    pattern: `role/${ROLE_NAME_PATTERN}/secret-id/?`,
    fields: secretIdFields,
    synopsis: 'Generate a SecretID against this role.',
    help:
      "The secret ID is scoped to this role. It expires after the 'ttl' field or the role's 'secret_id_ttl' " +
      "(capped by the mount's max lease TTL), and after 'num_uses' logins if set.",
    operations: {
      update: (req, f) => issueSecretId(req, state, f, randomUUID()),
      list: async (req, f) => {
        const name = roleNameOf(f.role_name);
        if ((await readRole(req.storage, name)) === null) throw invalidRequest(`role "${name}" does not exist`);
        const hasher = await state.keys.hasher(req.storage);
        const keys = (await listSecretIds(req.storage, hasher, name)).map(([, entry]) => entry.accessor);
        return keys.length === 0 ? null : { data: { keys } };
      },
    },
  });
}

/** `role/:role_name/custom-secret-id`: registers a secret ID chosen by the caller (Vault's "push" model). */
export function customSecretIdPath(state: ApproleState): PathSpec {
  return definePath({
    pattern: `role/${ROLE_NAME_PATTERN}/custom-secret-id`,
    fields: {
      ...secretIdFields,
      secret_id: field.string({ description: 'The secret ID to attach to the role.', sensitive: true }),
    },
    synopsis: 'Assign a SecretID of choice against the role.',
    help: 'Not recommended unless there is a specific need: the secret ID behaves like a generated one.',
    operations: {
      update: (req, f) => issueSecretId(req, state, f, f.secret_id ?? ''),
    },
  });
}
