import { getJSON, type Storage } from '../../framework/index.js';
import { KeyedLock } from '../../lib/keyed-lock.js';
import { deepFreeze } from '../../lib/deep-freeze.js';
import { ReadThroughCache } from '../../lib/read-through-cache.js';
import { readRole, type RoleEntry, type SecretIdEntry } from './store.js';

/**
 * Roles by name, for logins. Kept in step by the only two writers of roles (`saveRole`, `deleteRole`, which call
 * `saved`/`deleted` once their batch is durable) rather than emptied: a role stays cached across writes, so a login
 * through a known role and one through the decoy of an unknown role ID both find their role without a storage read,
 * and the timing of a failed login does not tell which role IDs exist. A read that was in flight while a role was
 * written does not fill the cache (the generation moved on). Bounded by the number of real roles (unknown role IDs
 * never reach it); past `maxRoles` the oldest is dropped and read again when next needed.
 */
export class RoleCache {
  private readonly roles: ReadThroughCache<string, RoleEntry | null>;

  constructor(maxRoles = 10_000) {
    this.roles = new ReadThroughCache(maxRoles);
  }

  /** The role (frozen: copy before changing), or null when it does not exist. */
  get(storage: Storage, name: string): Promise<RoleEntry | null> {
    const key = name.toLowerCase();
    return this.roles.get(key, async () => deepFreeze(await readRole(storage, key)), (role) => role !== null);
  }

  /** `role` was stored (its batch is durable). */
  saved(role: RoleEntry): void {
    this.roles.set(role.name.toLowerCase(), deepFreeze(structuredClone(role)));
  }

  /** The role `name` was deleted (its batch is durable). */
  deleted(name: string): void {
    this.roles.delete(name.toLowerCase());
  }
}

/**
 * Secret IDs without a use limit, by storage key, for logins (a secret ID with uses left is always read under its
 * lock, so that every use is counted). Every change of a secret ID — destroy, tidy, role deletion, expiry at login,
 * re-issue — happens under its lock (`SecretIdLocks`), which forgets the key when the locked section ends; logins
 * that delete an expired secret ID without the lock call `forget` themselves. Absent secret IDs are never cached,
 * so a wrong secret ID costs a storage read whether or not the role exists. Bounded, oldest dropped first.
 */
export class SecretIdCache {
  private readonly entries: ReadThroughCache<string, SecretIdEntry | null>;

  constructor(maxEntries = 10_000) {
    this.entries = new ReadThroughCache(maxEntries);
  }

  /** The secret ID at `key` (frozen: copy before changing), or null when absent. */
  get(storage: Storage, key: string): Promise<SecretIdEntry | null> {
    return this.entries.get(key, async () => deepFreeze(await getJSON<SecretIdEntry>(storage, key)), (entry) => entry !== null && entry.numUses === 0);
  }

  /** The secret ID at `key` may have changed: drop it, and keep reads in flight from caching what they found. */
  forget(key: string): void {
    this.entries.delete(key);
  }
}

/**
 * The per-secret-ID lock (a `KeyedLock`) that also keeps the secret-ID cache honest: whatever a locked section did
 * to the secret ID, its cached entry is dropped when the section ends, so no login finds an old entry once the
 * change is done.
 */
export class SecretIdLocks {
  private readonly lock = new KeyedLock();

  constructor(private readonly cache: SecretIdCache) {}

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.lock.run(key, async () => {
      try {
        return await fn();
      } finally {
        this.cache.forget(key);
      }
    });
  }
}
