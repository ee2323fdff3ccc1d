import type { BatchOp, ListOptions, Physical, ScanRange, StoredEntry } from '../physical.js';
import { assertValue, assertWritableKey, closedError, compareKeys, listOneLevel } from '../keys.js';

/** Split a chunk once it reaches this many keys: inserts and deletes then move at most this many pointers. */
const MAX_CHUNK = 1024;

/**
 * Keys in byte order, held as a list of sorted chunks. One flat sorted array would make every insert and delete
 * O(n) (a splice); the lease due index inserts near the end and deletes at the front all day long.
 */
class SortedKeys {
  private readonly chunks: string[][] = [];

  /** Adds a key that is not present. */
  insert(key: string): void {
    if (this.chunks.length === 0) {
      this.chunks.push([key]);
      return;
    }
    const c = Math.min(this.chunkFor(key), this.chunks.length - 1);
    const chunk = this.chunks[c] as string[];
    chunk.splice(lowerBound(chunk, key), 0, key);
    if (chunk.length >= MAX_CHUNK) this.chunks.splice(c + 1, 0, chunk.splice(MAX_CHUNK / 2));
  }

  /** Removes a key that is present. */
  remove(key: string): void {
    const c = this.chunkFor(key);
    const chunk = this.chunks[c];
    if (chunk === undefined) return;
    const i = lowerBound(chunk, key);
    if (chunk[i] !== key) return;
    chunk.splice(i, 1);
    if (chunk.length === 0) this.chunks.splice(c, 1);
  }

  /** Keys `>= from` in order. The store must not change while the iterator is in use. */
  *from(from: string): Generator<string> {
    let c = this.chunkFor(from);
    let i = c < this.chunks.length ? lowerBound(this.chunks[c] as string[], from) : 0;
    for (; c < this.chunks.length; c++, i = 0) {
      const chunk = this.chunks[c] as string[];
      for (; i < chunk.length; i++) yield chunk[i] as string;
    }
  }

  clear(): void {
    this.chunks.length = 0;
  }

  /** Index of the first chunk whose last key is `>= key` (chunks.length when there is none). */
  private chunkFor(key: string): number {
    let lo = 0;
    let hi = this.chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const chunk = this.chunks[mid] as string[];
      if (compareKeys(chunk[chunk.length - 1] as string, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** Index of the first element of sorted `keys` that is `>= key`. */
function lowerBound(keys: string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareKeys(keys[mid] as string, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A sorted in-memory store: for tests and `-dev` mode. Keys sit in sorted chunks (binary search, so `scan` and
 * `list` cost O(log n + output) and writes O(log n + chunk)); values in a map. Values are copied in and out, so
 * callers cannot change stored bytes by mutating a Buffer. Every method runs synchronously under the promise, so
 * `batch` is trivially atomic.
 */
export class InmemPhysical implements Physical {
  private readonly keys = new SortedKeys();
  private readonly values = new Map<string, Buffer>();
  private closed = false;

  async get(key: string): Promise<Buffer | null> {
    this.check();
    const value = this.values.get(key);
    return value === undefined ? null : Buffer.from(value);
  }

  async put(key: string, value: Buffer): Promise<void> {
    this.check();
    assertWritableKey(key);
    assertValue(value);
    this.set(key, value);
  }

  async delete(key: string): Promise<void> {
    this.check();
    this.remove(key);
  }

  async list(prefix: string, options?: ListOptions): Promise<string[]> {
    this.check();
    return listOneLevel(prefix, options, (from) => this.keys.from(from));
  }

  async scan(range: ScanRange): Promise<StoredEntry[]> {
    this.check();
    const limit = range.limit ?? 0;
    const out: StoredEntry[] = [];
    for (const key of this.keys.from(range.start)) {
      if (compareKeys(key, range.end) >= 0) break;
      out.push({ key, value: Buffer.from(this.values.get(key) ?? Buffer.alloc(0)) });
      if (limit > 0 && out.length >= limit) break;
    }
    return out;
  }

  /** Applies `ops` in order (a put then a delete of the same key leaves it absent); all are validated first. */
  async batch(ops: BatchOp[]): Promise<void> {
    this.check();
    for (const op of ops) {
      if (op.op === 'put') {
        assertWritableKey(op.key);
        assertValue(op.value);
      } else if (op.op !== 'delete') {
        throw new TypeError(`unknown batch operation ${String((op as { op: unknown }).op)}`);
      }
    }
    for (const op of ops) {
      if (op.op === 'put') this.set(op.key, op.value);
      else this.remove(op.key);
    }
  }

  /** Drops all data. Idempotent; every other method rejects afterwards. */
  async close(): Promise<void> {
    this.closed = true;
    this.keys.clear();
    this.values.clear();
  }

  private check(): void {
    if (this.closed) throw closedError();
  }

  private set(key: string, value: Buffer): void {
    if (!this.values.has(key)) this.keys.insert(key);
    this.values.set(key, Buffer.from(value));
  }

  private remove(key: string): void {
    if (this.values.delete(key)) this.keys.remove(key);
  }
}
