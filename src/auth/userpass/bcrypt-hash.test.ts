import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { isBcryptHash, parseBcryptHash } from './bcrypt-hash.js';

describe('bcrypt hash import', () => {
  const valid = bcrypt.hashSync('pw', 4);

  it('accepts the $2a$, $2b$ and $2y$ variants unchanged', () => {
    for (const prefix of ['$2a$', '$2b$', '$2y$']) {
      const h = prefix + valid.slice(4);
      expect(parseBcryptHash(h)).toBe(h);
      expect(isBcryptHash(h)).toBe(true);
    }
  });

  it('checks length, then prefix, as Vault does, then cost and alphabet', () => {
    const msg = (h: string): string => {
      try {
        parseBcryptHash(h);
        return 'ok';
      } catch (err) {
        return (err as Error).message;
      }
    };
    expect(msg('too short')).toBe('password hash has incorrect length');
    expect(msg(`${valid}x`)).toBe('password hash has incorrect length');
    expect(msg(' '.repeat(60))).toBe('password hash has incorrect prefix');
    expect(msg('jibberfish'.repeat(6))).toBe('password hash has incorrect prefix');
    expect(msg(`$2x$${valid.slice(4)}`)).toBe('password hash has incorrect prefix');
    expect(msg(`${valid.slice(0, 59)}!`)).toBe('password hash is not a valid bcrypt hash');
    expect(msg(valid.replace('$04$', '$03$'))).toBe('password hash cost must be between 4 and 16');
    expect(msg(valid.replace('$04$', '$17$'))).toBe('password hash cost must be between 4 and 16');
    expect(msg(valid.replace('$04$', '$16$'))).toBe('ok');
    expect(isBcryptHash(valid.replace('$04$', '$31$'))).toBe(false);
  });
});
