import { definePath, field, type PathSpec } from '../../framework/index.js';
import { login } from './login.js';
import type { ApproleState } from './state.js';

/** `login` (unauthenticated): `{role_id, secret_id}` → an orphan token with the role's settings. */
export function loginPath(state: ApproleState): PathSpec {
  return definePath({
    pattern: 'login',
    fields: {
      role_id: field.string({ description: 'Unique identifier of the role.' }),
      // hvac sends `secret_id: null` for roles without bind_secret_id: null counts as absent.
      secret_id: field.string({ description: 'Secret ID issued against the role.', sensitive: true }),
    },
    synopsis: 'Issue a token based on the credentials supplied.',
    help:
      "'role_id' is required at every login; 'secret_id' when the role has 'bind_secret_id' (the default). " +
      "Fetch them from 'role/<role_name>/role-id' and 'role/<role_name>/secret-id'.",
    operations: {
      update: (req, f) => login(req, state, f.role_id, f.secret_id),
    },
  });
}
