import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { InmemPhysical } from './inmem/inmem-physical.js';
import type { Physical } from './physical.js';
import { SqlitePhysical } from './sqlite/sqlite-physical.js';

export type { BatchOp, ListOptions, Physical, ScanRange, StoredEntry } from './physical.js';
export { prefixEnd } from './physical.js';
export { InmemPhysical } from './inmem/inmem-physical.js';
export { compareKeys } from './keys.js';
export { SqlitePhysical } from './sqlite/sqlite-physical.js';
export { BufferedTransaction, beginTransaction } from './transaction.js';
export type { Transaction } from './transaction.js';

export type PhysicalConfig = { type: 'inmem' } | { type: 'sqlite'; path: string };

/**
 * Opens the backend a server config names. For sqlite, a missing parent directory is created owner-only (0700)
 * and the database file is made owner-only (0600) before SQLite opens it: it holds the sealed keyring, and the
 * WAL and shared-memory files SQLite creates beside it copy its mode. An existing directory's mode is left alone.
 */
export async function openPhysical(config: PhysicalConfig): Promise<Physical> {
  switch (config.type) {
    case 'inmem':
      return new InmemPhysical();
    case 'sqlite': {
      mkdirSync(dirname(config.path), { recursive: true, mode: 0o700 });
      // Create with 0600 so the file is never readable by others, even for an instant; chmod fixes an older file.
      closeSync(openSync(config.path, 'a', 0o600));
      chmodSync(config.path, 0o600);
      const physical = SqlitePhysical.open(config.path);
      try {
        await physical.settings(); // the writer thread has opened the file: a failure stops start-up, not a request
      } catch (err) {
        await physical.close().catch(() => undefined);
        throw err;
      }
      return physical;
    }
    default:
      throw new Error(`unknown storage type ${String((config as { type: unknown }).type)}`);
  }
}
