import { getJSON, invalidRequest, type BatchOp, type Storage, type TokenSettings } from '../../framework/index.js';
import type { Hasher } from './hmac.js';

/**
 * Storage layout of an AppRole mount (all below the mount's view):
 *
 * - `salt`                                  the 32-byte HMAC salt (hmac.ts)
 * - `role/<lowercase name>`                 RoleEntry
 * - `role_id/<hmac(role_id)>`               RoleIdIndex: login finds the role from its role ID
 * - `secret_id/<hmac(role)>/<hmac(secret)>` SecretIdEntry: secret IDs exist only as digests
 * - `accessor/<accessor>`                   AccessorIndex: accessor → the secret ID's digests
 */

/** Vault's `framework.GenericNameRegex`: word characters, with `-` and `.` inside. */
export const ROLE_NAME_PATTERN = '(?<role_name>\\w(?:[\\w.-]*\\w)?)';

/** Vault's `maxHmacInputLength`: role names and secret IDs longer than this are refused. */
export const MAX_HMAC_INPUT = 4096;

export interface RoleEntry {
  /** Lowercase: role names are case-insensitive, as in Vault (roles created since `lower_case_role_name`). */
  name: string;
  roleId: string;
  bindSecretId: boolean;
  secretIdBoundCidrs: string[];
  secretIdNumUses: number;
  /** Seconds; 0 = secret IDs never expire. */
  secretIdTTL: number;
  localSecretIds: boolean;
  token: TokenSettings;
}

export interface RoleIdIndex {
  name: string;
}

export interface SecretIdEntry {
  accessor: string;
  /** Logins left; 0 = unlimited. */
  numUses: number;
  /** Seconds, as requested (lookup shows it); the expiry below is what counts. */
  ttl: number;
  /** Milliseconds since the epoch. */
  creationTime: number;
  /** Milliseconds since the epoch; 0 = never. */
  expirationTime: number;
  lastUpdatedTime: number;
  metadata: Record<string, string>;
  cidrList: string[];
  tokenBoundCidrs: string[];
}

export interface AccessorIndex {
  roleDigest: string;
  secretIdDigest: string;
}

export const roleKey = (name: string): string => `role/${name.toLowerCase()}`;
export const roleIdKey = (roleIdDigest: string): string => `role_id/${roleIdDigest}`;
export const secretIdDir = (roleDigest: string): string => `secret_id/${roleDigest}/`;
export const secretIdKey = (roleDigest: string, secretIdDigest: string): string => `secret_id/${roleDigest}/${secretIdDigest}`;
export const accessorKey = (accessor: string): string => `accessor/${accessor}`;

/** The role's name as stored, after Vault's length rule. */
export function roleNameOf(captured: string): string {
  if (Buffer.byteLength(captured, 'utf8') > MAX_HMAC_INPUT) {
    throw invalidRequest(`role_name is longer than maximum of ${MAX_HMAC_INPUT} bytes`);
  }
  return captured.toLowerCase();
}

export function readRole(storage: Storage, name: string): Promise<RoleEntry | null> {
  return getJSON<RoleEntry>(storage, roleKey(name));
}

/** Operations deleting one secret ID and its accessor index together, so neither outlives the other. */
export function deleteSecretIdOps(roleDigest: string, secretIdDigest: string, accessor: string): BatchOp[] {
  return [
    { op: 'delete', key: secretIdKey(roleDigest, secretIdDigest) },
    { op: 'delete', key: accessorKey(accessor) },
  ];
}

/** Every secret ID of a role as `[digest, entry]`. */
export async function listSecretIds(storage: Storage, hasher: Hasher, roleName: string): Promise<Array<[string, SecretIdEntry]>> {
  const roleDigest = hasher.mac(roleName);
  const out: Array<[string, SecretIdEntry]> = [];
  for (const digest of await storage.list(secretIdDir(roleDigest))) {
    if (digest.endsWith('/')) continue;
    const entry = await getJSON<SecretIdEntry>(storage, secretIdKey(roleDigest, digest));
    if (entry !== null) out.push([digest, entry]);
  }
  return out;
}

/** The zero time Vault prints for "never" (`expiration_time` of a secret ID without TTL). */
export const GO_ZERO_TIME = '0001-01-01T00:00:00Z';
