import { randomBytes } from 'node:crypto';
import { hash as argon2Hash, parseOptions, verify as argon2Verify } from '@node-rs/argon2';
import bcrypt from 'bcryptjs';
import { isBcryptHash } from './bcrypt-hash.js';

/** Argon2id cost parameters (memory in KiB). */
export interface Argon2Params {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/**
 * Ward's default: 64 MiB, 3 passes, 1 lane — above OWASP's floor (19 MiB, t=2, p=1) because a login still costs
 * well under 100 ms on a small server (measured in docs/auth/userpass.md). One lane keeps one login on one libuv
 * thread, so a burst of logins cannot take every thread at once.
 */
export const DEFAULT_ARGON2_PARAMS: Readonly<Argon2Params> = Object.freeze({ memoryCost: 65_536, timeCost: 3, parallelism: 1 });

/** The Argon2 primitives, injectable so tests can count calls or use cheaper parameters. */
export interface Argon2Functions {
  /** Returns a PHC string (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`). */
  hash(password: string, params: Argon2Params): Promise<string>;
  verify(phc: string, password: string): Promise<boolean>;
}

/** @node-rs/argon2, whose default algorithm is Argon2id (its `Algorithm` is a const enum we cannot import). */
export const nodeRsArgon2: Argon2Functions = {
  hash: (password, params) => argon2Hash(password, { ...params }),
  verify: (phc, password) => argon2Verify(phc, password),
};

const ARGON2ID_PREFIX = '$argon2id$';

/**
 * Hashes and checks user passwords. New passwords get Argon2id; imported bcrypt hashes are verified with bcryptjs
 * until the user's next successful login replaces them. Passwords are never compared directly.
 */
export class PasswordHasher {
  private constructor(
    private readonly argon2: Argon2Functions,
    readonly params: Readonly<Argon2Params>,
    /** Verified when the user does not exist, so that answer costs the same Argon2 work as a wrong password. */
    private readonly dummyHash: string,
  ) {}

  /** Builds the hasher and its dummy hash (one Argon2 run, at engine start). */
  static async create(argon2: Argon2Functions = nodeRsArgon2, params: Argon2Params = DEFAULT_ARGON2_PARAMS): Promise<PasswordHasher> {
    const frozen = Object.freeze({ ...params });
    // A random password nobody knows: verifying against it always fails, after the full amount of work.
    const dummy = await argon2.hash(randomBytes(32).toString('base64'), frozen);
    return new PasswordHasher(argon2, frozen, dummy);
  }

  hash(password: string): Promise<string> {
    return this.argon2.hash(password, this.params);
  }

  /** Checks `password` against a stored Argon2id or bcrypt hash. */
  async verify(stored: string, password: string): Promise<boolean> {
    if (stored.startsWith(ARGON2ID_PREFIX)) return this.argon2.verify(stored, password);
    if (isBcryptHash(stored)) return bcrypt.compare(password, stored);
    // Records are validated on write, so this is a damaged record: fail after the usual work.
    await this.verifyDummy(password);
    return false;
  }

  /** The work of a failed login, for a user that does not exist. Always resolves to false. */
  async verifyDummy(password: string): Promise<false> {
    await this.argon2.verify(this.dummyHash, password);
    return false;
  }

  /**
   * Whether a stored hash should be replaced at the next successful login: every bcrypt hash, and Argon2 hashes
   * made with other parameters (so the login cost of every user converges on the dummy's).
   */
  needsRehash(stored: string): boolean {
    if (!stored.startsWith(ARGON2ID_PREFIX)) return true;
    try {
      const o = parseOptions(stored);
      return o.memoryCost !== this.params.memoryCost || o.timeCost !== this.params.timeCost || o.parallelism !== this.params.parallelism;
    } catch {
      return true;
    }
  }
}
