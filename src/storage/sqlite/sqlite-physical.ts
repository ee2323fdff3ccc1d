import Database from 'better-sqlite3';
import { assertValue, assertWritableKey, closedError, listOneLevel } from '../keys.js';
import type { BatchOp, ListOptions, Physical, ScanRange, StoredEntry } from '../physical.js';
import { SqliteWriterThread, type WriterSettings } from './writer-thread.js';

// TEXT keys compare with SQLite's BINARY collation (memcmp of UTF-8), the byte order the contract asks for.
// WITHOUT ROWID stores rows in the primary-key b-tree itself: one lookup per get, and ordered range reads for free.
const SCHEMA = 'CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID';

type Db = Database.Database;

/** The statements every call uses, prepared once per connection. */
class Statements {
  readonly get: Database.Statement<[string], Buffer>;
  readonly put: Database.Statement<[string, Buffer]>;
  readonly delete: Database.Statement<[string]>;
  readonly keysFrom: Database.Statement<[string], string>;
  readonly scan: Database.Statement<[string, string, number], StoredEntry>;

  constructor(db: Db) {
    this.get = db.prepare<[string], Buffer>('SELECT value FROM entries WHERE key = ?').pluck();
    this.put = db.prepare<[string, Buffer]>(
      'INSERT INTO entries (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
    this.delete = db.prepare<[string]>('DELETE FROM entries WHERE key = ?');
    // Read lazily through iterate(): list stops stepping as soon as it leaves the prefix or meets a sub-folder.
    this.keysFrom = db.prepare<[string], string>('SELECT key FROM entries WHERE key >= ? ORDER BY key').pluck();
    this.scan = db.prepare<[string, string, number], StoredEntry>(
      'SELECT key, value FROM entries WHERE key >= ? AND key < ? ORDER BY key LIMIT ?',
    );
  }
}

/**
 * The embedded default backend: one SQLite file through better-sqlite3. Reads run on the caller's thread (a point
 * lookup from the page cache costs microseconds; better-sqlite3 has no async API). Writes of a file-backed database
 * go to a writer thread (`SqliteWriterThread`) that group-commits them, so no fsync ever blocks the event loop; a
 * write's promise resolves once it is durable, and reads see it from then on (WAL: each read sees the last commit).
 * A `:memory:` database cannot be shared between threads, so it commits in-thread, grouped per event-loop turn.
 * Values come back as fresh Buffers, so callers cannot reach stored bytes.
 */
export class SqlitePhysical implements Physical {
  private db: Db | null;
  private readonly writer: SqliteWriterThread | null;
  private readonly stmts: Statements;
  private readonly applyBatch: (ops: BatchOp[]) => void;
  private readonly applyGroup: (batches: BatchOp[][]) => void;
  /** Writes waiting for the group commit of this turn of the event loop. */
  private group: { batches: BatchOp[][]; waiters: Array<{ resolve: () => void; reject: (err: unknown) => void }> } | null = null;

  private constructor(db: Db, writer: SqliteWriterThread | null) {
    this.db = db;
    this.writer = writer;
    this.stmts = new Statements(db);
    // db.transaction wraps the loop in BEGIN/COMMIT and rolls back if any op throws, even halfway through.
    this.applyBatch = db.transaction((ops: BatchOp[]) => {
      for (const op of ops) {
        if (op.op === 'put') {
          assertWritableKey(op.key);
          assertValue(op.value);
          this.stmts.put.run(op.key, op.value);
        } else if (op.op === 'delete') {
          this.stmts.delete.run(op.key);
        } else {
          throw new TypeError(`unknown batch operation ${String((op as { op: unknown }).op)}`);
        }
      }
    });
    this.applyGroup = db.transaction((batches: BatchOp[][]) => {
      for (const ops of batches) this.applyBatch(ops); // nested: savepoints inside the one transaction
    });
  }

  /**
   * Group commit: concurrent writes go into one SQLite transaction, so requests share one fsync instead of queueing
   * for one each. Each caller's promise resolves only once the transaction is durable. If the group fails, each batch
   * is retried alone so that one bad batch fails only itself. Operations are checked here, before they are queued,
   * so a bad one fails its own batch at once.
   */
  private write(ops: BatchOp[]): Promise<void> {
    for (const op of ops) {
      if (op.op === 'put') {
        assertWritableKey(op.key);
        assertValue(op.value);
      } else if (op.op !== 'delete') {
        throw new TypeError(`unknown batch operation ${String((op as { op: unknown }).op)}`);
      }
    }
    if (this.writer) return this.writer.submit(ops);
    if (!this.group) {
      this.group = { batches: [], waiters: [] };
      setImmediate(() => this.flush());
    }
    const group = this.group;
    group.batches.push(ops);
    return new Promise((resolve, reject) => group.waiters.push({ resolve, reject }));
  }

  private flush(): void {
    const group = this.group;
    this.group = null;
    if (!group) return;
    try {
      this.conn();
      this.applyGroup(group.batches);
      for (const w of group.waiters) w.resolve();
    } catch {
      group.batches.forEach((ops, i) => {
        const w = group.waiters[i] as { resolve: () => void; reject: (err: unknown) => void };
        try {
          this.conn();
          this.applyBatch(ops);
          w.resolve();
        } catch (err) {
          w.reject(err);
        }
      });
    }
  }

  /**
   * Opens (creating if needed) the database at `path` (`':memory:'` for a throwaway one). The caller owns the file's
   * directory and permissions (see `openPhysical`). Throws if the file is not a SQLite database or is locked.
   */
  static open(path: string): SqlitePhysical {
    const db = new Database(path);
    let writer: SqliteWriterThread | null = null;
    try {
      // WAL: readers never block the writer and a commit appends to one file instead of rewriting pages twice.
      db.pragma('journal_mode = WAL');
      // FULL, not WAL's usual NORMAL: NORMAL fsyncs only at checkpoints, so a put that already returned can vanish
      // on power loss or an OS crash. Ward acknowledges writes (a lease record, a root token) that must survive,
      // so every commit fsyncs the WAL before returning.
      db.pragma('synchronous = FULL');
      db.exec(SCHEMA);
      // The event loop's connection never writes after this: the writer thread opens its own on the same file.
      if (path !== ':memory:' && path !== '') writer = new SqliteWriterThread(path);
      return new SqlitePhysical(db, writer);
    } catch (err) {
      void writer?.close();
      db.close();
      throw err;
    }
  }

  async get(key: string): Promise<Buffer | null> {
    this.conn();
    return this.stmts.get.get(key) ?? null;
  }

  async put(key: string, value: Buffer): Promise<void> {
    this.conn();
    await this.write([{ op: 'put', key, value }]);
  }

  async delete(key: string): Promise<void> {
    this.conn();
    await this.write([{ op: 'delete', key }]);
  }

  async list(prefix: string, options?: ListOptions): Promise<string[]> {
    this.conn();
    return listOneLevel(prefix, options, (from) => this.stmts.keysFrom.iterate(from));
  }

  async scan(range: ScanRange): Promise<StoredEntry[]> {
    this.conn();
    const limit = range.limit !== undefined && range.limit > 0 ? range.limit : -1; // SQLite: negative = no limit
    return this.stmts.scan.all(range.start, range.end, limit);
  }

  /** Applies `ops` in order in one SQLite transaction: all of them, or none if any fails. */
  async batch(ops: BatchOp[]): Promise<void> {
    this.conn();
    await this.write(ops);
  }

  /** Closes the connection (checkpointing the WAL). Idempotent; every other method rejects afterwards. */
  async close(): Promise<void> {
    if (this.db === null) return;
    this.flush(); // writes already promised are committed before the connection goes
    const db = this.db;
    this.db = null; // later calls fail; writes already handed to the writer thread still complete
    await this.writer?.close();
    db.close();
  }

  /**
   * The durability settings of the connection that commits (diagnostics and tests): `wal` and 2 (FULL). For a file
   * that is the writer thread's connection.
   */
  async settings(): Promise<WriterSettings> {
    const db = this.conn();
    if (this.writer) return this.writer.settings();
    return {
      journalMode: String(db.pragma('journal_mode', { simple: true })),
      synchronous: Number(db.pragma('synchronous', { simple: true })),
    };
  }

  private conn(): Db {
    if (this.db === null) throw closedError();
    return this.db;
  }
}
