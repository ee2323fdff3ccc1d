import { createHmac, randomBytes } from 'node:crypto';
import type { Storage } from '../framework/storage.js';
import { getJSON, putJSON } from '../framework/storage.js';

const SALT_KEY = 'sys/token/salt';
const ID_PREFIX = 'sys/token/id/';
const ACCESSOR_PREFIX = 'sys/token/accessor/';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** What is stored about a token. The token itself is never stored: only `handle`, its salted hash. */
export interface TokenEntry {
  handle: string;
  accessor: string;
  parentHandle: string;
  policies: string[];
  path: string;
  displayName: string;
  meta: Record<string, string>;
  /** Milliseconds since the epoch. */
  creationTime: number;
  /** Seconds; 0 = never expires. */
  ttl: number;
  explicitMaxTTL: number;
  numUses: number;
  period: number;
  renewable: boolean;
  type: 'service' | 'batch';
  entityId: string;
  orphan: boolean;
}

/** Cached entries are shared between requests, so they are frozen: a handler cannot change another's view. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
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
 * The token store's core: issue and look up tokens by salted hash. Lookups hash the presented token with a
 * per-server salt (HMAC-SHA256) and read that key, so no stored value is compared against the secret byte by byte.
 */
export class TokenStore {
  private salt: Buffer | null = null;
  /**
   * Decrypted entries by handle, so that a request does not pay a storage read and a decrypt for its token. Every
   * write and delete of an entry goes through this class and updates the cache; bounded, oldest evicted first.
   */
  private readonly cache = new Map<string, TokenEntry>();
  private static readonly CACHE_MAX = 10_000;

  constructor(private readonly storage: Storage) {}

  private async getSalt(): Promise<Buffer> {
    if (this.salt) return this.salt;
    const stored = await this.storage.get(SALT_KEY);
    if (stored) this.salt = stored;
    else {
      this.salt = randomBytes(32);
      await this.storage.put(SALT_KEY, this.salt);
    }
    return this.salt;
  }

  /** Forgets the cached salt (on seal). */
  reset(): void {
    this.salt = null;
    this.cache.clear();
  }

  private remember(entry: TokenEntry): void {
    this.cache.delete(entry.handle);
    this.cache.set(entry.handle, entry);
    if (this.cache.size > TokenStore.CACHE_MAX) this.cache.delete(this.cache.keys().next().value as string);
  }

  async handleOf(token: string): Promise<string> {
    return createHmac('sha256', await this.getSalt()).update(token).digest('hex');
  }

  /** Creates a root token (policies ["root"], never expires). `id` lets dev mode choose the value. */
  async createRoot(now: number, id?: string): Promise<{ token: string; entry: TokenEntry }> {
    const token = id ?? `hvs.${randomBase62(24)}`;
    const entry: TokenEntry = {
      handle: await this.handleOf(token),
      accessor: randomBase62(24),
      parentHandle: '',
      policies: ['root'],
      path: 'auth/token/root',
      displayName: 'root',
      meta: {},
      creationTime: now,
      ttl: 0,
      explicitMaxTTL: 0,
      numUses: 0,
      period: 0,
      renewable: false,
      type: 'service',
      entityId: '',
      orphan: true,
    };
    await this.storage.batch([
      { op: 'put', key: ID_PREFIX + entry.handle, value: Buffer.from(JSON.stringify(entry)) },
      { op: 'put', key: ACCESSOR_PREFIX + entry.accessor, value: Buffer.from(entry.handle) },
    ]);
    return { token, entry };
  }

  /** The entry for a presented token, or null when unknown. Frozen: copy it before changing anything. */
  async lookup(token: string): Promise<Readonly<TokenEntry> | null> {
    if (token === '') return null;
    const handle = await this.handleOf(token);
    const cached = this.cache.get(handle);
    if (cached) return cached;
    const entry = await getJSON<TokenEntry>(this.storage, ID_PREFIX + handle);
    if (entry) this.remember(deepFreeze(entry));
    return entry;
  }

  async save(entry: TokenEntry): Promise<void> {
    await putJSON(this.storage, ID_PREFIX + entry.handle, entry);
    this.remember(deepFreeze(structuredClone(entry)));
  }
}
