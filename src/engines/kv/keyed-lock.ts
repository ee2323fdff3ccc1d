/**
 * Serialises async work per key within one process. Handlers read metadata, decide, then write: two requests for
 * the same key interleaving across those awaits would both write "version N+1" and defeat check-and-set. Vault
 * holds a per-key lock for the same reason. (Only the active node serves writes, so a process-local lock suffices.)
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
      // Forget the key once nobody queued behind us, so the map does not grow with every key ever written.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
