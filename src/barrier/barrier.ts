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
    const raw = await this.physical.get(DATA_PREFIX + key);
    return raw === null ? null : this.decrypt(key, raw);
  }

  async put(key: string, value: Buffer): Promise<void> {
    await this.physical.put(DATA_PREFIX + key, this.encrypt(key, value));
  }

  async delete(key: string): Promise<void> {
    this.ring();
    await this.physical.delete(DATA_PREFIX + key);
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
    await this.physical.batch(sealedOps);
  }
}
