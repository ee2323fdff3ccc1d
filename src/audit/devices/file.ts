import { closeSync, fchmodSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileModeOption, optionError } from '../options.js';
import type { AuditSink, SinkFactory } from './sink.js';

/** Vault's default mode for audit files: owner read/write only. */
export const DEFAULT_FILE_MODE = 0o600;

function reason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code ? `${e.code}: ${e.syscall ?? 'io'} failed` : e instanceof Error ? e.message : String(err);
}

/**
 * Appends one entry per line to a file. Writes are `write(2)` on an O_APPEND descriptor, one per turn of the event
 * loop for all the entries of that turn: an entry is logged when its promise resolves, entries keep their order, and
 * a local disk answers in microseconds. `stdout` and
 * `discard` are the special paths Vault knows.
 */
export class FileSink implements AuditSink {
  private fd: number | null = null;

  /** `mode` 0 keeps an existing file's mode (Vault's `"0000"`). */
  constructor(readonly path: string, readonly mode: number = DEFAULT_FILE_MODE) {}

  async write(entry: Buffer): Promise<void> {
    if (this.path === 'discard') return;
    if (this.path === 'stdout') {
      await new Promise<void>((resolve, reject) => process.stdout.write(entry, (err) => (err ? reject(err) : resolve())));
      return;
    }
    // Entries of one turn of the event loop go down in one write(2), in order: under load a system call per entry
    // costs more than formatting it. Each caller still waits until its entry is written (or the write failed).
    if (!this.group) {
      this.group = { entries: [], waiters: [] };
      setImmediate(() => this.flushGroup());
    }
    const group = this.group;
    group.entries.push(entry);
    return new Promise<void>((resolve, reject) => group.waiters.push({ resolve, reject }));
  }

  private group: { entries: Buffer[]; waiters: Array<{ resolve: () => void; reject: (err: Error) => void }> } | null = null;

  private flushGroup(): void {
    const group = this.group;
    this.group = null;
    if (!group) return;
    try {
      this.writeSync(group.entries.length === 1 ? (group.entries[0] as Buffer) : Buffer.concat(group.entries));
    } catch (err) {
      for (const w of group.waiters) w.reject(err as Error);
      return;
    }
    for (const w of group.waiters) w.resolve();
  }

  /** Like `write`, synchronously; throws with a message naming the file. */
  writeSync(entry: Buffer): void {
    const fd = this.open();
    try {
      writeAll(fd, entry);
      return;
    } catch {
      // One retry on a fresh descriptor, as Vault does: a descriptor closed or broken under us gets replaced.
      this.closeQuietly();
    }
    try {
      writeAll(this.open(), entry);
    } catch (err) {
      this.closeQuietly();
      throw new Error(`unable to write to audit file "${this.path}": ${reason(err)}`);
    }
  }

  async reopen(): Promise<void> {
    if (this.path === 'stdout' || this.path === 'discard') return;
    this.closeQuietly();
    this.open();
  }

  async close(): Promise<void> {
    this.flushGroup(); // entries already promised are written before the descriptor goes
    this.closeQuietly();
  }

  private open(): number {
    if (this.fd !== null) return this.fd;
    let fd: number;
    try {
      mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
      fd = openSync(this.path, 'a', this.mode || DEFAULT_FILE_MODE);
    } catch (err) {
      throw new Error(`unable to open audit file "${this.path}": ${reason(err)}`);
    }
    // An existing file keeps its old mode through open(2): set it, unless asked not to (mode 0) or it is a device.
    if (this.mode !== 0 && this.path !== '/dev/null') {
      try {
        fchmodSync(fd, this.mode);
      } catch (err) {
        closeSync(fd);
        throw new Error(`unable to set the mode of audit file "${this.path}": ${reason(err)}`);
      }
    }
    this.fd = fd;
    return fd;
  }

  private closeQuietly(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    try {
      closeSync(fd);
    } catch {
      /* already gone: nothing to release */
    }
  }
}

/** write(2) may take part of a buffer; loop until all of it is down. */
function writeAll(fd: number, buf: Buffer): void {
  let off = 0;
  while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
}

/** `file`: `file_path` (or the legacy `path`), `mode`. */
export const fileSinkFactory: SinkFactory = {
  type: 'file',
  create(options) {
    const raw = options.file_path ?? options.path;
    if (raw === undefined) throw optionError('"file_path" is required');
    let path = raw.trim();
    if (path === '') throw optionError('file path is required');
    if (path.toLowerCase() === 'stdout') path = 'stdout';
    if (path.toLowerCase() === 'discard') path = 'discard';
    return new FileSink(path, fileModeOption(options.mode, DEFAULT_FILE_MODE));
  },
};
