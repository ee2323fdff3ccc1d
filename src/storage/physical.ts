/**
 * The storage contract every backend implements (DESIGN.md, Storage). Keys are `/`-separated strings; values are
 * opaque bytes (the barrier above encrypts them). All methods may be called concurrently.
 */
export interface Physical {
  /** The value at `key`, or null when absent. */
  get(key: string): Promise<Buffer | null>;
  /** Creates or replaces the value at `key`. */
  put(key: string, value: Buffer): Promise<void>;
  /** Removes `key`. Deleting an absent key succeeds. */
  delete(key: string): Promise<void>;
  /**
   * One level below `prefix` (which is `""` or ends with `/`), sorted by byte order: a key `prefix + "a"` lists as
   * `a`, and any key `prefix + "b/…"` lists once as `b/`. `after` returns only entries strictly greater than it
   * (pagination), `limit` caps the count (0 or absent: no cap).
   */
  list(prefix: string, options?: ListOptions): Promise<string[]>;
  /**
   * Every key in `[start, end)` in byte order, at any depth, with its value; at most `limit` entries (the due-time
   * index of leases is read this way, page by page).
   */
  scan(range: ScanRange): Promise<StoredEntry[]>;
  /** Applies every operation or none. */
  batch(ops: BatchOp[]): Promise<void>;
  /** Releases files and connections. Later calls fail. */
  close(): Promise<void>;
}

export interface ListOptions {
  after?: string;
  limit?: number;
}

export interface ScanRange {
  /** Inclusive lower bound. */
  start: string;
  /** Exclusive upper bound. */
  end: string;
  limit?: number;
}

export interface StoredEntry {
  key: string;
  value: Buffer;
}

export type BatchOp = { op: 'put'; key: string; value: Buffer } | { op: 'delete'; key: string };

/** The smallest string greater than every string starting with `prefix` (for scans over a prefix). */
export function prefixEnd(prefix: string): string {
  return `${prefix}\u{10ffff}`;
}
