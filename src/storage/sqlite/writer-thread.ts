import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { BatchOp } from '../physical.js';

/**
 * The SQLite writer thread. better-sqlite3 is synchronous, so a commit with `synchronous=FULL` blocks its thread for
 * the fsync; on the event loop that stalls every request in the process for each commit. Here one worker thread owns
 * the writing connection: the event loop hands it groups of batches and goes on serving (reads use the event loop's
 * own connection, which WAL lets run beside the writer). The writes of one synchronous stretch of the event loop go
 * over as one message; while a commit runs, further messages queue, and the thread takes all of them into its next
 * transaction, so under load many callers share one fsync (group commit) and the group size follows the load by
 * itself.
 *
 * The worker's code is plain JavaScript run with `eval`, so that it loads the same way from `dist/` and from the
 * TypeScript sources under the test runner (a worker cannot load a `.ts` file); it is kept small for that reason.
 */
const WRITER_SOURCE = `
'use strict';
const { parentPort, workerData, receiveMessageOnPort } = require('node:worker_threads');
const Database = require(workerData.driverPath);
const db = new Database(workerData.path);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
const put = db.prepare('INSERT INTO entries (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
const del = db.prepare('DELETE FROM entries WHERE key = ?');
// Each op is [key, offset, length] into its group's one data buffer (see encodeGroup); offset -1 = delete.
const applyBatch = db.transaction((ops, data) => {
  for (const [key, at, length] of ops) {
    if (at >= 0) put.run(key, data.subarray(at, at + length));
    else del.run(key);
  }
});
// Nested db.transaction calls become savepoints: a failing batch rolls back alone when retried one by one below.
const applyAll = db.transaction((items) => { for (const [ops, data] of items) applyBatch(ops, data); });
const message = (err) => (err && typeof err.message === 'string' ? err.message : String(err));
parentPort.postMessage({
  type: 'ready',
  journalMode: String(db.pragma('journal_mode', { simple: true })),
  synchronous: Number(db.pragma('synchronous', { simple: true })),
});
const close = () => {
  db.close();
  parentPort.postMessage({ type: 'closed' });
  parentPort.close();
};
parentPort.on('message', (first) => {
  if (first.type === 'close') return close();
  // Every group that arrived while the last commit ran goes into this one: one fsync for all of them.
  const groups = [first];
  let closing = false;
  for (let next = receiveMessageOnPort(parentPort); next; next = receiveMessageOnPort(parentPort)) {
    if (next.message.type === 'close') { closing = true; break; }
    groups.push(next.message);
  }
  const items = [];
  for (const g of groups) {
    const data = Buffer.from(g.data.buffer, g.data.byteOffset, g.data.byteLength);
    for (const ops of g.batches) items.push([ops, data]);
  }
  let errors = null;
  try {
    applyAll(items);
  } catch {
    errors = items.map(([ops, data]) => {
      try { applyBatch(ops, data); return null; } catch (err) { return message(err); }
    });
  }
  const results = [];
  let i = 0;
  for (const g of groups) {
    results.push({ seq: g.seq, errors: errors ? errors.slice(i, i + g.batches.length) : null });
    i += g.batches.length;
  }
  parentPort.postMessage({ type: 'done', results });
  if (closing) close();
});
`;

interface Waiter {
  resolve: () => void;
  reject: (err: Error) => void;
}

interface Group {
  batches: BatchOp[][];
  waiters: Waiter[];
}

type WriterMessage =
  | { type: 'ready'; journalMode: string; synchronous: number }
  | { type: 'done'; results: Array<{ seq: number; errors: Array<string | null> | null }> }
  | { type: 'closed' };

export interface WriterSettings {
  journalMode: string;
  synchronous: number;
}

/**
 * A group as the thread receives it: keys with offsets into one buffer holding every value, which is transferred, not
 * copied. Posting the Buffers themselves would clone, for each small value, the whole 8 KiB allocation slab it is a
 * view of (structured clone copies a view's entire backing store).
 */
function encodeGroup(groupBatches: BatchOp[][]): { batches: Array<Array<[string, number, number]>>; data: Uint8Array; buffer: ArrayBuffer } {
  let total = 0;
  for (const ops of groupBatches) for (const op of ops) if (op.op === 'put') total += op.value.length;
  const buffer = new ArrayBuffer(total);
  const data = new Uint8Array(buffer);
  let at = 0;
  const batches = groupBatches.map((ops) =>
    ops.map((op): [string, number, number] => {
      if (op.op === 'delete') return [op.key, -1, 0];
      data.set(op.value, at);
      at += op.value.length;
      return [op.key, at - op.value.length, op.value.length];
    }),
  );
  return { batches, data, buffer };
}

/** A storage failure as callers see it: SQLite's message (it names no value, only the failure). */
function storageError(message: string): Error {
  return new Error(`storage write failed: ${message}`);
}

export class SqliteWriterThread {
  private readonly worker: Worker;
  /** Groups handed to the thread and not yet committed, by sequence number. */
  private readonly inFlight = new Map<number, Group>();
  private seq = 0;
  private next: Group | null = null;
  private dispatchQueued = false;
  /** Set when the thread died: every later write fails with it (fail closed, never a silent loss). */
  private broken: Error | null = null;
  private closing = false;
  private readonly ready: Promise<WriterSettings>;
  private readonly exited: Promise<void>;
  private idleWaiters: Array<() => void> = [];

  constructor(path: string) {
    const driverPath = createRequire(import.meta.url).resolve('better-sqlite3');
    // execArgv: [] so that the parent's flags (`--input-type=module` would make the eval'd script an ES module,
    // `--cpu-prof` would profile the thread) do not carry over.
    this.worker = new Worker(WRITER_SOURCE, { eval: true, execArgv: [], workerData: { path, driverPath } });
    // Idle, the thread must not keep the process alive; it is ref'd while a group is in flight.
    this.worker.unref();
    let settled = false;
    this.ready = new Promise<WriterSettings>((resolve, reject) => {
      this.worker.on('message', (msg: WriterMessage) => {
        if (msg.type === 'ready') {
          settled = true;
          resolve({ journalMode: msg.journalMode, synchronous: msg.synchronous });
        } else if (msg.type === 'done') for (const r of msg.results) this.completed(r.seq, r.errors);
      });
      this.worker.once('error', (err: Error) => {
        this.fail(storageError(err.message));
        if (!settled) reject(this.broken ?? err);
      });
    });
    this.ready.catch(() => undefined); // observed through writes and settings(); never an unhandled rejection
    this.exited = new Promise((resolve) => {
      this.worker.once('exit', (code) => {
        if (!this.closing) this.fail(storageError(`writer thread exited with code ${code}`));
        resolve();
      });
    });
  }

  /** Resolves once `ops` are durably committed (all of them, in one SQLite transaction), rejects if none were. */
  submit(ops: BatchOp[]): Promise<void> {
    if (this.broken) return Promise.reject(this.broken);
    if (!this.next) this.next = { batches: [], waiters: [] };
    const group = this.next;
    group.batches.push(ops);
    const promise = new Promise<void>((resolve, reject) => group.waiters.push({ resolve, reject }));
    if (!this.dispatchQueued) {
      // Writes made in the same synchronous stretch (one request's batch, a burst of settled promises) go together.
      this.dispatchQueued = true;
      queueMicrotask(() => {
        this.dispatchQueued = false;
        this.dispatch();
      });
    }
    return promise;
  }

  /** The journal mode and synchronous level of the writing connection (diagnostics and tests). */
  settings(): Promise<WriterSettings> {
    return this.ready;
  }

  /** Waits for every submitted write, then closes the writing connection and ends the thread. */
  async close(): Promise<void> {
    if (this.inFlight.size > 0 || this.next) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    this.closing = true;
    if (!this.broken) {
      this.worker.ref();
      this.worker.postMessage({ type: 'close' });
    }
    await this.exited;
  }

  /**
   * Hands the gathered group to the thread at once, even while earlier ones are still committing: the thread takes
   * every group waiting when it finishes a commit into its next one, so it never idles while this event loop is too
   * busy to notice that a commit is done, and concurrent writers still share fsyncs.
   */
  private dispatch(): void {
    if (!this.next || this.broken) return;
    const group = this.next;
    this.next = null;
    const seq = ++this.seq;
    this.inFlight.set(seq, group);
    this.worker.ref();
    const { batches, data, buffer } = encodeGroup(group.batches);
    this.worker.postMessage({ type: 'group', seq, batches, data }, [buffer]);
  }

  private completed(seq: number, errors: Array<string | null> | null): void {
    const group = this.inFlight.get(seq);
    this.inFlight.delete(seq);
    if (group) {
      group.waiters.forEach((waiter, i) => {
        const error = errors?.[i];
        if (error) waiter.reject(storageError(error));
        else waiter.resolve();
      });
    }
    if (this.inFlight.size === 0 && !this.next) {
      this.worker.unref();
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  private fail(err: Error): void {
    if (this.broken) return;
    this.broken = err;
    for (const group of [...this.inFlight.values(), this.next]) for (const waiter of group?.waiters ?? []) waiter.reject(err);
    this.inFlight.clear();
    this.next = null;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
