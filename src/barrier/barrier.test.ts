import { randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { InmemPhysical } from '../storage/inmem/inmem-physical.js';
import type { BatchOp } from '../storage/physical.js';
import { open, seal } from './aead.js';
import { Barrier } from './barrier.js';

/** An in-memory physical store that counts reads and can hold a read or a write until released. */
class GatedPhysical extends InmemPhysical {
  reads = 0;
  holdReads: Promise<void> | null = null;
  failWrites = false;

  override async get(key: string): Promise<Buffer | null> {
    this.reads++;
    const value = await super.get(key);
    if (this.holdReads) await this.holdReads;
    return value;
  }

  override async put(key: string, value: Buffer): Promise<void> {
    if (this.failWrites) throw new Error('disk full');
    await super.put(key, value);
  }

  override async batch(ops: BatchOp[]): Promise<void> {
    if (this.failWrites) throw new Error('disk full');
    await super.batch(ops);
  }
}

describe('Barrier', () => {
  let physical: InmemPhysical;
  let barrier: Barrier;
  const unsealKey = randomBytes(32);

  beforeEach(async () => {
    physical = new InmemPhysical();
    barrier = new Barrier(physical);
    await barrier.initialize(unsealKey, 1000);
    await barrier.unseal(unsealKey);
  });

  it('round-trips values and stores only ciphertext', async () => {
    await barrier.put('a/b', Buffer.from('top secret value'));
    expect((await barrier.get('a/b'))?.toString()).toBe('top secret value');
    const raw = await physical.get('v/a/b');
    expect(raw).not.toBeNull();
    expect(raw?.includes(Buffer.from('top secret'))).toBe(false);
  });

  it('refuses a ciphertext copied to another key (the key is bound as AAD)', async () => {
    await barrier.put('one', Buffer.from('value one'));
    await physical.put('v/two', (await physical.get('v/one')) as Buffer);
    await expect(barrier.get('two')).rejects.toMatchObject({ code: 'internal' });
    expect((await barrier.get('one'))?.toString()).toBe('value one');
  });

  it('refuses tampered ciphertext', async () => {
    await barrier.put('k', Buffer.from('value'));
    const raw = Buffer.from((await physical.get('v/k')) as Buffer);
    raw[raw.length - 20] = (raw[raw.length - 20] as number) ^ 1;
    await physical.put('v/k', raw);
    await expect(barrier.get('k')).rejects.toMatchObject({ code: 'internal' });
  });

  it('fails every call with the sealed error while sealed, and a wrong unseal key does not open it', async () => {
    barrier.seal();
    await expect(barrier.get('x')).rejects.toMatchObject({ code: 'sealed' });
    await expect(barrier.put('x', Buffer.from('y'))).rejects.toMatchObject({ code: 'sealed' });
    await expect(barrier.list('')).rejects.toMatchObject({ code: 'sealed' });
    await expect(barrier.unseal(randomBytes(32))).rejects.toMatchObject({ code: 'invalid_request' });
    expect(barrier.sealed).toBe(true);
    await barrier.unseal(unsealKey);
    expect(barrier.sealed).toBe(false);
  });

  it('rotation adds a term: new writes use it, old values stay readable, and the keyring survives a re-unseal', async () => {
    await barrier.put('old', Buffer.from('written under term 1'));
    expect(barrier.keyStatus().term).toBe(1);
    await barrier.rotate(2000);
    expect(barrier.keyStatus()).toMatchObject({ term: 2, installTime: 2000 });
    await barrier.put('new', Buffer.from('written under term 2'));
    expect(((await physical.get('v/new')) as Buffer).readUInt32BE(1)).toBe(2);
    expect(((await physical.get('v/old')) as Buffer).readUInt32BE(1)).toBe(1);
    barrier.seal();
    await barrier.unseal(unsealKey);
    expect(barrier.keyStatus().term).toBe(2);
    expect((await barrier.get('old'))?.toString()).toBe('written under term 1');
    expect((await barrier.get('new'))?.toString()).toBe('written under term 2');
  });

  it('a value from one server does not open with another server\'s keys', async () => {
    await barrier.put('k', Buffer.from('mine'));
    const other = new Barrier(new InmemPhysical());
    const otherKey = randomBytes(32);
    await other.initialize(otherKey, 0);
    await other.unseal(otherKey);
    const foreign = (await physical.get('v/k')) as Buffer;
    const otherPhysical = (other as unknown as { physical: InmemPhysical }).physical;
    await otherPhysical.put('v/k', foreign);
    await expect(other.get('k')).rejects.toMatchObject({ code: 'internal' });
  });

  describe('ciphertext cache', () => {
    let gated: GatedPhysical;
    let cached: Barrier;

    beforeEach(async () => {
      gated = new GatedPhysical();
      cached = new Barrier(gated);
      await cached.initialize(unsealKey, 1000);
      await cached.unseal(unsealKey);
      await cached.put('k', Buffer.from('one'));
      gated.reads = 0;
    });

    it('serves repeated reads of a value from memory, still opening it each time', async () => {
      for (let i = 0; i < 5; i++) expect((await cached.get('k'))?.toString()).toBe('one');
      expect(gated.reads).toBe(1);
    });

    it('never caches auth methods\' storage: a login costs the same storage read whether its key is hot or not', async () => {
      await cached.put('auth/uuid-approle/role_id/abc', Buffer.from('role'));
      gated.reads = 0;
      for (let i = 0; i < 3; i++) expect((await cached.get('auth/uuid-approle/role_id/abc'))?.toString()).toBe('role');
      expect(gated.reads).toBe(3);
    });

    it('caches only values that opened: a value that fails authentication is read from storage again', async () => {
      await gated.put('v/moved', (await gated.get('v/k')) as Buffer);
      await expect(cached.get('moved')).rejects.toMatchObject({ code: 'internal' });
      gated.reads = 0;
      await expect(cached.get('moved')).rejects.toMatchObject({ code: 'internal' });
      expect(gated.reads).toBe(1);
    });

    it('every write path is seen by the next read: put, delete, batch put and batch delete', async () => {
      await cached.get('k');
      await cached.put('k', Buffer.from('two'));
      expect((await cached.get('k'))?.toString()).toBe('two');
      await cached.batch([{ op: 'put', key: 'k', value: Buffer.from('three') }]);
      expect((await cached.get('k'))?.toString()).toBe('three');
      await cached.batch([{ op: 'delete', key: 'k' }]);
      expect(await cached.get('k')).toBeNull();
      await cached.put('k', Buffer.from('four'));
      await cached.get('k');
      await cached.delete('k');
      expect(await cached.get('k')).toBeNull();
    });

    it('a read that overlaps a write does not cache the value being replaced', async () => {
      let release!: () => void;
      gated.holdReads = new Promise<void>((resolve) => (release = resolve));
      const reading = cached.get('k');
      await new Promise((r) => setImmediate(r));
      gated.holdReads = null;
      await cached.put('k', Buffer.from('two'));
      release();
      expect((await reading)?.toString()).toBe('one');
      expect((await cached.get('k'))?.toString()).toBe('two');
    });

    it('a failed write drops the cached value too (storage may or may not hold the new one)', async () => {
      await cached.get('k');
      gated.failWrites = true;
      await expect(cached.put('k', Buffer.from('two'))).rejects.toThrow('disk full');
      gated.failWrites = false;
      gated.reads = 0;
      expect((await cached.get('k'))?.toString()).toBe('one');
      expect(gated.reads).toBe(1);
    });

    it('sealing empties it', async () => {
      await cached.get('k');
      cached.seal();
      await expect(cached.get('k')).rejects.toMatchObject({ code: 'sealed' });
      await cached.unseal(unsealKey);
      gated.reads = 0;
      expect((await cached.get('k'))?.toString()).toBe('one');
      expect(gated.reads).toBe(1);
    });
  });

  it('seals every value under a fresh nonce (the same plaintext twice gives different bytes) that opens only at its key', () => {
    const key = randomBytes(32);
    const nonces = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const sealed = seal(key, 7, 'k', Buffer.from('same value'));
      expect(sealed.length).toBe(1 + 4 + 12 + 'same value'.length + 16);
      nonces.add(sealed.subarray(5, 17).toString('hex'));
    }
    expect(nonces.size).toBe(2000);
    const sealed = seal(key, 7, 'k', Buffer.from('payload'));
    expect(open(key, 'k', sealed).toString()).toBe('payload');
    expect(open(key, 'k', seal(key, 7, 'k', Buffer.alloc(0))).length).toBe(0);
    expect(() => open(key, 'other', sealed)).toThrow();
    const tampered = Buffer.from(sealed);
    tampered[20] = (tampered[20] as number) ^ 1;
    expect(() => open(key, 'k', tampered)).toThrow();
  });
});
