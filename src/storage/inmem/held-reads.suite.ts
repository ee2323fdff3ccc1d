import { prefixedStorage, type Storage } from '../../framework/index.js';
import { InmemPhysical } from './inmem-physical.js';

/**
 * Test support (excluded from the build): in-memory storage under `prefix` that records its reads and lists, and
 * can hold reads (after they have read) until the test releases them — to interleave a cache's read with a write.
 */
export function heldReadsStorage(prefix: string): {
  storage: Storage;
  /** Keys read, in order. */
  reads: string[];
  /** `get <key>` and `list <prefix>`, in order. */
  calls: string[];
  hold(): void;
  release(): Promise<void>;
} {
  const inner = prefixedStorage(new InmemPhysical(), prefix);
  const reads: string[] = [];
  const calls: string[] = [];
  let gate: Promise<void> | null = null;
  let open: () => void = () => undefined;
  return {
    reads,
    calls,
    storage: {
      ...inner,
      get: async (key) => {
        reads.push(key);
        calls.push(`get ${key}`);
        const value = await inner.get(key);
        if (gate) await gate;
        return value;
      },
      list: async (prefix, options) => {
        calls.push(`list ${prefix}`);
        return inner.list(prefix, options);
      },
    },
    hold() {
      gate = new Promise((resolve) => {
        open = resolve;
      });
    },
    async release() {
      gate = null;
      open();
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}
