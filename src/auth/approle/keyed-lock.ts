/**
 * Serialises async work per key within one process. Logins read a secret ID's use count, decide, then write: two
 * logins interleaving across those awaits could both spend the last use. Vault holds a per-secret-ID lock for the
 * same reason. Only the active node serves writes, so a process-local lock suffices.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `fn` once every earlier `run` for the same key has settled; returns its result. */
  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release: () => void = () => undefined;
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
      // Forget the key once nobody queued behind us, so the map does not grow with every key ever locked.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
