import { createHmac, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import type { Storage } from '../framework/storage.js';
import { getJSON } from '../framework/storage.js';
import { BoundedMap } from '../lib/bounded-map.js';
import { deepFreeze } from '../lib/deep-freeze.js';
import type { TokenEntry } from './token-entry.js';

export type { TokenEntry } from './token-entry.js';

const SALT_KEY = 'sys/token/salt';
const ID_PREFIX = 'sys/token/id/';
const ACCESSOR_PREFIX = 'sys/token/accessor/';
const PARENT_PREFIX = 'sys/token/parent/';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** The storage handle of a token: HMAC-SHA256 under the server's salt, hex. */
function hmacHandle(salt: KeyObject, token: string): string {
  return createHmac('sha256', salt).update(token).digest('hex');
}

/** Random base62 text from a CSPRNG (rejection sampling keeps it unbiased). */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

/**
 * Persistence of tokens: entries by salted hash, the accessor index and the parent → child index. Lookups hash the
 * presented token with a per-server salt (HMAC-SHA256) and read that key, so no stored value is ever compared
 * against the secret byte by byte.
 */
export class TokenStore {
  /** The per-server salt as an HMAC key, imported once instead of on every lookup. */
  private saltKey: KeyObject | null = null;
  /**
   * Decrypted entries by handle, so that a request does not pay a storage read and a decrypt for its token. Every
   * write and delete of an entry goes through this class and updates the cache; bounded, oldest evicted first.
   */
  private static readonly CACHE_MAX = 10_000;
  private readonly cache = new BoundedMap<string, TokenEntry>(TokenStore.CACHE_MAX);

  constructor(private readonly storage: Storage) {}

  private async getSalt(): Promise<KeyObject> {
    if (this.saltKey) return this.saltKey;
    let salt = await this.storage.get(SALT_KEY);
    if (!salt) {
      salt = randomBytes(32);
      await this.storage.put(SALT_KEY, salt);
    }
    this.saltKey = createSecretKey(salt);
    return this.saltKey;
  }

  /** Forgets the salt and the cache (on seal). */
  reset(): void {
    this.saltKey = null;
    this.cache.clear();
  }

  private remember(entry: TokenEntry): void {
    this.cache.set(entry.handle, entry);
  }

  async handleOf(token: string): Promise<string> {
    return hmacHandle(await this.getSalt(), token);
  }

  /** A new token value: `hvs.` + 24 base62 (service) or `hvb.` (batch). */
  static newToken(type: 'service' | 'batch'): string {
    return `${type === 'batch' ? 'hvb' : 'hvs'}.${randomBase62(24)}`;
  }

  static newAccessor(): string {
    return randomBase62(24);
  }

  /** The entry for a presented token, or null when unknown. Frozen: copy it before changing anything. */
  async lookup(token: string): Promise<Readonly<TokenEntry> | null> {
    if (token === '') return null;
    // The salt is loaded once per unseal: after that the handle is computed without another await.
    return this.byHandle(this.saltKey ? hmacHandle(this.saltKey, token) : await this.handleOf(token));
  }

  async byHandle(handle: string): Promise<Readonly<TokenEntry> | null> {
    const cached = this.cache.get(handle);
    if (cached) return cached;
    const entry = await getJSON<TokenEntry>(this.storage, ID_PREFIX + handle);
    if (entry) this.remember(deepFreeze(entry));
    return entry;
  }

  async byAccessor(accessor: string): Promise<Readonly<TokenEntry> | null> {
    if (accessor === '' || accessor.includes('/')) return null;
    const handle = await this.storage.get(ACCESSOR_PREFIX + accessor);
    return handle ? this.byHandle(handle.toString('utf8')) : null;
  }

  /** Writes a new entry with its accessor and parent index entries (and `extra` writes), atomically. */
  async create(entry: TokenEntry, extra: Parameters<Storage['batch']>[0] = []): Promise<void> {
    const ops: Parameters<Storage['batch']>[0] = [{ op: 'put', key: ID_PREFIX + entry.handle, value: Buffer.from(JSON.stringify(entry)) }, ...extra];
    if (entry.accessor) ops.push({ op: 'put', key: ACCESSOR_PREFIX + entry.accessor, value: Buffer.from(entry.handle) });
    if (entry.parentHandle) ops.push({ op: 'put', key: `${PARENT_PREFIX}${entry.parentHandle}/${entry.handle}`, value: Buffer.alloc(0) });
    await this.storage.batch(ops);
    this.remember(deepFreeze(structuredClone(entry)));
  }

  async save(entry: TokenEntry): Promise<void> {
    await this.storage.put(ID_PREFIX + entry.handle, Buffer.from(JSON.stringify(entry)));
    this.remember(deepFreeze(structuredClone(entry)));
  }

  /** Deletes an entry and its index entries (its children are the caller's business). */
  async remove(entry: Readonly<TokenEntry>): Promise<void> {
    const ops: Parameters<Storage['batch']>[0] = [{ op: 'delete', key: ID_PREFIX + entry.handle }];
    if (entry.accessor) ops.push({ op: 'delete', key: ACCESSOR_PREFIX + entry.accessor });
    if (entry.parentHandle) ops.push({ op: 'delete', key: `${PARENT_PREFIX}${entry.parentHandle}/${entry.handle}` });
    this.cache.delete(entry.handle);
    await this.storage.batch(ops);
    this.cache.delete(entry.handle);
  }

  /** Handles of the direct children of a token. */
  async children(handle: string): Promise<string[]> {
    return (await this.storage.list(`${PARENT_PREFIX}${handle}/`)).filter((k) => !k.endsWith('/'));
  }

  async dropChildIndex(parentHandle: string, childHandle: string): Promise<void> {
    await this.storage.delete(`${PARENT_PREFIX}${parentHandle}/${childHandle}`);
  }

  /** Every accessor (auth/token/accessors). */
  async accessors(): Promise<string[]> {
    return this.storage.list(ACCESSOR_PREFIX);
  }
}
