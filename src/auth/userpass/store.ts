import { z } from 'zod';
import { getJSON, internalError, putJSON, type Storage, type TokenSettings } from '../../framework/index.js';

/** One user, stored as JSON at `user/<lowercase name>` (Vault's key layout). */
export interface UserRecord {
  /** Argon2id PHC string, or an imported bcrypt hash until the user's next login replaces it. Never the password. */
  passwordHash: string;
  token: TokenSettings;
}

const tokenSettingsSchema = z.object({
  tokenPolicies: z.array(z.string()),
  tokenTTL: z.number(),
  tokenMaxTTL: z.number(),
  tokenExplicitMaxTTL: z.number(),
  tokenPeriod: z.number(),
  tokenNumUses: z.number(),
  tokenNoDefaultPolicy: z.boolean(),
  tokenBoundCidrs: z.array(z.string()),
  tokenType: z.enum(['default', 'service', 'batch']),
});

const recordSchema = z.object({ passwordHash: z.string().min(1), token: tokenSettingsSchema });

export const USER_PREFIX = 'user/';

const keyOf = (name: string): string => `${USER_PREFIX}${name}`;

/** The user stored under the (already lowercased) `name`, or null. A damaged record is an internal error. */
export async function readUser(storage: Storage, name: string): Promise<UserRecord | null> {
  const raw = await getJSON<unknown>(storage, keyOf(name));
  if (raw === null) return null;
  const parsed = recordSchema.safeParse(raw);
  if (!parsed.success) throw internalError(`stored user "${name}" is damaged`);
  return parsed.data;
}

export async function writeUser(storage: Storage, name: string, record: UserRecord): Promise<void> {
  await putJSON(storage, keyOf(name), recordSchema.parse(record));
}

export async function deleteUser(storage: Storage, name: string): Promise<void> {
  await storage.delete(keyOf(name));
}

export async function listUsers(storage: Storage): Promise<string[]> {
  return storage.list(USER_PREFIX);
}
