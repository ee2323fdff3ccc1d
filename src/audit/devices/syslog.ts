import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { optionError } from '../options.js';
import type { AuditSink, SinkFactory } from './sink.js';

/** Facilities Go's syslog package (and so Vault) accepts, by upper-case name → logger(1)'s lower-case name. */
const FACILITIES = new Set([
  'KERN', 'USER', 'MAIL', 'DAEMON', 'AUTH', 'SYSLOG', 'LPR', 'NEWS', 'UUCP', 'CRON', 'AUTHPRIV', 'FTP',
  'LOCAL0', 'LOCAL1', 'LOCAL2', 'LOCAL3', 'LOCAL4', 'LOCAL5', 'LOCAL6', 'LOCAL7',
]);

/** Where Go's log/syslog looks for the local syslog socket, in order. */
export const SYSLOG_SOCKETS = ['/dev/log', '/var/run/syslog', '/var/run/log'];

/** How long one delivery may take before it counts as failed (a syslog daemon that stopped reading blocks sends). */
const DELIVERY_TIMEOUT_MS = 5000;
/** Largest message logger(1) may send whole; larger datagrams fail with EMSGSIZE, as they do for Vault. */
const MAX_MESSAGE_BYTES = 1 << 20;

interface Pending {
  entry: Buffer;
  resolve: () => void;
  reject: (err: Error) => void;
}

/**
 * Sends entries to the local syslog daemon over its unix datagram socket with RFC 3164 local framing
 * (`<PRI>Mmm dd hh:mm:ss TAG[PID]: MSG`), priority `<facility>.info`, exactly as Go's log/syslog frames them for
 * Vault. Node has no unix datagram sockets, so delivery goes through util-linux `logger(1)` (present on every Debian
 * and RHEL system): one process per batch, `--socket-errors=on` so a failed send is a non-zero exit. Entries queued
 * while a delivery runs go together in the next one (one message per line), which keeps the cost per entry low.
 */
export class SyslogSink implements AuditSink {
  private queue: Pending[] = [];
  private running: Promise<void> | null = null;

  constructor(readonly socketPath: string, readonly facility: string, readonly tag: string) {}

  write(entry: Buffer): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ entry, resolve, reject });
      this.running ??= this.drain();
    });
  }

  async reopen(): Promise<void> {
    // Every delivery opens the socket afresh: nothing to reopen.
  }

  async close(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        await this.deliver(batch.map((p) => p.entry));
        for (const p of batch) p.resolve();
      } catch (err) {
        for (const p of batch) p.reject(err as Error);
      }
    }
    this.running = null;
  }

  private deliver(entries: Buffer[]): Promise<void> {
    const args = [
      '--socket-errors=on', '-u', this.socketPath, '-p', `${this.facility.toLowerCase()}.info`,
      '-t', this.tag, `--id=${process.pid}`, '-S', String(MAX_MESSAGE_BYTES),
    ];
    // One entry per line: logger(1) sends each line as one message. A prefix with a newline must not split one.
    const body = entries.map((e) => `${e.toString('utf8').replace(/\n$/, '').replace(/\r?\n/g, ' ')}\n`).join('');
    return new Promise<void>((resolve, reject) => {
      const child = spawn('logger', args, { stdio: ['pipe', 'ignore', 'pipe'] });
      let stderr = '';
      const timer = setTimeout(() => child.kill('SIGKILL'), DELIVERY_TIMEOUT_MS);
      child.stderr.on('data', (d: Buffer) => {
        if (stderr.length < 500) stderr += d.toString('utf8');
      });
      child.on('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(new Error(err.code === 'ENOENT' ? 'syslog delivery needs the logger program (util-linux), which was not found' : `syslog delivery failed: ${err.message}`));
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        if (code === 0) resolve();
        else reject(new Error(`syslog delivery to "${this.socketPath}" failed: ${signal ? `timed out after ${DELIVERY_TIMEOUT_MS}ms` : stderr.trim().replace(/^logger: /, '') || `exit ${code}`}`));
      });
      child.stdin.on('error', () => undefined);
      child.stdin.end(body);
    });
  }
}

/**
 * `syslog`: `facility` (default `AUTH`), `tag` (default `vault`, as Vault, so existing syslog filters match), and
 * Ward's `socket_path` (default: the first of /dev/log, /var/run/syslog, /var/run/log that exists).
 */
export const syslogSinkFactory: SinkFactory = {
  type: 'syslog',
  create(options) {
    const facility = (options.facility ?? 'AUTH').trim().toUpperCase();
    if (!FACILITIES.has(facility)) throw optionError(`invalid syslog facility: ${options.facility ?? ''}`);
    const tag = options.tag ?? 'vault';
    const socketPath = options.socket_path ?? SYSLOG_SOCKETS.find((p) => existsSync(p));
    // Go's error text when no local syslog socket exists.
    if (!socketPath) throw optionError('error creating syslog sink node: Unix syslog delivery error');
    return new SyslogSink(socketPath, facility, tag);
  },
};
