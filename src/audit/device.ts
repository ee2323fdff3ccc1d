import type { AuditSink } from './devices/sink.js';
import { type AuditEntry, formatRequestEntry, formatResponseEntry } from './entry.js';
import { hashForDevice } from './hash.js';
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

  constructor(
    readonly entry: AuditTableEntry,
    private readonly salt: Buffer,
    readonly options: CommonOptions,
    private readonly sink: AuditSink,
    private readonly now: () => number,
  ) {}

  /** The device's HMAC of `value` (what `sys/audit-hash` returns and what the log holds). */
  hash(value: string): string {
    return hashForDevice(this.salt, value);
  }

  logRequest(input: AuditRequestInput): Promise<void> {
    return this.emit(() => formatRequestEntry(input, (v) => this.hash(v), this.options, this.now()));
  }

  logResponse(input: AuditResponseInput): Promise<void> {
    return this.emit(() => formatResponseEntry(input, (v) => this.hash(v), this.options, this.now()));
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
