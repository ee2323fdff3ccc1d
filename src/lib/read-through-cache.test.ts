import { describe, expect, it } from 'vitest';
import { ReadThroughCache } from './read-through-cache.js';

describe('ReadThroughCache', () => {
  it('loads once, then serves from memory; `keep` decides what is cached', async () => {
    const cache = new ReadThroughCache<string, number | null>(10);
    let loads = 0;
    const load = async (): Promise<number | null> => (++loads, loads === 1 ? null : 7);
    expect(await cache.get('k', load, (v) => v !== null)).toBeNull();
    expect(await cache.get('k', load, (v) => v !== null)).toBe(7);
    expect(await cache.get('k', load, (v) => v !== null)).toBe(7);
    expect(loads).toBe(2);
  });

  it('does not cache a load that a write overlapped', async () => {
    const cache = new ReadThroughCache<string, string>(10);
    let finish: (v: string) => void = () => undefined;
    const loading = cache.get('k', () => new Promise<string>((resolve) => (finish = resolve)));
    cache.delete('k'); // a write lands while the read is in flight
    finish('old');
    expect(await loading).toBe('old');
    expect(cache.peek('k')).toBeUndefined();
    expect(await cache.get('k', async () => 'new')).toBe('new');
    expect(cache.peek('k')).toBe('new');
  });
});
