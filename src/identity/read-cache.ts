import { getJSON, type Storage } from '../framework/storage.js';
import { BoundedMap } from '../lib/bounded-map.js';
import { deepFreeze } from '../lib/deep-freeze.js';

/**
 * Decoded identity records and index listings, by storage key, for the reads every login and every authenticated
 * request makes (alias → entity → groups). Every identity write runs under the store's lock and calls
 * `invalidate()` when it is done, which empties the cache. A read that was in flight while a write happened does
 * not fill the cache (the generation moved on), so the cache never holds a value older than the last write.
 * Bounded; the oldest entries are dropped first.
 */
export class IdentityReadCache {
  private generation = 0;
  private readonly values: BoundedMap<string, unknown>;
  private readonly lists: BoundedMap<string, readonly string[]>;

  constructor(
    private readonly storage: Storage,
    maxEntries = 10_000,
  ) {
    this.values = new BoundedMap(maxEntries);
    this.lists = new BoundedMap(maxEntries);
  }

  /** The JSON value at `key`, frozen (never change it), or null when absent; absence is cached too. */
  async get<T>(key: string): Promise<T | null> {
    if (this.values.has(key)) return this.values.get(key) as T | null;
    const generation = this.generation;
    const value = deepFreeze(await getJSON<T>(this.storage, key));
    if (generation === this.generation) this.values.set(key, value);
    return value;
  }

  /** One level below `prefix`, as `storage.list` returns it (frozen). */
  async list(prefix: string): Promise<readonly string[]> {
    const cached = this.lists.get(prefix);
    if (cached) return cached;
    const generation = this.generation;
    const keys = Object.freeze(await this.storage.list(prefix));
    if (generation === this.generation) this.lists.set(prefix, keys);
    return keys;
  }

  /** Forgets everything; reads still in flight will not fill the cache. Called after every write, and on seal. */
  invalidate(): void {
    this.generation++;
    this.values.clear();
    this.lists.clear();
  }
}
