/**
 * A Map that holds at most `capacity` entries: setting a key makes it the newest, and past the cap the oldest entry
 * is dropped. The in-memory caches of the read paths use it so that none grows without bound.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly capacity: number) {
    super();
  }

  override set(key: K, value: V): this {
    super.delete(key);
    super.set(key, value);
    if (this.size > this.capacity) this.delete(this.keys().next().value as K);
    return this;
  }
}
