import type { Storage } from '../framework/storage.js';
import { getJSON, putJSON } from '../framework/storage.js';

/** One enabled device, as persisted (Vault's audit mount entry). The salt is kept apart, under `audit/<uuid>/salt`. */
export interface AuditTableEntry {
  /** With trailing slash: `file/`. */
  path: string;
  type: string;
  description: string;
  options: Record<string, string>;
  local: boolean;
  uuid: string;
  /** `audit_<type>_<8 hex>`, as Vault names audit accessors. */
  accessor: string;
}

/** Where the table lives in the barrier (Vault's key). */
export const AUDIT_TABLE_KEY = 'core/audit';
export const saltKey = (uuid: string): string => `audit/${uuid}/salt`;

/**
 * The audit table and the device salts, in barrier-encrypted storage. The salt is written before the table entry
 * that needs it, and deleted after the entry is gone, so a crash never leaves an entry without its salt.
 */
export class AuditTable {
  constructor(private readonly storage: Storage) {}

  async entries(): Promise<AuditTableEntry[]> {
    const table = await getJSON<{ entries: AuditTableEntry[] }>(this.storage, AUDIT_TABLE_KEY);
    return table?.entries ?? [];
  }

  async save(entries: readonly AuditTableEntry[]): Promise<void> {
    await putJSON(this.storage, AUDIT_TABLE_KEY, { type: 'audit', entries });
  }

  async salt(uuid: string): Promise<Buffer | null> {
    return this.storage.get(saltKey(uuid));
  }

  async putSalt(uuid: string, salt: Buffer): Promise<void> {
    await this.storage.put(saltKey(uuid), salt);
  }

  async deleteSalt(uuid: string): Promise<void> {
    await this.storage.delete(saltKey(uuid));
  }
}
