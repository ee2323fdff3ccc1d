import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPhysical } from '../index.js';
import { physicalConformanceSuite } from '../physical.suite.js';
import { SqlitePhysical } from './sqlite-physical.js';

let dir = '';
let counter = 0;
const freshPath = (): string => join(dir, `db-${++counter}.sqlite`);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ward-sqlite-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

physicalConformanceSuite('sqlite', () => SqlitePhysical.open(freshPath()));

describe('SqlitePhysical', () => {
  it('keeps data across close and reopen', async () => {
    const path = freshPath();
    const first = SqlitePhysical.open(path);
    await first.put('a/b', Buffer.from([0, 1, 2, 255]));
    await first.batch([{ op: 'put', key: 'c', value: Buffer.alloc(0) }]);
    await first.close();
    const second = SqlitePhysical.open(path);
    expect((await second.get('a/b'))?.equals(Buffer.from([0, 1, 2, 255]))).toBe(true);
    expect((await second.get('c'))?.length).toBe(0);
    expect(await second.list('')).toEqual(['a/', 'c']);
    await second.close();
  });

  it('runs in WAL mode with synchronous=FULL', async () => {
    const path = freshPath();
    const p = SqlitePhysical.open(path);
    expect(await p.settings()).toEqual({ journalMode: 'wal', synchronous: 2 });
    // WAL is recorded in the file itself: another connection sees it too.
    const other = new Database(path, { readonly: true });
    expect(other.pragma('journal_mode', { simple: true })).toBe('wal');
    other.close();
    await p.close();
    await expect(p.settings()).rejects.toThrow();
  });

  it('has a write on disk, visible to another connection, once its promise resolves', async () => {
    const path = freshPath();
    const p = SqlitePhysical.open(path);
    const reader = new Database(path, { readonly: true });
    const read = reader.prepare<[string], Buffer>('SELECT value FROM entries WHERE key = ?').pluck();
    // Concurrent writes are grouped on the writer thread; each one is committed by the time it resolves.
    await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        await p.put(`k/${i}`, Buffer.from(`v${i}`));
        expect(read.get(`k/${i}`)?.toString()).toBe(`v${i}`);
      }),
    );
    await p.batch([{ op: 'delete', key: 'k/0' }, { op: 'put', key: 'k/1', value: Buffer.from('w') }]);
    expect(read.get('k/0')).toBeUndefined();
    expect(read.get('k/1')?.toString()).toBe('w');
    reader.close();
    await p.close();
  });

  it('closes idempotently', async () => {
    const p = SqlitePhysical.open(freshPath());
    await p.close();
    await expect(p.close()).resolves.toBeUndefined();
  });

  it('refuses a file that is not a database', async () => {
    const path = freshPath();
    const p = SqlitePhysical.open(path);
    await p.close();
    rmSync(path);
    writeFileSync(path, 'not a database, just text that is long enough to have a header'.repeat(20));
    expect(() => SqlitePhysical.open(path)).toThrow();
  });
});

describe('openPhysical', () => {
  it('opens inmem', async () => {
    const p = await openPhysical({ type: 'inmem' });
    await p.put('k', Buffer.from('v'));
    expect((await p.get('k'))?.toString()).toBe('v');
    await p.close();
  });

  it('creates the parent directory 0700 and the database file 0600', async () => {
    const path = join(dir, 'nested', 'deeper', 'ward.db');
    const p = await openPhysical({ type: 'sqlite', path });
    await p.put('k', Buffer.from('v'));
    expect(statSync(join(dir, 'nested', 'deeper')).mode & 0o777).toBe(0o700);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(`${path}-wal`).mode & 0o777).toBe(0o600);
    await p.close();
    const again = await openPhysical({ type: 'sqlite', path });
    expect((await again.get('k'))?.toString()).toBe('v');
    await again.close();
  });
});
