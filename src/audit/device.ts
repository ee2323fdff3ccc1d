import type { AuditSink } from './devices/sink.js';
import { type AuditEntry, formatRequestEntry, formatResponseEntry } from './entry.js';
import { createSecretKey, type KeyObject } from 'node:crypto';
import { type Hasher, hashForDevice } from './hash.js';
import { toJSONx } from './jsonx.js';
import type { CommonOptions } from './options.js';
import type { AuditTableEntry } from './table.js';
import type { AuditRequestInput, AuditResponseInput } from './types.js';

/** One line as the device writes it: prefix, the entry (JSON or JSONx), newline. */
export function serializeEntry(entry: AuditEntry, options: Pick<CommonOptions, 'format' | 'prefix'>): Buffer {
  const body = options.format === 'jsonx' ? toJSONx(entry) : JSON.stringify(entry);
  return Buffer.from(`${options.prefix}${body}\n`, 'utf8');
}

/**
 * An enabled audit device: its table entry, its salt, its formatting options and its sink. Tracks writes in flight
 * so that disabling it loses no entry that was already handed to it.
 */
export class AuditDevice {
  private readonly inFlight = new Set<Promise<void>>();
  /**
   * Hashes already computed for a request, keyed by its caller object (the core hands the same `auth` to the request
   * and the response entry): the token, the accessor and the request data are hashed once per request, not per entry.
   */
  private readonly requestHashes = new WeakMap<object, Map<string, string>>();
  /** HMAC of the empty string (empty deletion times and the like), the same for every entry of this device. */
  private emptyHash: string | undefined;
  /** The salt as a key object, imported once rather than for every value hashed. */
  private readonly key: KeyObject;

  constructor(
    readonly entry: AuditTableEntry,
    private readonly salt: Buffer,
    readonly options: CommonOptions,
    private readonly sink: AuditSink,
    private readonly now: () => number,
  ) {
    this.key = createSecretKey(salt);
  }

  /** The device's HMAC of `value` (what `sys/audit-hash` returns and what the log holds). */
  hash(value: string): string {
    return hashForDevice(this.key, value);
  }

  logRequest(input: AuditRequestInput): Promise<void> {
    return this.emit(() => formatRequestEntry(input, this.hasherFor(input), this.options, this.now()));
  }

  logResponse(input: AuditResponseInput): Promise<void> {
    return this.emit(() => formatResponseEntry(input, this.hasherFor(input), this.options, this.now()));
  }

  private hasherFor(input: AuditRequestInput): Hasher {
    const caller = input.auth;
    let memo = caller ? this.requestHashes.get(caller) : undefined;
    if (caller && !memo) {
      memo = new Map();
      this.requestHashes.set(caller, memo);
    }
    return (value) => {
      if (value === '') return (this.emptyHash ??= this.hash(''));
      if (!memo) return this.hash(value);
      let h = memo.get(value);
      if (h === undefined) memo.set(value, (h = this.hash(value)));
      return h;
    };
  }

  reopen(): Promise<void> {
    return this.sink.reopen();
  }

  /** Waits for every write handed to the device so far, then closes its sink. */
  async close(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    await this.sink.close();
  }

  private emit(build: () => AuditEntry): Promise<void> {
    let write: Promise<void>;
    try {
      write = this.sink.write(serializeEntry(build(), this.options));
    } catch (err) {
      // A value JSON cannot hold (BigInt, a cycle) fails this device, never the process.
      write = Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    // Registered synchronously, before any await, so a disable that starts after this call waits for it.
    this.inFlight.add(write);
    const done = (): void => {
      this.inFlight.delete(write);
    };
    write.then(done, done);
    return write;
  }
}
