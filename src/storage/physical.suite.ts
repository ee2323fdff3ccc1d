import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Physical, prefixEnd } from './physical.js';
import { beginTransaction } from './transaction.js';

const b = (s: string): Buffer => Buffer.from(s);

/** Byte order of the UTF-8 encoding, computed independently of any backend helper. */
const byteOrder = (x: string, y: string): number => Buffer.compare(Buffer.from(x), Buffer.from(y));

async function putAll(p: Physical, keys: string[]): Promise<void> {
  for (const key of keys) await p.put(key, b(`v:${key}`));
}

/** Walks a one-level listing page by page, passing the last entry of each page as `after`. */
async function walkList(list: (after: string | undefined) => Promise<string[]>): Promise<string[]> {
  const seen: string[] = [];
  let after: string | undefined;
  for (let guard = 0; guard < 10_000; guard++) {
    const page = await list(after);
    if (page.length === 0) return seen;
    seen.push(...page);
    after = page[page.length - 1];
  }
  throw new Error('pagination did not terminate');
}

/**
 * The behaviour every `Physical` must have. Each backend's test calls this once. `make` returns a fresh, empty
 * backend for every test; `cleanup` (default: `close`) releases it afterwards — the backend may already be closed
 * by then, since some tests close it themselves (those do not run the default `close` again).
 */
export function physicalConformanceSuite(
  name: string,
  make: () => Promise<Physical> | Physical,
  cleanup?: (p: Physical) => Promise<void>,
): void {
  describe(`Physical conformance: ${name}`, () => {
    let p: Physical;
    let closedByTest = false;

    beforeEach(async () => {
      closedByTest = false;
      p = await make();
    });

    afterEach(async () => {
      if (cleanup) await cleanup(p);
      else if (!closedByTest) await p.close();
    });

    describe('get / put / delete', () => {
      it('returns null for an absent key', async () => {
        expect(await p.get('nope')).toBeNull();
        expect(await p.get('a/b/c')).toBeNull();
      });

      it('reads back what was put, as a Buffer', async () => {
        await p.put('a/b', b('hello'));
        const got = await p.get('a/b');
        expect(Buffer.isBuffer(got)).toBe(true);
        expect(got?.toString()).toBe('hello');
        expect(await p.get('a')).toBeNull();
        expect(await p.get('a/')).toBeNull();
      });

      it('overwrites', async () => {
        await p.put('k', b('one'));
        await p.put('k', b('two'));
        expect((await p.get('k'))?.toString()).toBe('two');
        expect(await p.list('')).toEqual(['k']);
      });

      it('deletes, and deleting an absent key succeeds', async () => {
        await p.put('k', b('v'));
        await p.delete('k');
        expect(await p.get('k')).toBeNull();
        await expect(p.delete('k')).resolves.toBeUndefined();
        await expect(p.delete('never/there')).resolves.toBeUndefined();
        expect(await p.list('')).toEqual([]);
      });

      it('round-trips every byte value', async () => {
        const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
        const reversed = Buffer.from(all).reverse();
        await p.put('bin/all', all);
        await p.put('bin/rev', reversed);
        expect((await p.get('bin/all'))?.equals(all)).toBe(true);
        expect((await p.get('bin/rev'))?.equals(reversed)).toBe(true);
      });

      it('round-trips a large value', async () => {
        const big = Buffer.alloc(1024 * 1024 + 7);
        for (let i = 0; i < big.length; i++) big[i] = (i * 31 + 7) & 0xff;
        await p.put('big', big);
        expect((await p.get('big'))?.equals(big)).toBe(true);
      });

      it('stores an empty value as empty, not absent', async () => {
        await p.put('empty', Buffer.alloc(0));
        const got = await p.get('empty');
        expect(got).not.toBeNull();
        expect(got?.length).toBe(0);
        expect(await p.list('')).toEqual(['empty']);
      });

      it('copies values: mutating the input or the output does not change what is stored', async () => {
        const input = b('abc');
        await p.put('k', input);
        input[0] = 0x7a;
        const out = await p.get('k');
        expect(out?.toString()).toBe('abc');
        if (out) out[1] = 0x7a;
        expect((await p.get('k'))?.toString()).toBe('abc');
        const [scanned] = await p.scan({ start: 'k', end: 'l' });
        if (scanned) scanned.value[2] = 0x7a;
        expect((await p.get('k'))?.toString()).toBe('abc');
      });

      it('keeps unusual but well-formed keys exactly', async () => {
        const keys = ['sp ace', 'tab\there', 'nul\u0000inside', 'é', '日本', '\u{1F600}', 'x\u{10FFFF}', 'dot.', '%2F'];
        await putAll(p, keys);
        for (const key of keys) expect((await p.get(key))?.toString()).toBe(`v:${key}`);
        expect(await p.list('')).toEqual([...keys].sort(byteOrder));
      });

      it('rejects a value that is not a Buffer and a key with a lone surrogate', async () => {
        await expect(p.put('k', 'text' as unknown as Buffer)).rejects.toThrow();
        await expect(p.put('k', null as unknown as Buffer)).rejects.toThrow();
        await expect(p.put('bad\ud800', b('v'))).rejects.toThrow();
        expect(await p.list('')).toEqual([]);
      });
    });

    describe('list (one level)', () => {
      it('lists an empty store as []', async () => {
        expect(await p.list('')).toEqual([]);
      });

      it('lists leaves and each folder once, sorted, folders ending in /', async () => {
        await putAll(p, ['b', 'a/1', 'a/2', 'a/sub/x', 'c/deep/er/still', 'a/sub/y', 'd']);
        expect(await p.list('')).toEqual(['a/', 'b', 'c/', 'd']);
        expect(await p.list('a/')).toEqual(['1', '2', 'sub/']);
        expect(await p.list('a/sub/')).toEqual(['x', 'y']);
        expect(await p.list('c/')).toEqual(['deep/']);
        expect(await p.list('c/deep/')).toEqual(['er/']);
      });

      it('lists a key and a folder of the same name as two entries', async () => {
        await putAll(p, ['a', 'a/x']);
        expect(await p.list('')).toEqual(['a', 'a/']);
      });

      it('returns [] for a prefix with nothing under it, or one that is a leaf', async () => {
        await putAll(p, ['a', 'b/c']);
        expect(await p.list('missing/')).toEqual([]);
        expect(await p.list('a/')).toEqual([]);
        expect(await p.list('b/c/')).toEqual([]);
      });

      it('sorts by byte order: case, then "-" < "." < "/" < "0"', async () => {
        await putAll(p, ['a0', 'a/x', 'a.b', 'a-b', 'a', 'B', 'b', 'A', 'Z/q', 'z']);
        const expected = ['A', 'B', 'Z/', 'a', 'a-b', 'a.b', 'a/', 'a0', 'b', 'z'];
        expect([...expected].sort(byteOrder)).toEqual(expected);
        expect(await p.list('')).toEqual(expected);
      });

      it('sorts by UTF-8 bytes, not UTF-16 code units (U+1F600 after U+FFFD)', async () => {
        const keys = ['\u{1F600}', '\uFFFD', '\uE000', 'é', 'z', '\u{10000}/x'];
        await putAll(p, keys);
        expect(await p.list('')).toEqual(['z', 'é', '\uE000', '\uFFFD', '\u{10000}/', '\u{1F600}']);
      });

      it('lists a folder once even when it holds keys with U+10FFFF right after the slash', async () => {
        await putAll(p, ['f/\u{10FFFF}', 'f/\u{10FFFF}z', 'f/a', 'f0', 'f/\u{10FFFF}/deeper']);
        expect(await p.list('')).toEqual(['f/', 'f0']);
        expect(await p.list('f/')).toEqual(['a', '\u{10FFFF}', '\u{10FFFF}/', '\u{10FFFF}z']);
      });

      it('drops a folder once its last key is deleted', async () => {
        await putAll(p, ['f/a', 'f/b/c', 'g']);
        await p.delete('f/a');
        expect(await p.list('')).toEqual(['f/', 'g']);
        await p.delete('f/b/c');
        expect(await p.list('')).toEqual(['g']);
      });

      it('lists correctly around a big sub-folder', async () => {
        await p.batch(Array.from({ length: 3000 }, (_, i) => ({ op: 'put', key: `big/${i}`, value: b('x') }) as const));
        await putAll(p, ['a', 'big', 'big0', 'c/d']);
        expect(await p.list('')).toEqual(['a', 'big', 'big/', 'big0', 'c/']);
        expect((await p.list('big/')).length).toBe(3000);
      });
    });

    describe('list pagination (after, limit)', () => {
      const keys = ['a', 'a-b', 'a/1', 'a/2/x', 'a0', 'b/', 'b/c', 'c', 'd/e/f', 'e', 'f/g', 'g'];
      const full = ['a', 'a-b', 'a/', 'a0', 'b/', 'c', 'd/', 'e', 'f/', 'g'];

      beforeEach(async () => {
        await putAll(p, keys);
      });

      it('lists the fixture as expected', async () => {
        expect(await p.list('')).toEqual(full);
      });

      for (const limit of [1, 2, 3, 4, 7]) {
        it(`walks every entry exactly once with limit ${limit}`, async () => {
          const seen = await walkList((after) => p.list('', { after, limit }));
          expect(seen).toEqual(full);
          expect(new Set(seen).size).toBe(seen.length);
        });
      }

      it('returns entries strictly after a folder entry', async () => {
        expect(await p.list('', { after: 'a/' })).toEqual(['a0', 'b/', 'c', 'd/', 'e', 'f/', 'g']);
        expect(await p.list('', { after: 'd/', limit: 2 })).toEqual(['e', 'f/']);
      });

      it('accepts an after that is not a stored entry', async () => {
        expect(await p.list('', { after: 'a.' })).toEqual(['a/', 'a0', 'b/', 'c', 'd/', 'e', 'f/', 'g']);
        expect(await p.list('', { after: 'bb', limit: 1 })).toEqual(['c']);
        expect(await p.list('', { after: 'zzz' })).toEqual([]);
        expect(await p.list('', { after: '' })).toEqual(full);
      });

      it('treats limit 0 as no cap', async () => {
        expect(await p.list('', { limit: 0 })).toEqual(full);
        expect(await p.list('', { after: 'c', limit: 0 })).toEqual(['d/', 'e', 'f/', 'g']);
      });

      it('paginates under a nested prefix', async () => {
        await p.batch(Array.from({ length: 25 }, (_, i) => ({ op: 'put', key: `n/${String(i).padStart(2, '0')}`, value: b('x') }) as const));
        await putAll(p, ['n/05/sub', 'n/10/sub/deeper']);
        const expected = await p.list('n/');
        expect(expected.length).toBe(27);
        expect(await walkList((after) => p.list('n/', { after, limit: 4 }))).toEqual(expected);
      });
    });

    describe('scan (ordered range)', () => {
      it('includes start, excludes end, at every depth', async () => {
        await putAll(p, ['r/a', 'r/b', 'r/b/c', 'r/b/c/d', 'r/c', 'r/d', 's']);
        const rows = await p.scan({ start: 'r/b', end: 'r/d' });
        expect(rows.map((r) => r.key)).toEqual(['r/b', 'r/b/c', 'r/b/c/d', 'r/c']);
        expect(rows[0]?.value.toString()).toBe('v:r/b');
      });

      it('caps at limit and pages on with the next key', async () => {
        const keys = Array.from({ length: 10 }, (_, i) => `p/${i}`);
        await putAll(p, keys);
        expect((await p.scan({ start: 'p/', end: prefixEnd('p/'), limit: 3 })).map((r) => r.key)).toEqual(keys.slice(0, 3));
        const seen: string[] = [];
        let start = 'p/';
        for (;;) {
          const page = await p.scan({ start, end: prefixEnd('p/'), limit: 4 });
          if (page.length === 0) break;
          seen.push(...page.map((r) => r.key));
          start = `${page[page.length - 1]?.key ?? ''}\u0000`; // the smallest key after the last one
        }
        expect(seen).toEqual(keys);
      });

      it('treats limit 0 as no cap and an empty or inverted range as empty', async () => {
        await putAll(p, ['a', 'b', 'c']);
        expect((await p.scan({ start: '', end: 'z', limit: 0 })).length).toBe(3);
        expect(await p.scan({ start: 'b', end: 'b' })).toEqual([]);
        expect(await p.scan({ start: 'c', end: 'a' })).toEqual([]);
      });

      it('returns zero-padded time keys in time order (the lease due index)', async () => {
        const times = [5000, 17, 999_999, 1, 123_456, 40, 1_000_000_000];
        const key = (ms: number, id: string): string => `due/${String(ms).padStart(13, '0')}/${id}`;
        for (const [i, ms] of times.entries()) await p.put(key(ms, `lease-${i}`), b(String(ms)));
        await p.put('due-other', b('outside'));
        await p.put('duf', b('outside'));
        const rows = await p.scan({ start: 'due/', end: key(1_000_000, '') });
        expect(rows.map((r) => Number(r.value.toString()))).toEqual([1, 17, 40, 5000, 123_456, 999_999]);
        const all = await p.scan({ start: 'due/', end: prefixEnd('due/') });
        expect(all.length).toBe(times.length);
      });

      it('orders by UTF-8 bytes', async () => {
        await putAll(p, ['k/\u{1F600}', 'k/\uFFFD', 'k/z']);
        expect((await p.scan({ start: 'k/', end: prefixEnd('k/') })).map((r) => r.key)).toEqual(['k/z', 'k/\uFFFD', 'k/\u{1F600}']);
        expect((await p.scan({ start: 'k/\uFFFE', end: prefixEnd('k/') })).map((r) => r.key)).toEqual(['k/\u{1F600}']);
      });
    });

    describe('batch', () => {
      it('applies puts and deletes together, in order', async () => {
        await putAll(p, ['old', 'gone']);
        await p.batch([
          { op: 'put', key: 'new/1', value: b('1') },
          { op: 'delete', key: 'gone' },
          { op: 'put', key: 'old', value: b('replaced') },
          { op: 'put', key: 'tmp', value: b('x') },
          { op: 'delete', key: 'tmp' },
          { op: 'delete', key: 'back' },
          { op: 'put', key: 'back', value: b('here') },
          { op: 'delete', key: 'absent' },
        ]);
        expect(await p.list('')).toEqual(['back', 'new/', 'old']);
        expect((await p.get('old'))?.toString()).toBe('replaced');
        expect((await p.get('back'))?.toString()).toBe('here');
        expect(await p.get('tmp')).toBeNull();
      });

      it('accepts an empty batch', async () => {
        await expect(p.batch([])).resolves.toBeUndefined();
      });

      it('applies nothing when an operation fails halfway', async () => {
        await putAll(p, ['keep', 'also']);
        await expect(
          p.batch([
            { op: 'put', key: 'first', value: b('1') },
            { op: 'delete', key: 'keep' },
            { op: 'put', key: 'also', value: b('changed') },
            { op: 'put', key: 'bad', value: null as unknown as Buffer },
            { op: 'put', key: 'after', value: b('2') },
          ]),
        ).rejects.toThrow();
        expect(await p.list('')).toEqual(['also', 'keep']);
        expect((await p.get('also'))?.toString()).toBe('v:also');
      });

      it('applies nothing on a closed backend', async () => {
        await p.close();
        closedByTest = true;
        await expect(p.batch([{ op: 'put', key: 'x', value: b('1') }])).rejects.toThrow();
      });
    });

    describe('transactions (BufferedTransaction)', () => {
      it('reads its own writes before commit, while the backend is unchanged', async () => {
        await putAll(p, ['base', 'doomed']);
        const tx = beginTransaction(p);
        await tx.put('new', b('n'));
        await tx.put('base', b('changed'));
        await tx.delete('doomed');
        expect((await tx.get('new'))?.toString()).toBe('n');
        expect((await tx.get('base'))?.toString()).toBe('changed');
        expect(await tx.get('doomed')).toBeNull();
        expect((await tx.get('untouched-absent'))).toBeNull();
        expect(await p.get('new')).toBeNull();
        expect((await p.get('base'))?.toString()).toBe('v:base');
        expect((await p.get('doomed'))?.toString()).toBe('v:doomed');
        await tx.rollback();
      });

      it('lists pending puts and hides pending deletes, folders included', async () => {
        await putAll(p, ['a', 'f/1', 'f/2', 'g/only', 'h/x/y', 'k/1', 'k/2']);
        const tx = beginTransaction(p);
        await tx.put('b', b('1'));
        await tx.put('n/deep/key', b('1'));
        await tx.delete('a');
        await tx.delete('f/1'); // f/ keeps f/2
        await tx.delete('g/only'); // g/ disappears
        await tx.delete('h/x/y'); // h/ disappears though the key is two levels down
        await tx.delete('k/1');
        await tx.delete('k/2');
        await tx.put('k/3', b('1')); // k/ survives through a pending put
        expect(await tx.list('')).toEqual(['b', 'f/', 'k/', 'n/']);
        expect(await tx.list('f/')).toEqual(['2']);
        expect(await tx.list('k/')).toEqual(['3']);
        expect(await tx.list('n/')).toEqual(['deep/']);
        expect(await tx.list('g/')).toEqual([]);
        expect(await p.list('')).toEqual(['a', 'f/', 'g/', 'h/', 'k/']);
        await tx.rollback();
      });

      it('paginates its merged listing', async () => {
        await putAll(p, ['a', 'c', 'e/1', 'g', 'i', 'k']);
        const tx = beginTransaction(p);
        await tx.put('b', b('1'));
        await tx.put('d/x', b('1'));
        await tx.delete('c');
        await tx.delete('e/1');
        await tx.delete('g');
        await tx.put('j', b('1'));
        const full = ['a', 'b', 'd/', 'i', 'j', 'k'];
        expect(await tx.list('')).toEqual(full);
        for (const limit of [1, 2, 3]) {
          expect(await walkList((after) => tx.list('', { after, limit }))).toEqual(full);
        }
        await tx.rollback();
      });

      it('rollback discards every pending write', async () => {
        await putAll(p, ['keep']);
        const tx = beginTransaction(p);
        await tx.put('x', b('1'));
        await tx.delete('keep');
        await tx.rollback();
        expect(await p.list('')).toEqual(['keep']);
      });

      it('commit applies every pending write', async () => {
        await putAll(p, ['gone', 'stay']);
        const tx = beginTransaction(p);
        const value = b('1');
        await tx.put('x/y', value);
        value[0] = 0x39; // the transaction copied it
        await tx.delete('gone');
        await tx.put('stay', b('updated'));
        await tx.commit();
        expect(await p.list('')).toEqual(['stay', 'x/']);
        expect((await p.get('x/y'))?.toString()).toBe('1');
        expect((await p.get('stay'))?.toString()).toBe('updated');
      });

      it('rejects any use after commit or rollback', async () => {
        for (const end of ['commit', 'rollback'] as const) {
          const tx = beginTransaction(p);
          await tx.put('k', b('v'));
          await tx[end]();
          await expect(tx.get('k')).rejects.toThrow();
          await expect(tx.put('k', b('v'))).rejects.toThrow();
          await expect(tx.delete('k')).rejects.toThrow();
          await expect(tx.list('')).rejects.toThrow();
          await expect(tx.commit()).rejects.toThrow();
          await expect(tx.rollback()).rejects.toThrow();
        }
      });
    });

    describe('agreement with a naive model', () => {
      it('matches list, pagination and scan after random writes', async () => {
        // Few characters, chosen around the orderings that matter: '-' '.' '/' '0', case, 2-, 3- and 4-byte UTF-8.
        const alphabet = ['a', 'B', '-', '.', '/', '0', 'é', '\uFFFD', '\u{1F600}'];
        let seed = 12345;
        const rand = (n: number): number => {
          seed = (seed * 1103515245 + 12345) % 2147483648;
          return seed % n;
        };
        const randomKey = (): string => Array.from({ length: 1 + rand(5) }, () => alphabet[rand(alphabet.length)]).join('');
        const model = new Map<string, string>();
        for (let i = 0; i < 400; i++) {
          const key = randomKey();
          if (rand(4) === 0) {
            await p.delete(key);
            model.delete(key);
          } else {
            await p.put(key, b(String(i)));
            model.set(key, String(i));
          }
        }
        const sorted = [...model.keys()].sort(byteOrder);
        const modelList = (prefix: string): string[] => {
          const entries = new Set<string>();
          for (const key of sorted) {
            if (!key.startsWith(prefix) || key === prefix) continue;
            const rest = key.slice(prefix.length);
            const slash = rest.indexOf('/');
            entries.add(slash < 0 ? rest : rest.slice(0, slash + 1));
          }
          return [...entries].sort(byteOrder);
        };
        const folders = ['', ...new Set(sorted.flatMap((k) => k.split('/').slice(0, -1).map((_, i, parts) => `${parts.slice(0, i + 1).join('/')}/`)))];
        for (const prefix of folders) {
          const expected = modelList(prefix);
          expect(await p.list(prefix)).toEqual(expected);
          expect(await walkList((after) => p.list(prefix, { after, limit: 3 }))).toEqual(expected);
        }
        for (let i = 0; i < 50; i++) {
          const [start, end] = [randomKey(), randomKey()];
          const expected = sorted.filter((k) => byteOrder(k, start) >= 0 && byteOrder(k, end) < 0);
          const rows = await p.scan({ start, end });
          expect(rows.map((r) => r.key)).toEqual(expected);
          expect(rows.map((r) => r.value.toString())).toEqual(expected.map((k) => model.get(k)));
        }
      });
    });

    describe('concurrency', () => {
      it('keeps all of 100 parallel puts', async () => {
        const keys = Array.from({ length: 100 }, (_, i) => `par/${String(i).padStart(3, '0')}`);
        await Promise.all(keys.map((key) => p.put(key, b(key))));
        const values = await Promise.all(keys.map((key) => p.get(key)));
        expect(values.map((v) => v?.toString())).toEqual(keys);
        expect(await p.list('par/')).toEqual(keys.map((k) => k.slice(4)));
      });

      it('keeps parallel batches, reads and lists consistent', async () => {
        const work: Promise<unknown>[] = [];
        for (let i = 0; i < 20; i++) {
          work.push(p.batch([{ op: 'put', key: `pb/${i}/a`, value: b('a') }, { op: 'put', key: `pb/${i}/b`, value: b('b') }]));
          work.push(p.list('pb/'));
          work.push(p.scan({ start: 'pb/', end: prefixEnd('pb/') }));
        }
        await Promise.all(work);
        expect((await p.list('pb/')).length).toBe(20);
        expect((await p.scan({ start: 'pb/', end: prefixEnd('pb/') })).length).toBe(40);
      });
    });

    describe('close', () => {
      it('rejects every operation afterwards', async () => {
        await p.put('k', b('v'));
        await p.close();
        closedByTest = true;
        await expect(p.get('k')).rejects.toThrow();
        await expect(p.put('k', b('v'))).rejects.toThrow();
        await expect(p.delete('k')).rejects.toThrow();
        await expect(p.list('')).rejects.toThrow();
        await expect(p.scan({ start: '', end: 'z' })).rejects.toThrow();
        await expect(p.batch([])).rejects.toThrow();
      });
    });
  });
}
