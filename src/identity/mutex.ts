/**
 * Runs async critical sections one at a time, in call order. Identity writes read records and indexes, decide,
 * then write a batch: two of them interleaving across those awaits would, for instance, both find no alias for a
 * first login and create two entities. Vault holds one store-wide lock for the same reason. Only the active node
 * writes, so an in-process lock suffices.
 */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn);
    // The next section waits for this one to settle, whether it succeeded or not.
    this.tail = result.catch(() => undefined);
    return result;
  }
}
