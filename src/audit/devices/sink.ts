import type { Logger } from '../../framework/logger.js';

/**
 * Where a device's formatted entries go. One conformance suite (`sink.suite.ts`) runs against every
 * implementation. Entries arrive already hashed and serialised; a sink never sees plaintext secrets unless the
 * operator chose `log_raw`.
 */
export interface AuditSink {
  /**
   * Writes one entry. Resolves only once the entry is handed to the destination (file: the write(2) returned;
   * socket: the kernel took the bytes; syslog: the datagram was sent), so "logged" means written. Rejects when it
   * could not be written; the error message names the destination and never contains the entry.
   */
  write(entry: Buffer): Promise<void>;
  /** Closes and reopens the destination (SIGHUP, for log rotation). Rejects when the reopen failed. */
  reopen(): Promise<void>;
  /** Releases the destination. Called once, after every write has settled. */
  close(): Promise<void>;
}

/** Builds a device's sink from its options; throws a 400 (invalid_request) for bad options. */
export interface SinkFactory {
  type: string;
  create(options: Record<string, string>, logger: Logger): AuditSink;
}
