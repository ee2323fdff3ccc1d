import { BoundedMap } from './bounded-map.js';

/**
 * A bounded read-through cache whose fills cannot go stale. `get` loads a missing value outside any lock; a write
 * that happens meanwhile (`set`, `delete`, `clear`) moves the generation on, and the load that overlapped it then
 * returns its value without caching it. So the cache never holds a value older than the last write its owner
 * reported. The read-path caches (AppRole roles and secret IDs, identity records, kv metadata) share it.
 */
export class ReadThroughCache<K, V> {
  private generation = 0;
  private readonly entries: BoundedMap<K, V>;

  constructor(capacity: number) {
    this.entries = new BoundedMap(capacity);
  }

  /** The cached value, if any (a hit costs no promise). */
  peek(key: K): V | undefined {
    return this.entries.get(key);
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  /**
   * The cached value, or `load()`'s, which is cached when `keep` says so and no write came in between. A cached
   * value is found by `has`, so a kept `null` (a cached absence) is a hit too.
   */
  async get(key: K, load: () => Promise<V>, keep: (value: V) => boolean = () => true): Promise<V> {
    if (this.entries.has(key)) return this.entries.get(key) as V;
    const generation = this.generation;
    const value = await load();
    if (generation === this.generation && keep(value)) this.entries.set(key, value);
    return value;
  }

  /** `value` was written for `key` (the write is durable). */
  set(key: K, value: V): void {
    this.generation++;
    this.entries.set(key, value);
  }

  /** `key` was written or deleted: forget it. */
  delete(key: K): void {
    this.generation++;
    this.entries.delete(key);
  }

  /** Forgets everything. */
  clear(): void {
    this.generation++;
    this.entries.clear();
  }
}
