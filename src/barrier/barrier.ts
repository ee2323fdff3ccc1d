import { randomBytes } from 'node:crypto';
import type { BatchOp, ListOptions, Physical, ScanRange, StoredEntry } from '../storage/physical.js';
import type { Storage } from '../framework/storage.js';
import { WardError, sealedError } from '../lib/errors.js';
import { open, seal, termOf } from './aead.js';
import { Keyring } from './keyring.js';

/** Physical keys of the seal material, outside the encrypted space. */
export const SEAL_PREFIX = 'seal/';
const ROOT_KEY = 'seal/root-key';
const KEYRING = 'seal/keyring';
/** Every barrier-encrypted value lives under this physical prefix; logical key `k` is physical `v/k`. */
const DATA_PREFIX = 'v/';

/**
 * Recently read ciphertexts by physical key, so that hot values (a kv secret and its metadata) cost no storage
 * round trip. Like Vault's physical cache, it holds exactly what storage holds (sealed values, opened on every read),
 * so it keeps nothing in memory that the disk does not; it is bounded in bytes and entries, least recently used out.
 */
class CiphertextCache {
  private readonly entries = new Map<string, Buffer>();
  private bytes = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly maxEntries: number,
  ) {}

  get(key: string): Buffer | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: Buffer): void {
    const size = key.length + value.length;
    if (size > this.maxBytes / 64) return;
    this.delete(key);
    this.entries.set(key, value);
    this.bytes += size;
    while (this.bytes > this.maxBytes || this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.delete(oldest);
    }
  }

  delete(key: string): void {
    const value = this.entries.get(key);
    if (value === undefined) return;
    this.entries.delete(key);
    this.bytes -= key.length + value.length;
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }
}

/**
 * Auth methods' storage is never cached here: a login must cost the same storage work whether or not the role ID or
 * user it names exists (or was used recently), and a cache below them would make a known, hot key answer faster
 * than an unknown one. Auth methods keep their own caches where that property allows it (AppRole's roles).
 */
function cacheable(logicalKey: string): boolean {
  return !logicalKey.startsWith('auth/');
}

export interface KeyStatus {
  term: number;
  installTime: number;
  /** Encryptions with the active term since this process unsealed. */
  encryptions: number;
}

/**
 * The encryption barrier (DESIGN.md, Storage: physical → barrier → view). Sealed, every call fails with the
 * `sealed` error. Unsealed, values are AES-256-GCM encrypted with the keyring's active term and the logical key as
 * AAD. The keyring is encrypted with the root key, and the root key with the unseal key that the Shamir shares
 * reconstruct.
 */
export class Barrier implements Storage {
  private keyring: Keyring | null = null;
  /** Kept while unsealed so that rotation can re-encrypt the keyring; wiped on seal. */
  private rootKey: Buffer | null = null;
  private encryptions = 0;
  private readonly cache = new CiphertextCache(32 * 1024 * 1024, 65_536);
  /**
   * Bumped when a write starts and when it ends: a read that overlapped a write does not fill the cache, since what
   * it read may be the value being replaced.
   */
  private writeGeneration = 0;

  constructor(private readonly physical: Physical) {}

  get sealed(): boolean {
    return this.keyring === null;
  }

  /** Creates a root key and a first keyring, protected by `unsealKey`. Leaves the barrier sealed. */
  async initialize(unsealKey: Buffer, now: number): Promise<void> {
    const rootKey = randomBytes(32);
    const keyring = Keyring.create(now);
    await this.physical.batch([
      { op: 'put', key: ROOT_KEY, value: seal(unsealKey, 0, ROOT_KEY, rootKey) },
      { op: 'put', key: KEYRING, value: seal(rootKey, 0, KEYRING, keyring.serialize()) },
    ]);
    rootKey.fill(0);
    keyring.wipe();
  }

  /** Opens the barrier; throws `invalid_request` when the unseal key is wrong. */
  async unseal(unsealKey: Buffer): Promise<void> {
    if (this.keyring) return;
    const sealedRoot = await this.physical.get(ROOT_KEY);
    const sealedRing = await this.physical.get(KEYRING);
    if (!sealedRoot || !sealedRing) throw new WardError('not_initialized', 'Vault is not initialized');
    let rootKey: Buffer;
    try {
      rootKey = open(unsealKey, ROOT_KEY, sealedRoot);
    } catch {
      throw new WardError('invalid_request', 'the unseal keys do not open this server\'s root key (wrong or mixed shares)');
    }
    try {
      this.keyring = Keyring.deserialize(open(rootKey, KEYRING, sealedRing));
    } catch (err) {
      rootKey.fill(0);
      throw err;
    }
    this.rootKey = rootKey;
    this.encryptions = 0;
  }

  /** Forgets every key in memory. */
  seal(): void {
    this.cache.clear();
    this.writeGeneration++;
    this.keyring?.wipe();
    this.keyring = null;
    this.rootKey?.fill(0);
    this.rootKey = null;
  }

  /** Adds a key term and makes it active (sys/rotate); values under older terms stay readable. */
  async rotate(now: number): Promise<KeyStatus> {
    const ring = this.ring();
    const rootKey = this.rootKey as Buffer;
    const next = ring.rotated(now);
    await this.physical.put(KEYRING, seal(rootKey, 0, KEYRING, next.serialize()));
    this.keyring = next;
    this.encryptions = 0;
    return this.keyStatus();
  }

  keyStatus(): KeyStatus {
    const active = this.ring().active();
    return { term: active.term, installTime: active.installTime, encryptions: this.encryptions };
  }

  private ring(): Keyring {
    if (!this.keyring) throw sealedError();
    return this.keyring;
  }

  private encrypt(key: string, value: Buffer): Buffer {
    const active = this.ring().active();
    this.encryptions++;
    return seal(active.key, active.term, key, value);
  }

  private decrypt(key: string, value: Buffer): Buffer {
    const ring = this.ring();
    const term = termOf(value);
    const k = term === undefined ? undefined : ring.get(term);
    if (!k) throw new WardError('internal', `stored value at "${key}" has an unknown key term`);
    try {
      return open(k.key, key, value);
    } catch {
      // Wrong AAD (a value moved between keys), tampering, or corruption: never return it.
      throw new WardError('internal', `stored value at "${key}" failed authentication`);
    }
  }

  async get(key: string): Promise<Buffer | null> {
    this.ring();
    const physicalKey = DATA_PREFIX + key;
    // Opened on every read: the cache holds ciphertext only, and a value is checked against its key every time.
    const cached = this.cache.get(physicalKey);
    if (cached !== undefined) return this.decrypt(key, cached);
    const generation = this.writeGeneration;
    const raw = await this.physical.get(physicalKey);
    if (raw === null) return null;
    const plain = this.decrypt(key, raw);
    if (generation === this.writeGeneration && cacheable(key)) this.cache.set(physicalKey, raw);
    return plain;
  }

  async put(key: string, value: Buffer): Promise<void> {
    const physicalKey = DATA_PREFIX + key;
    const sealed = this.encrypt(key, value);
    this.forget(physicalKey);
    try {
      await this.physical.put(physicalKey, sealed);
    } finally {
      this.forget(physicalKey);
    }
  }

  async delete(key: string): Promise<void> {
    this.ring();
    const physicalKey = DATA_PREFIX + key;
    this.forget(physicalKey);
    try {
      await this.physical.delete(physicalKey);
    } finally {
      this.forget(physicalKey);
    }
  }

  /**
   * Drops `keys` from the cache; every write calls it before it starts and again once it has settled (committed or
   * failed), so that no read served from the cache after the write returns can show the old value.
   */
  private forget(keys: string | readonly string[]): void {
    this.writeGeneration++;
    if (typeof keys === 'string') this.cache.delete(keys);
    else for (const k of keys) this.cache.delete(k);
  }

  async list(prefix: string, options?: ListOptions): Promise<string[]> {
    this.ring();
    return this.physical.list(DATA_PREFIX + prefix, options);
  }

  async scan(range: ScanRange): Promise<StoredEntry[]> {
    this.ring();
    const rows = await this.physical.scan({ ...range, start: DATA_PREFIX + range.start, end: DATA_PREFIX + range.end });
    return rows.map((r) => {
      const key = r.key.slice(DATA_PREFIX.length);
      return { key, value: this.decrypt(key, r.value) };
    });
  }

  async batch(ops: BatchOp[]): Promise<void> {
    const sealedOps: BatchOp[] = ops.map((o) =>
      o.op === 'put' ? { op: 'put', key: DATA_PREFIX + o.key, value: this.encrypt(o.key, o.value) } : { op: 'delete', key: DATA_PREFIX + o.key },
    );
    const keys = sealedOps.map((o) => o.key);
    this.forget(keys);
    try {
      await this.physical.batch(sealedOps);
    } finally {
      this.forget(keys);
    }
  }
}
