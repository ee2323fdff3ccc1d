import type { BatchOp, EngineRequest, Storage } from '../../framework/index.js';
import { ReadThroughCache } from '../../lib/read-through-cache.js';
import { deepFreeze } from '../../lib/deep-freeze.js';
import { readMetadata, type KeyMetadata } from './store.js';

const METADATA_PREFIX = 'metadata/';

/**
 * Parsed metadata of recently read secrets on one kv v2 mount, so that reading a secret costs one storage read (its
 * version) instead of two. Metadata holds no secret values: it is what `metadata/<path>` shows (versions, times,
 * settings, custom metadata), never the data.
 *
 * It stays correct because every write of this engine passes through {@link MetadataCache.watch}'s storage view:
 * v2.ts hands that view to every handler and existence check, and the view drops a secret's entry before and after
 * any write of its metadata key. The cache belongs to one engine instance, so disabling, moving or re-versioning the
 * mount and sealing the server (which all drop the instance) start afresh. Entries are frozen and shared: readers
 * must not change them (writers read their own copy from storage under the key's lock).
 */
export class MetadataCache {
  /** A write of metadata moves its generation on: a read that overlapped one does not fill the cache. */
  private readonly entries: ReadThroughCache<string, Readonly<KeyMetadata> | null>;
  private readonly views = new WeakMap<Storage, Storage>();

  constructor(capacity = 4_096) {
    this.entries = new ReadThroughCache(capacity);
  }

  /** The cached metadata of a secret, if any (a hit costs no promise). */
  peek(path: string): Readonly<KeyMetadata> | undefined {
    return this.entries.peek(path) ?? undefined;
  }

  /** The secret's metadata (shared and frozen), or null when the secret does not exist. */
  read(storage: Storage, path: string): Promise<Readonly<KeyMetadata> | null> {
    return this.entries.get(path, async () => deepFreeze(await readMetadata(storage, path)), (meta) => meta !== null);
  }

  /** `req` with its storage replaced by the watching view (see the class comment). */
  bind(req: EngineRequest): EngineRequest {
    return { ...req, storage: this.watch(req.storage) };
  }

  /** A view of `storage` whose writes keep this cache in step. */
  watch(storage: Storage): Storage {
    let view = this.views.get(storage);
    if (!view) {
      view = this.makeView(storage);
      this.views.set(storage, view);
    }
    return view;
  }

  private makeView(storage: Storage): Storage {
    const written = async <T>(keys: readonly string[], write: () => Promise<T>): Promise<T> => {
      this.forget(keys);
      try {
        return await write();
      } finally {
        this.forget(keys);
      }
    };
    return {
      get: (key) => storage.get(key),
      list: (prefix, options) => storage.list(prefix, options),
      scan: (range) => storage.scan(range),
      put: (key, value) => written([key], () => storage.put(key, value)),
      delete: (key) => written([key], () => storage.delete(key)),
      batch: (ops: BatchOp[]) => written(ops.map((o) => o.key), () => storage.batch(ops)),
    };
  }

  private forget(keys: readonly string[]): void {
    for (const key of keys) if (key.startsWith(METADATA_PREFIX)) this.entries.delete(key.slice(METADATA_PREFIX.length));
  }
}
