import { getJSON, putJSON, type BatchOp, type Storage } from '../../framework/index.js';

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

/** A dynamic user being created: dropped by the periodic clean-up if its creation never completed. */
export interface PendingUserWal {
  connection: string;
  connectionId: string;
  username: string;
  revocationStatements: string[];
  createdAt: number;
}

export const WAL_PREFIX = { root: 'wal/root/', static: 'wal/static/', pending: 'wal/pending/' } as const;
export type WalKind = keyof typeof WAL_PREFIX;

export async function putWal(storage: Storage, kind: WalKind, id: string, record: RootRotationWal | StaticRotationWal | PendingUserWal): Promise<void> {
  await putJSON(storage, WAL_PREFIX[kind] + id, record);
}

export async function getWal<T>(storage: Storage, kind: WalKind, id: string): Promise<T | null> {
  return getJSON<T>(storage, WAL_PREFIX[kind] + id);
}

export async function deleteWal(storage: Storage, kind: WalKind, id: string): Promise<void> {
  await storage.delete(WAL_PREFIX[kind] + id);
}

/** The write that deletes a pending-creation record, for a caller that commits it with other writes. */
export function pendingDeleteOp(id: string): BatchOp {
  return { op: 'delete', key: WAL_PREFIX.pending + id };
}

export async function listWal(storage: Storage, kind: WalKind): Promise<string[]> {
  return (await storage.list(WAL_PREFIX[kind])).filter((k) => !k.endsWith('/'));
}
