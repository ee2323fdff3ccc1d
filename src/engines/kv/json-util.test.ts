import { describe, expect, it } from 'vitest';
import { mergePatch } from './json-util.js';
import { KeyedLock } from '../../lib/keyed-lock.js';
import { subkeys } from './path-subkeys.js';

describe('mergePatch (RFC 7396)', () => {
  it('follows the RFC examples', () => {
    expect(mergePatch({ a: 'b' }, { a: 'c' })).toEqual({ a: 'c' });
    expect(mergePatch({ a: 'b' }, { b: 'c' })).toEqual({ a: 'b', b: 'c' });
    expect(mergePatch({ a: 'b' }, { a: null })).toEqual({});
    expect(mergePatch({ a: { b: 'c' } }, { a: { b: 'd', c: null } })).toEqual({ a: { b: 'd' } });
    expect(mergePatch({ a: [{ b: 'c' }] }, { a: [1] })).toEqual({ a: [1] });
    expect(mergePatch({ e: null }, { a: 1 })).toEqual({ e: null, a: 1 });
    expect(mergePatch({ a: 'foo' }, { a: { bb: { ccc: null } } })).toEqual({ a: { bb: {} } });
  });

  it('does not modify its inputs and keeps __proto__ as data', () => {
    const target = { a: { b: 1 } };
    const patch = JSON.parse('{"a": {"c": 2}, "__proto__": {"polluted": true}}') as unknown;
    const out = mergePatch(target, patch) as Record<string, unknown>;
    expect(target).toEqual({ a: { b: 1 } });
    expect(Object.keys(out)).toEqual(['a', '__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });
});

describe('subkeys', () => {
  it('replaces leaves with null down to the depth', () => {
    const data = { a: 1, b: { c: { d: 'x' } }, e: {} };
    expect(subkeys(data, 100)).toEqual({ a: null, b: { c: { d: null } }, e: null });
    expect(subkeys(data, 2)).toEqual({ a: null, b: { c: null }, e: null });
  });
});

describe('KeyedLock', () => {
  it('runs work for one key one at a time, in arrival order, and other keys freely', async () => {
    const lock = new KeyedLock();
    const events: string[] = [];
    const task = (key: string, name: string, ms: number) =>
      lock.run(key, async () => {
        events.push(`start ${name}`);
        await new Promise((r) => setTimeout(r, ms));
        events.push(`end ${name}`);
      });
    await Promise.all([task('k', 'a', 20), task('k', 'b', 1), task('j', 'c', 1)]);
    expect(events.indexOf('end a')).toBeLessThan(events.indexOf('start b'));
    expect(events.indexOf('start c')).toBeLessThan(events.indexOf('end a'));
  });

  it('releases after a failure', async () => {
    const lock = new KeyedLock();
    await expect(lock.run('k', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await lock.run('k', async () => 42)).toBe(42);
  });
});
