import type { BatchOp, ListOptions, Physical, ScanRange, StoredEntry } from '../storage/physical.js';

export type { BatchOp, ListOptions, ScanRange, StoredEntry };

/**
 * Storage as an engine sees it: the `Physical` contract without `close`, encrypted by the barrier underneath and
 * scoped to the engine's own mount (a key `foo` is stored at `logical/<mount uuid>/foo`).
 */
export type Storage = Omit<Physical, 'close'>;

/** Reads a JSON value; null when absent. */
export async function getJSON<T>(storage: Storage, key: string): Promise<T | null> {
  const raw = await storage.get(key);
  return raw === null ? null : (JSON.parse(raw.toString('utf8')) as T);
}

export async function putJSON(storage: Storage, key: string, value: unknown): Promise<void> {
  await storage.put(key, Buffer.from(JSON.stringify(value), 'utf8'));
}

/** Every key below `prefix` at every depth (relative to `prefix`), walking the tree level by level. */
export async function listRecursive(storage: Storage, prefix: string): Promise<string[]> {
  const out: string[] = [];
  const pending = [prefix];
  while (pending.length > 0) {
    const dir = pending.pop() as string;
    for (const child of await storage.list(dir)) {
      if (child.endsWith('/')) pending.push(dir + child);
      else out.push((dir + child).slice(prefix.length));
    }
  }
  return out.sort();
}

/** Deletes every key below `prefix` in pages (used when a mount is disabled). */
export async function deletePrefix(storage: Storage, prefix: string, pageSize = 500): Promise<number> {
  let deleted = 0;
  for (;;) {
    const page = await storage.scan({ start: prefix, end: `${prefix}\u{10ffff}`, limit: pageSize });
    if (page.length === 0) return deleted;
    await storage.batch(page.map((e) => ({ op: 'delete' as const, key: e.key })));
    deleted += page.length;
  }
}

/** A view of `parent` under `prefix` (which ends with `/`). */
export function prefixedStorage(parent: Storage, prefix: string): Storage {
  const strip = (e: StoredEntry): StoredEntry => ({ key: e.key.slice(prefix.length), value: e.value });
  return {
    get: (key) => parent.get(prefix + key),
    put: (key, value) => parent.put(prefix + key, value),
    delete: (key) => parent.delete(prefix + key),
    list: (p, options) => {
      const opts: ListOptions = { ...options };
      return parent.list(prefix + p, opts);
    },
    scan: async (range) =>
      (await parent.scan({ ...range, start: prefix + range.start, end: prefix + range.end })).map(strip),
    batch: (ops) => parent.batch(ops.map((o) => ({ ...o, key: prefix + o.key }))),
  };
}
