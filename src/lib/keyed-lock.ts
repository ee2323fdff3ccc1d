/**
 * Serialises async work per key within one process, for read-modify-write cycles over storage that has no
 * compare-and-swap: two requests for the same key interleaving across their awaits would both act on the same old
 * state (two kv writes both making "version N+1", two logins both spending a secret ID's last use). Vault holds
 * per-key locks for the same reasons. Only the active node serves writes, so a process-local lock suffices.
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
