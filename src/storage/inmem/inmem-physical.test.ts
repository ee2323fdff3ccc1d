import { describe, expect, it } from 'vitest';
import { physicalConformanceSuite } from '../physical.suite.js';
import { compareKeys } from '../keys.js';
import { InmemPhysical } from './inmem-physical.js';

physicalConformanceSuite('inmem', () => new InmemPhysical());

describe('InmemPhysical', () => {
  it('closes idempotently', async () => {
    const p = new InmemPhysical();
    await p.close();
    await expect(p.close()).resolves.toBeUndefined();
  });

  it('lists one level of a large store without walking every key under a folder', async () => {
    const p = new InmemPhysical();
    const ops = Array.from({ length: 200_000 }, (_, i) => ({ op: 'put', key: `f/${i}`, value: Buffer.alloc(0) }) as const);
    await p.batch(ops);
    await p.put('g', Buffer.from('x'));
    // A seek past the folder takes microseconds; walking its 200k keys takes ~10 ms per call, 1 s for the loop.
    const started = performance.now();
    for (let i = 0; i < 100; i++) expect(await p.list('')).toEqual(['f/', 'g']);
    expect(performance.now() - started).toBeLessThan(250);
    await p.close();
  });
});

describe('compareKeys', () => {
  it('agrees with the byte order of UTF-8 on a mix of scripts and planes', () => {
    const keys = ['', 'a', 'A', 'a/', 'a-', 'a0', 'é', 'ÿ', '\u07ff', '\u0800', '\ud7ff', '\ue000', '\uffff',
      '\u{10000}', '\u{1F600}', '\u{10FFFF}', 'a\u{1F600}', 'a\uffff', 'ab', 'a\u0000'];
    for (const x of keys) {
      for (const y of keys) {
        expect(Math.sign(compareKeys(x, y))).toBe(Math.sign(Buffer.compare(Buffer.from(x), Buffer.from(y))));
      }
    }
  });
});
