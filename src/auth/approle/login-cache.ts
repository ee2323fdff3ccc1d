import { getJSON, type Storage } from '../../framework/index.js';
import { KeyedLock } from '../../lib/keyed-lock.js';
import { BoundedMap } from '../../lib/bounded-map.js';
import { deepFreeze } from '../../lib/deep-freeze.js';
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
  private generation = 0;
  private readonly roles: BoundedMap<string, RoleEntry>;

  constructor(maxRoles = 10_000) {
    this.roles = new BoundedMap(maxRoles);
  }

  /** The role (frozen: copy before changing), or null when it does not exist. */
  async get(storage: Storage, name: string): Promise<RoleEntry | null> {
    const key = name.toLowerCase();
    const cached = this.roles.get(key);
    if (cached) return cached;
    const generation = this.generation;
    const role = await readRole(storage, key);
    if (role === null) return null;
    deepFreeze(role);
    if (generation === this.generation) this.roles.set(key, role);
    return role;
  }

  /** `role` was stored (its batch is durable). */
  saved(role: RoleEntry): void {
    this.generation++;
    this.roles.set(role.name.toLowerCase(), deepFreeze(structuredClone(role)));
  }

  /** The role `name` was deleted (its batch is durable). */
  deleted(name: string): void {
    this.generation++;
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
  private generation = 0;
  private readonly entries: BoundedMap<string, SecretIdEntry>;

  constructor(maxEntries = 10_000) {
    this.entries = new BoundedMap(maxEntries);
  }

  /** The secret ID at `key` (frozen: copy before changing), or null when absent. */
  async get(storage: Storage, key: string): Promise<SecretIdEntry | null> {
    const cached = this.entries.get(key);
    if (cached) return cached;
    const generation = this.generation;
    const entry = await getJSON<SecretIdEntry>(storage, key);
    if (entry === null) return null;
    deepFreeze(entry);
    if (entry.numUses === 0 && generation === this.generation) {
      this.entries.set(key, entry);
    }
    return entry;
  }

  /** The secret ID at `key` may have changed: drop it, and keep reads in flight from caching what they found. */
  forget(key: string): void {
    this.generation++;
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
