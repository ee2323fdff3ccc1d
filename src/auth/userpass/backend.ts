import type { KeyedLock } from '../../lib/keyed-lock.js';
import type { PasswordHasher } from './password.js';

/** What the paths of one userpass mount share. */
export interface UserpassBackend {
  passwords: PasswordHasher;
  /** Serialises writes to one user record (keyed by lowercase username). */
  lock: KeyedLock;
}
