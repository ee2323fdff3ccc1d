import { assertValue, assertWritableKey, compareKeys } from './keys.js';
import type { BatchOp, ListOptions, Physical } from './physical.js';

/**
 * A unit of writes over a backend.
 *
 * - Writes are atomic: `commit` applies every pending put and delete, or none.
 * - Isolation is read-committed: reads see this transaction's own pending writes merged over whatever the backend
 *   holds at the moment of the read. Nothing is locked and nothing is checked at commit, so a concurrent writer's
 *   change to a key this transaction read may be overwritten (callers that need compare-and-set serialize
 *   themselves, e.g. with a per-key lock).
 * - After `commit` or `rollback` (whether it succeeded or not), every method rejects.
 */
export interface Transaction {
  /** The pending value if this transaction wrote `key` (null if it deleted it), else the backend's; null when absent. */
  get(key: string): Promise<Buffer | null>;
  /** Buffers a put; the value is copied, so later changes to `value` do not leak in. */
  put(key: string, value: Buffer): Promise<void>;
  /** Buffers a delete; deleting an absent key is fine. */
  delete(key: string): Promise<void>;
  /** `Physical.list` semantics over the backend with pending puts added and pending deletes removed. */
  list(prefix: string, options?: ListOptions): Promise<string[]>;
  /** Applies all pending writes through one `Physical.batch`. If it rejects, nothing was applied. */
  commit(): Promise<void>;
  /** Discards all pending writes. */
  rollback(): Promise<void>;
}

/** Starts a transaction over `physical` (buffered in memory until commit). */
export function beginTransaction(physical: Physical): Transaction {
  return new BufferedTransaction(physical);
}

/** A {@link Transaction} that buffers writes in memory and commits them with `physical.batch`. */
export class BufferedTransaction implements Transaction {
  /** Pending writes in the order they were first made; null marks a delete. */
  private readonly pending = new Map<string, Buffer | null>();
  private finished = false;

  constructor(private readonly physical: Physical) {}

  async get(key: string): Promise<Buffer | null> {
    this.check();
    const local = this.pending.get(key);
    if (local === undefined) return this.physical.get(key);
    return local === null ? null : Buffer.from(local);
  }

  async put(key: string, value: Buffer): Promise<void> {
    this.check();
    // Fail here rather than at commit, where the error would no longer point at the bad write.
    assertWritableKey(key);
    assertValue(value);
    this.pending.set(key, Buffer.from(value));
  }

  async delete(key: string): Promise<void> {
    this.check();
    this.pending.set(key, null);
  }

  async list(prefix: string, options?: ListOptions): Promise<string[]> {
    this.check();
    const after = options?.after;
    const limit = options?.limit ?? 0;
    const deletes = this.pendingUnder(prefix, null);
    // Each pending delete hides at most one backend entry, so `limit + deletes` backend entries always leave at
    // least `limit` survivors, and every entry up to the last one fetched is known.
    const fetched = await this.physical.list(prefix, { after, limit: limit > 0 ? limit + deletes.length : 0 });
    const entries = new Set<string>();
    for (const entry of fetched) {
      if (await this.survives(prefix + entry, deletes)) entries.add(entry);
    }
    for (const key of this.pendingUnder(prefix, 'put')) {
      const rest = key.slice(prefix.length);
      const slash = rest.indexOf('/');
      const entry = slash < 0 ? rest : rest.slice(0, slash + 1);
      if (after === undefined || compareKeys(entry, after) > 0) entries.add(entry);
    }
    const sorted = [...entries].sort(compareKeys);
    return limit > 0 ? sorted.slice(0, limit) : sorted;
  }

  async commit(): Promise<void> {
    this.check();
    this.finished = true;
    if (this.pending.size === 0) return;
    const ops: BatchOp[] = [];
    for (const [key, value] of this.pending) {
      ops.push(value === null ? { op: 'delete', key } : { op: 'put', key, value });
    }
    this.pending.clear();
    await this.physical.batch(ops);
  }

  async rollback(): Promise<void> {
    this.check();
    this.finished = true;
    this.pending.clear();
  }

  private check(): void {
    if (this.finished) throw new Error('transaction already committed or rolled back');
  }

  /** Pending keys strictly below `prefix` that are deletes (`null`) or puts (`'put'`). */
  private pendingUnder(prefix: string, kind: null | 'put'): string[] {
    const out: string[] = [];
    for (const [key, value] of this.pending) {
      if (key.length > prefix.length && key.startsWith(prefix) && (value === null) === (kind === null)) out.push(key);
    }
    return out;
  }

  /** Whether a backend entry (a key, or a folder ending in '/') still exists once pending deletes apply. */
  private async survives(path: string, deletes: string[]): Promise<boolean> {
    if (!path.endsWith('/')) return this.pending.get(path) !== null;
    const inside = deletes.filter((key) => key.startsWith(path));
    if (inside.length === 0) return true;
    // The folder is gone only if the deletes cover every key in it: reading one more key than there are deletes
    // settles it. `…/` → `…0` bounds exactly the keys starting with `path`.
    const rows = await this.physical.scan({ start: path, end: `${path.slice(0, -1)}0`, limit: inside.length + 1 });
    return rows.some((row) => this.pending.get(row.key) !== null);
  }
}
