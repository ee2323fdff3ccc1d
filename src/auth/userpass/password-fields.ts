import { field, invalidRequest } from '../../framework/index.js';
import { parseBcryptHash } from './bcrypt-hash.js';
import type { PasswordHasher } from './password.js';

/** The two ways to set a password, shared by `users/:username` and `users/:username/password`. */
export const passwordFields = {
  password: field.string({ description: 'Password for this user. Stored only as an Argon2id hash.', sensitive: true }),
  password_hash: field.string({
    description: 'A bcrypt hash ($2a$, $2b$ or $2y$) to import instead of a password. Mutually exclusive with password.',
    sensitive: true,
  }),
};

/** The hash to store for a request that supplies `password` or `password_hash` (at least one is present). */
export async function newPasswordHash(passwords: PasswordHasher, f: { password?: string | undefined; password_hash?: string | undefined }): Promise<string> {
  if (f.password !== undefined && f.password_hash !== undefined) {
    throw invalidRequest('only one of password or password_hash may be provided');
  }
  if (f.password_hash !== undefined) return parseBcryptHash(f.password_hash);
  // An explicitly empty password is refused as Vault refuses it, with the same message.
  if (f.password === undefined || f.password === '') throw invalidRequest('missing password');
  return passwords.hash(f.password);
}
