/**
 * Serialises read-modify-write cycles on one key within this process. Storage has no compare-and-swap, and a
 * user record is rewritten by several paths (create/update, password, policies, the rehash after a login); without
 * this, a login's rehash could put back the password an administrator had just changed.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      // Forget the key once nobody queued behind us, so the map does not grow with every username ever seen.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
