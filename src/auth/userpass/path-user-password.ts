import { definePath, field, internalError, type PathSpec } from '../../framework/index.js';
import type { UserpassBackend } from './backend.js';
import { newPasswordHash, passwordFields } from './password-fields.js';
import { readUser, writeUser } from './store.js';
import { normaliseUsername, USERNAME_PATTERN } from './username.js';

/**
 * Vault answers a change for a missing user with a bare error, hence 500 with this text; kept for compatibility
 * (clients see the same status and message as from Vault).
 */
export const NO_SUCH_USER = 'username does not exist';

/** `users/:username/password`: replaces the password (or imports a bcrypt hash); other settings stay. */
export function pathUserPassword(backend: UserpassBackend): PathSpec {
  return definePath({
    pattern: `users/${USERNAME_PATTERN}/password`,
    fields: {
      username: field.string({ description: 'Username for this user.', required: true }),
      ...passwordFields,
    },
    operations: {
      update: async (req, f) => {
        const name = normaliseUsername(f.username);
        return backend.lock.run(name, async () => {
          const user = await readUser(req.storage, name);
          if (user === null) throw internalError(NO_SUCH_USER);
          const passwordHash = await newPasswordHash(backend.passwords, f);
          await writeUser(req.storage, name, { ...user, passwordHash });
          return null;
        });
      },
    },
    synopsis: "Reset user's password.",
    help: 'This endpoint allows resetting the password of an existing user, with `password` or a bcrypt `password_hash`.',
  });
}
