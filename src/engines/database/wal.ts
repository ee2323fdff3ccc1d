import { getJSON, putJSON, type Storage } from '../../framework/index.js';

/**
 * Write-ahead records: written before a change at the database whose outcome Ward must be able to learn after a
 * crash, deleted once the change is recorded. Stored through the barrier, so the passwords in them are encrypted.
 */

/** A root password about to be set (rotate-root). */
export interface RootRotationWal {
  connection: string;
  connectionId: string;
  username: string;
  newPassword: string;
  createdAt: number;
}

/** A static role's password about to be set. */
export interface StaticRotationWal {
  role: string;
  username: string;
  newPassword: string;
  createdAt: number;
}

export const WAL_PREFIX = { root: 'wal/root/', static: 'wal/static/' } as const;
export type WalKind = keyof typeof WAL_PREFIX;

export async function putWal(storage: Storage, kind: WalKind, id: string, record: RootRotationWal | StaticRotationWal): Promise<void> {
  await putJSON(storage, WAL_PREFIX[kind] + id, record);
}

export async function getWal<T>(storage: Storage, kind: WalKind, id: string): Promise<T | null> {
  return getJSON<T>(storage, WAL_PREFIX[kind] + id);
}

export async function deleteWal(storage: Storage, kind: WalKind, id: string): Promise<void> {
  await storage.delete(WAL_PREFIX[kind] + id);
}

export async function listWal(storage: Storage, kind: WalKind): Promise<string[]> {
  return (await storage.list(WAL_PREFIX[kind])).filter((k) => !k.endsWith('/'));
}
