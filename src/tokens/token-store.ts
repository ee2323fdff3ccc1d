import { createHmac, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { randomFill } from '../lib/random-pool.js';
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
/** First byte of a one-row entry (JSON); a two-row accessor row holds a hex handle instead. */
const OPEN_BRACE = 0x7b;

/** A one-row entry read at the key `handle` derives; null unless it is that token's entry (fail closed). */
function compactEntry(value: Buffer, handle: string): TokenEntry | null {
  if (value[0] !== OPEN_BRACE) return null;
  const entry = JSON.parse(value.toString('utf8')) as TokenEntry;
  return entry.handle === handle ? entry : null;
}

/** The storage handle of a token: HMAC-SHA256 under the server's salt, hex. */
function hmacHandle(salt: KeyObject, token: string): string {
  return createHmac('sha256', salt).update(token).digest('hex');
}

/**
 * The accessor of a token stored in the one-row layout: base62 of HMAC-SHA256(accessor key, handle), 24 characters
 * like a random accessor. The accessor key is derived from the token salt for this use only (so no accessor is ever
 * the HMAC of something under the key that makes handles). Only the server can compute an accessor, from the handle,
 * itself a one-way function of the token; an accessor reveals neither. Tokens with a chosen ID get a random accessor
 * instead (see `TokenService.create`), so a revoked and re-created ID never takes over its predecessor's accessor.
 */
function derivedAccessor(accessorKey: KeyObject, handle: string): string {
  let out = '';
  for (let round = 0; out.length < 24; round++) {
    // Rejection sampling as in randomBase62: 32 bytes almost always give 24 characters; another round if not.
    const digest = createHmac('sha256', accessorKey).update(round === 0 ? handle : `${handle}:${round}`).digest();
    for (const byte of digest) if (byte < 248 && out.length < 24) out += BASE62[byte % 62];
  }
  return out;
}

/** Scratch space for `randomBase62`'s random bytes (zeroed after each use: they spell a token). */
const scratch = Buffer.alloc(128);

/** Random base62 text from a CSPRNG (rejection sampling keeps it unbiased). */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    // Two bytes per character leave room for the rejected ones (8 in 256), so one round almost always suffices.
    const n = Math.min(scratch.length, (length - out.length) * 2);
    randomFill(scratch, 0, n);
    for (let i = 0; i < n && out.length < length; i++) {
      const byte = scratch[i] as number;
      if (byte < 248) out += BASE62[byte % 62];
    }
    scratch.fill(0, 0, n);
  }
  return out;
}

/**
 * Persistence of tokens: entries by salted hash, the accessor index and the parent → child index. Lookups hash the
 * presented token with a per-server salt (HMAC-SHA256) and read that key, so no stored value is ever compared
 * against the secret byte by byte.
 *
 * Two layouts. A service token with a generated ID is one row: its entry under `sys/token/accessor/<accessor>`,
 * where the accessor is derived from the handle (`derivedAccessor`), so a lookup by token computes the key from the
 * handle and a lookup by accessor reads the same row. That is one sealed value and one B-tree row per new token
 * instead of two (a login's commit writes a random leaf page per row). Other tokens (batch tokens, which have no
 * accessor; tokens with a chosen ID; every token written before this layout) keep the entry under
 * `sys/token/id/<handle>` with, for an accessor, a row `sys/token/accessor/<accessor>` holding the handle. Reads
 * try the one-row key first, then the other; writes keep each token in the layout it has.
 */
export class TokenStore {
  /** The per-server salt as an HMAC key, imported once instead of on every lookup. */
  private saltKey: KeyObject | null = null;
  /** The key of derived accessors (`derivedAccessor`), made from the salt with it. */
  private accessorKey: KeyObject | null = null;
  /**
   * Decrypted entries by handle, so that a request does not pay a storage read and a decrypt for its token. Every
   * write and delete of an entry goes through this class and updates the cache; bounded, oldest evicted first. A
   * write caches the JSON it stored, not an object: the frozen copy is made on the entry's first lookup, so a token
   * that is never used (or is evicted first) costs no clone and no freeze.
   */
  private static readonly CACHE_MAX = 10_000;
  private readonly cache = new BoundedMap<string, Readonly<TokenEntry> | string>(TokenStore.CACHE_MAX);

  /** Accessors just derived for new tokens, so that storing the token does not compute the HMAC again. */
  private readonly recentlyDerived = new BoundedMap<string, string>(256);

  constructor(private readonly storage: Storage) {}

  private async getSalt(): Promise<KeyObject> {
    if (this.saltKey) return this.saltKey;
    let salt = await this.storage.get(SALT_KEY);
    if (!salt) {
      salt = randomBytes(32);
      await this.storage.put(SALT_KEY, salt);
    }
    this.accessorKey = createSecretKey(createHmac('sha256', salt).update('ward token accessor key').digest());
    this.saltKey = createSecretKey(salt);
    return this.saltKey;
  }

  private async getAccessorKey(): Promise<KeyObject> {
    if (!this.accessorKey) await this.getSalt();
    return this.accessorKey as KeyObject;
  }

  /** Forgets the salt and the cache (on seal). */
  reset(): void {
    this.saltKey = null;
    this.accessorKey = null;
    this.cache.clear();
    this.recentlyDerived.clear();
  }

  /** Caches `entry` (frozen), or the JSON just stored for `handle`, to be parsed on first use. */
  private remember(handle: string, entry: Readonly<TokenEntry> | string): void {
    this.cache.set(handle, entry);
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
    if (typeof cached === 'string') {
      // Parsed from what was stored, so it is exactly what a read from storage would give.
      const entry = deepFreeze(JSON.parse(cached) as TokenEntry);
      this.remember(handle, entry);
      return entry;
    }
    if (cached) return cached;
    const compact = await this.storage.get(ACCESSOR_PREFIX + derivedAccessor(await this.getAccessorKey(), handle));
    let entry = compact ? compactEntry(compact, handle) : null;
    entry ??= await getJSON<TokenEntry>(this.storage, ID_PREFIX + handle);
    if (entry) this.remember(handle, deepFreeze(entry));
    return entry;
  }

  async byAccessor(accessor: string): Promise<Readonly<TokenEntry> | null> {
    if (accessor === '' || accessor.includes('/')) return null;
    const value = await this.storage.get(ACCESSOR_PREFIX + accessor);
    if (!value) return null;
    if (value[0] !== OPEN_BRACE) return this.byHandle(value.toString('utf8')); // two-row layout: the value is the handle
    const entry = JSON.parse(value.toString('utf8')) as TokenEntry;
    // A one-row entry must be at its own accessor's key, and that key must be the one its handle derives.
    if (entry.accessor !== accessor || derivedAccessor(await this.getAccessorKey(), entry.handle) !== accessor) return null;
    const cached = this.cache.get(entry.handle);
    if (cached) return this.byHandle(entry.handle); // the cache is kept in step with every write: share its object
    this.remember(entry.handle, deepFreeze(entry));
    return entry;
  }

  /** The accessor a new service token with a generated ID gets (stored in the one-row layout). */
  async accessorFor(handle: string): Promise<string> {
    const accessor = derivedAccessor(await this.getAccessorKey(), handle);
    this.recentlyDerived.set(handle, accessor);
    return accessor;
  }

  /** Where `entry` lives: the one-row key when its accessor is the one its handle derives, else by handle. */
  private async entryKey(entry: Readonly<TokenEntry>): Promise<string> {
    if (entry.accessor === '') return ID_PREFIX + entry.handle;
    const derived = this.recentlyDerived.get(entry.handle) ?? derivedAccessor(await this.getAccessorKey(), entry.handle);
    return derived === entry.accessor ? ACCESSOR_PREFIX + entry.accessor : ID_PREFIX + entry.handle;
  }

  /** Writes a new entry with its accessor and parent index entries (and `extra` writes), atomically. */
  async create(entry: TokenEntry, extra: Parameters<Storage['batch']>[0] = []): Promise<void> {
    const json = JSON.stringify(entry);
    const key = await this.entryKey(entry);
    const ops: Parameters<Storage['batch']>[0] = [{ op: 'put', key, value: Buffer.from(json) }, ...extra];
    if (entry.accessor && key !== ACCESSOR_PREFIX + entry.accessor) ops.push({ op: 'put', key: ACCESSOR_PREFIX + entry.accessor, value: Buffer.from(entry.handle) });
    if (entry.parentHandle) ops.push({ op: 'put', key: `${PARENT_PREFIX}${entry.parentHandle}/${entry.handle}`, value: Buffer.alloc(0) });
    await this.storage.batch(ops);
    this.remember(entry.handle, json);
  }

  async save(entry: TokenEntry): Promise<void> {
    const json = JSON.stringify(entry);
    await this.storage.put(await this.entryKey(entry), Buffer.from(json));
    this.remember(entry.handle, json);
  }

  /** Deletes an entry and its index entries, in either layout (its children are the caller's business). */
  async remove(entry: Readonly<TokenEntry>): Promise<void> {
    const key = await this.entryKey(entry);
    const ops: Parameters<Storage['batch']>[0] = [{ op: 'delete', key }];
    if (entry.accessor && key !== ACCESSOR_PREFIX + entry.accessor) ops.push({ op: 'delete', key: ACCESSOR_PREFIX + entry.accessor });
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
