import type { Engine, EngineFactory } from '../../framework/index.js';
import { KeyedLock } from '../../lib/keyed-lock.js';
import { PasswordHasher, type Argon2Functions, type Argon2Params } from './password.js';
import { pathLogin, renewUserLogin } from './path-login.js';
import { pathUserPassword } from './path-user-password.js';
import { pathUserPolicies } from './path-user-policies.js';
import { pathUser, pathUsersList } from './path-users.js';

/** Test and benchmark hooks; production mounts use the defaults. */
export interface UserpassOptions {
  /** The Argon2 primitives (default @node-rs/argon2): a test can count calls through them. */
  argon2?: Argon2Functions;
  /** Argon2id cost (default `DEFAULT_ARGON2_PARAMS`): tests may pick cheaper ones. */
  argon2Params?: Argon2Params;
}

const HELP = `The "userpass" auth method lets users authenticate with a username and a password.

Users are managed under "users/" by an operator; they log in with "login/<username>". Usernames are
case-insensitive. Passwords are stored only as Argon2id hashes; bcrypt hashes can be imported with "password_hash".`;

/** Builds the engine of one userpass mount. Makes the dummy hash for unknown users once, here. */
export async function createUserpassEngine(options: UserpassOptions = {}): Promise<Engine> {
  const passwords = await PasswordHasher.create(options.argon2, options.argon2Params);
  const backend = { passwords, lock: new KeyedLock() };
  return {
    help: HELP,
    paths: [pathLogin(backend), pathUsersList(), pathUserPassword(backend), pathUserPolicies(backend), pathUser(backend)],
    special: { unauthenticated: ['login/*'] },
    renewLogin: renewUserLogin,
  };
}

/** The `userpass` auth method (`ward auth enable userpass`). */
export const userpassAuthMethod: EngineFactory = {
  type: 'userpass',
  kind: 'auth',
  create: () => createUserpassEngine(),
};

export { DEFAULT_ARGON2_PARAMS, nodeRsArgon2, type Argon2Functions, type Argon2Params } from './password.js';
