import { randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { InmemPhysical } from '../storage/inmem/inmem-physical.js';
import { Barrier } from './barrier.js';

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
});
