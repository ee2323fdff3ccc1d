import { mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileSink, fileSinkFactory } from './file.js';
import { sinkConformance } from './sink.suite.js';
import { silentLogger } from '../../framework/logger.js';

const lines = (path: string): string[] => readFileSync(path, 'utf8').split('\n').filter((l) => l !== '');

sinkConformance('file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ward-audit-file-'));
  const path = join(dir, 'audit.log');
  const sink = new FileSink(path);
  return {
    sink,
    received: async () => lines(path),
    cleanup: async () => {
      await sink.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('file sink', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ward-audit-file-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the file (and its directory) with mode 0600 by default, and appends to an existing file', async () => {
    const path = join(dir, 'sub', 'audit.log');
    const sink = fileSinkFactory.create({ file_path: path }, silentLogger);
    await sink.write(Buffer.from('one\n'));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    await sink.close();
    const again = fileSinkFactory.create({ file_path: path, mode: '0640' }, silentLogger);
    await again.write(Buffer.from('two\n'));
    await again.close();
    expect(lines(path)).toEqual(['one', 'two']);
    expect(statSync(path).mode & 0o777).toBe(0o640);
  });

  it('mode "0000" leaves an existing file\'s mode alone', async () => {
    const path = join(dir, 'audit.log');
    writeFileSync(path, '', { mode: 0o644 });
    const sink = fileSinkFactory.create({ file_path: path, mode: '0000' }, silentLogger);
    await sink.write(Buffer.from('x\n'));
    await sink.close();
    expect(statSync(path).mode & 0o777).toBe(0o644);
  });

  it('SIGHUP-style reopen after a rename (log rotation) keeps logging to the new file', async () => {
    const path = join(dir, 'audit.log');
    const sink = new FileSink(path);
    await sink.write(Buffer.from('before\n'));
    renameSync(path, `${path}.1`);
    // Until the reopen, entries follow the open descriptor into the rotated file.
    await sink.write(Buffer.from('still-old\n'));
    await sink.reopen();
    await sink.write(Buffer.from('after\n'));
    await sink.close();
    expect(lines(`${path}.1`)).toEqual(['before', 'still-old']);
    expect(lines(path)).toEqual(['after']);
  });

  it('fails with the path named when the file cannot be opened, and recovers once it can', async () => {
    const blocker = join(dir, 'blocker');
    writeFileSync(blocker, '');
    const bad = new FileSink(join(blocker, 'audit.log'));
    await expect(bad.write(Buffer.from('x\n'))).rejects.toThrow(`unable to open audit file "${join(blocker, 'audit.log')}"`);

    // A file that turns into something unwritable (here: a directory) fails at the next reopen or write.
    const path = join(dir, 'audit.log');
    const sink = new FileSink(path);
    await sink.write(Buffer.from('ok\n'));
    renameSync(path, `${path}.1`);
    mkdirSync(path);
    await expect(sink.reopen()).rejects.toThrow(path);
    await expect(sink.write(Buffer.from('lost\n'))).rejects.toThrow(path);
    rmSync(path, { recursive: true });
    await sink.write(Buffer.from('back\n'));
    await sink.close();
    expect(lines(path)).toEqual(['back']);
  });

  it('discard writes nothing; stdout is accepted; bad options are 400s', async () => {
    await fileSinkFactory.create({ file_path: 'DISCARD' }, silentLogger).write(Buffer.from('x\n'));
    expect((fileSinkFactory.create({ file_path: 'Stdout' }, silentLogger) as FileSink).path).toBe('stdout');
    expect(() => fileSinkFactory.create({}, silentLogger)).toThrow('"file_path" is required: invalid configuration');
    expect(() => fileSinkFactory.create({ file_path: '/x', mode: 'rw' }, silentLogger)).toThrow('unable to parse "mode"');
  });
});
