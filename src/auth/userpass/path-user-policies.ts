import { definePath, field, internalError, type PathSpec } from '../../framework/index.js';
import type { UserpassBackend } from './backend.js';
import { NO_SUCH_USER } from './path-user-password.js';
import { sanitizePolicies } from './policies.js';
import { readUser, writeUser } from './store.js';
import { normaliseUsername, USERNAME_PATTERN } from './username.js';

/** `users/:username/policies`: replaces the user's token policies; tokens issued before fail their next renewal. */
export function pathUserPolicies(backend: UserpassBackend): PathSpec {
  return definePath({
    pattern: `users/${USERNAME_PATTERN}/policies`,
    fields: {
      username: field.string({ description: 'Username for this user.', required: true }),
      token_policies: field.commaStringList({ description: 'Comma-separated list of policies.' }),
      policies: field.commaStringList({ description: 'Deprecated alias of token_policies.' }),
    },
    operations: {
      update: async (req, f) => {
        const name = normaliseUsername(f.username);
        return backend.lock.run(name, async () => {
          const user = await readUser(req.storage, name);
          if (user === null) throw internalError(NO_SUCH_USER);
          const given = f.token_policies ?? f.policies;
          // Neither field: Vault rewrites the user unchanged; so do we (nothing to write).
          if (given === undefined) return null;
          await writeUser(req.storage, name, { ...user, token: { ...user.token, tokenPolicies: sanitizePolicies(given) } });
          return null;
        });
      },
    },
    synopsis: 'Update the policies associated with the username.',
    help: 'This endpoint replaces the `token_policies` of an existing user (`policies` is accepted as the legacy name).',
  });
}
