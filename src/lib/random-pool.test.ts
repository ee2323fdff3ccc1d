import { describe, expect, it } from 'vitest';
import { randomBytesPooled, randomFill } from './random-pool.js';

describe('random pool', () => {
  it('never hands out the same bytes twice, across refills', () => {
    // 12-byte draws as the barrier's nonces make them, well past several refills of the 4 KiB pool.
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) seen.add(randomBytesPooled(12).toString('hex'));
    expect(seen.size).toBe(5000);
  });

  it('fills exactly the asked range, small and large draws alike', () => {
    for (const length of [1, 12, 48, 1024, 1025, 10_000]) {
      const target = Buffer.alloc(length + 8, 0xaa);
      randomFill(target, 4, length);
      expect(target.subarray(0, 4).every((b) => b === 0xaa)).toBe(true);
      expect(target.subarray(4 + length).every((b) => b === 0xaa)).toBe(true);
      if (length >= 48) expect(new Set(target.subarray(4, 4 + length)).size).toBeGreaterThan(16);
    }
  });
});
