import { getJSON, type Storage } from '../framework/storage.js';
import { ReadThroughCache } from '../lib/read-through-cache.js';
import { deepFreeze } from '../lib/deep-freeze.js';

/**
 * Decoded identity records and index listings, by storage key, for the reads every login and every authenticated
 * request makes (alias → entity → groups). Every identity write runs under the store's lock and calls
 * `invalidate()` when it is done, which empties the cache. A read that was in flight while a write happened does
 * not fill the cache (the generation moved on), so the cache never holds a value older than the last write.
 * Bounded; the oldest entries are dropped first.
 */
export class IdentityReadCache {
  private readonly values: ReadThroughCache<string, unknown>;
  private readonly lists: ReadThroughCache<string, readonly string[]>;

  constructor(
    private readonly storage: Storage,
    maxEntries = 10_000,
  ) {
    this.values = new ReadThroughCache(maxEntries);
    this.lists = new ReadThroughCache(maxEntries);
  }

  /** The JSON value at `key`, frozen (never change it), or null when absent; absence is cached too. */
  async get<T>(key: string): Promise<T | null> {
    return (await this.values.get(key, async () => deepFreeze(await getJSON<T>(this.storage, key)))) as T | null;
  }

  /** One level below `prefix`, as `storage.list` returns it (frozen). */
  list(prefix: string): Promise<readonly string[]> {
    return this.lists.get(prefix, async () => Object.freeze(await this.storage.list(prefix)));
  }

  /** Forgets everything; reads still in flight will not fill the cache. Called after every write, and on seal. */
  invalidate(): void {
    this.values.clear();
    this.lists.clear();
  }
}
