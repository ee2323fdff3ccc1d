import {
  defaultTokenSettings,
  definePath,
  field,
  invalidRequest,
  readTokenSettings,
  tokenFields,
  tokenSettingsJSON,
  type EngineRequest,
  type FieldValues,
  type PathSpec,
} from '../../framework/index.js';
import type { UserpassBackend } from './backend.js';
import { validateBoundCidrs } from './cidr.js';
import { newPasswordHash, passwordFields } from './password-fields.js';
import { deleteUser, listUsers, readUser, writeUser } from './store.js';
import { normaliseUsername, USERNAME_PATTERN } from './username.js';

const userFields = {
  username: field.string({ description: 'Username for this user.', required: true }),
  ...passwordFields,
  ...tokenFields,
};

type UserFields = FieldValues<typeof userFields>;

const USERS_HELP = `This endpoint allows you to create, read, update, and delete users that are allowed to authenticate.

Deleting a user does not revoke the tokens it already obtained; their next renewal fails.`;

/** `users/:username`: create/update (204), read (token settings only), delete. */
export function pathUser(backend: UserpassBackend): PathSpec {
  const write = async (req: EngineRequest, f: UserFields): Promise<null> => {
    const name = normaliseUsername(f.username);
    return backend.lock.run(name, async () => {
      const current = await readUser(req.storage, name);
      // Validate everything cheap before paying for a password hash.
      const token = readTokenSettings(f, current?.token ?? defaultTokenSettings);
      validateBoundCidrs(token.tokenBoundCidrs);
      const supplied = f.password !== undefined || f.password_hash !== undefined;
      const passwordHash = supplied ? await newPasswordHash(backend.passwords, f) : current?.passwordHash;
      // Decided on the record, not on the operation the existence check chose: a user deleted in between must not
      // come back without a password.
      if (passwordHash === undefined) throw invalidRequest('missing password');
      await writeUser(req.storage, name, { passwordHash, token });
      return null;
    });
  };

  return definePath({
    pattern: `users/${USERNAME_PATTERN}`,
    fields: userFields,
    existenceCheck: async (req, f) => (await readUser(req.storage, normaliseUsername(f.username))) !== null,
    operations: {
      create: write,
      update: write,
      read: async (req, f) => {
        const user = await readUser(req.storage, normaliseUsername(f.username));
        return user === null ? null : { data: tokenSettingsJSON(user.token) };
      },
      delete: async (req, f) => {
        const name = normaliseUsername(f.username);
        await backend.lock.run(name, () => deleteUser(req.storage, name));
        return null;
      },
    },
    synopsis: 'Manage users allowed to authenticate.',
    help: USERS_HELP,
  });
}

/** `LIST users`. */
export function pathUsersList(): PathSpec {
  return definePath({
    pattern: 'users/?',
    fields: {},
    operations: {
      list: async (req) => {
        const keys = await listUsers(req.storage);
        return keys.length === 0 ? null : { data: { keys } };
      },
    },
    synopsis: 'List the users of this mount.',
    help: USERS_HELP,
  });
}
