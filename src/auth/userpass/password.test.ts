import { parseOptions } from '@node-rs/argon2';
import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ARGON2_PARAMS, PasswordHasher } from './password.js';
import { countingArgon2, TEST_PARAMS } from './harness.suite.js';

describe('PasswordHasher', () => {
  it('uses Argon2id at or above OWASP\'s minimum by default (m=19456 KiB, t=2, p=1)', async () => {
    const { memoryCost, timeCost, parallelism } = DEFAULT_ARGON2_PARAMS;
    expect(memoryCost).toBeGreaterThanOrEqual(19_456);
    expect(timeCost).toBeGreaterThanOrEqual(2);
    expect(parallelism).toBeGreaterThanOrEqual(1);
    const hasher = await PasswordHasher.create();
    const phc = await hasher.hash('s3cret');
    expect(phc.startsWith('$argon2id$v=19$')).toBe(true);
    expect(parseOptions(phc)).toMatchObject({ algorithm: 2, memoryCost, timeCost, parallelism });
    expect(await hasher.verify(phc, 's3cret')).toBe(true);
    expect(await hasher.verify(phc, 's3cret ')).toBe(false);
    expect(hasher.needsRehash(phc)).toBe(false);
  });

  it('salts every hash', async () => {
    const hasher = await PasswordHasher.create(undefined, TEST_PARAMS);
    expect(await hasher.hash('same')).not.toBe(await hasher.hash('same'));
  });

  it('verifies bcrypt hashes with bcryptjs and marks them for rehashing', async () => {
    const argon2 = countingArgon2();
    const hasher = await PasswordHasher.create(argon2, TEST_PARAMS);
    const b = bcrypt.hashSync('pw', 4);
    expect(await hasher.verify(b, 'pw')).toBe(true);
    expect(await hasher.verify(b, 'PW')).toBe(false);
    expect(argon2.verified).toEqual([]);
    expect(hasher.needsRehash(b)).toBe(true);
  });

  it('marks Argon2 hashes with other parameters for rehashing', async () => {
    const strong = await PasswordHasher.create(undefined, { ...TEST_PARAMS, timeCost: 2 });
    const cheap = await PasswordHasher.create(undefined, TEST_PARAMS);
    expect(strong.needsRehash(await cheap.hash('x'))).toBe(true);
    expect(cheap.needsRehash(await cheap.hash('x'))).toBe(false);
    expect(cheap.needsRehash('$argon2id$garbage')).toBe(true);
  });

  it('fails an unknown stored format after the dummy work, and the dummy never verifies', async () => {
    const argon2 = countingArgon2();
    const hasher = await PasswordHasher.create(argon2, TEST_PARAMS);
    expect(await hasher.verify('plaintext-from-somewhere', 'plaintext-from-somewhere')).toBe(false);
    expect(argon2.verified).toHaveLength(1);
    expect(await hasher.verifyDummy('')).toBe(false);
    expect(argon2.verified[1]).toBe(argon2.verified[0]);
  });
});
