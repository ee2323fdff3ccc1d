import { createSocket, type Socket as DgramSocket } from 'node:dgram';
import { createConnection, isIP, type Socket } from 'node:net';
import { durationOptionMs, optionError } from '../options.js';
import type { AuditSink, SinkFactory } from './sink.js';

export type SocketType = 'tcp' | 'udp' | 'unix';

/** Vault's default `write_timeout`. */
export const DEFAULT_WRITE_TIMEOUT_MS = 2000;

/** `host:port` or `[v6]:port`. */
function splitHostPort(address: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(address);
  if (!m) throw optionError(`"address" ${JSON.stringify(address)} is not host:port`);
  return { host: m[1] ?? (m[2] || '127.0.0.1'), port: Number(m[3]) };
}

function withTimeout<T>(ms: number, what: string, run: (done: (err?: Error | null, value?: T) => void) => void, onTimeout: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      onTimeout();
      reject(new Error(`${what}: timed out after ${ms}ms`));
    }, ms);
    run((err, value) => {
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(value as T);
    });
  });
}

/**
 * Writes each entry to a TCP, UDP or unix stream socket, as Vault's socket device: one connection kept open,
 * writes serialised, and on failure one reconnect and retry. A write resolves once the kernel accepted the bytes.
 */
export class SocketSink implements AuditSink {
  private conn: Socket | null = null;
  private udp: DgramSocket | null = null;
  /** Serialises writes so entries arrive in order and a reconnect is not raced. */
  private chain: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(readonly address: string, readonly socketType: SocketType, readonly timeoutMs: number = DEFAULT_WRITE_TIMEOUT_MS) {
    if (socketType !== 'unix') splitHostPort(address);
  }

  write(entry: Buffer): Promise<void> {
    // Checked when the entry is handed over, so a close only refuses entries that come after it.
    if (this.closed) return Promise.reject(new Error(`audit socket ${this.socketType} "${this.address}" is closed`));
    const run = this.chain.then(() => this.writeWithRetry(entry));
    this.chain = run.catch(() => undefined);
    return run;
  }

  async reopen(): Promise<void> {
    await this.chain;
    this.disconnect();
    if (this.socketType !== 'udp') await this.connect();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.chain;
    this.disconnect();
  }

  private async writeWithRetry(entry: Buffer): Promise<void> {
    try {
      await this.writeOnce(entry);
    } catch {
      this.disconnect();
      try {
        await this.writeOnce(entry);
      } catch (err) {
        this.disconnect();
        throw new Error(`error writing to ${this.socketType} socket "${this.address}": ${(err as Error).message}`);
      }
    }
  }

  private async writeOnce(entry: Buffer): Promise<void> {
    if (this.socketType === 'udp') return this.sendDatagram(entry);
    const conn = await this.connect();
    await withTimeout<void>(this.timeoutMs, 'write', (done) => conn.write(entry, (err) => done(err)), () => conn.destroy());
  }

  private connect(): Promise<Socket> {
    if (this.conn && !this.conn.destroyed) return Promise.resolve(this.conn);
    const target = this.socketType === 'unix' ? { path: this.address } : splitHostPort(this.address);
    const conn = createConnection(target);
    // Errors after connecting (peer gone) only mark the connection dead; the next write reconnects.
    conn.on('error', () => conn.destroy());
    conn.on('end', () => conn.destroy());
    conn.on('close', () => {
      if (this.conn === conn) this.conn = null;
    });
    return withTimeout<Socket>(this.timeoutMs, 'connect', (done) => {
      conn.once('connect', () => {
        this.conn = conn;
        done(null, conn);
      });
      conn.once('error', (err) => done(err));
    }, () => conn.destroy());
  }

  private sendDatagram(entry: Buffer): Promise<void> {
    const { host, port } = splitHostPort(this.address);
    if (!this.udp) {
      const sock = createSocket(isIP(host) === 6 ? 'udp6' : 'udp4');
      sock.on('error', () => {
        sock.close();
        if (this.udp === sock) this.udp = null;
      });
      sock.unref();
      this.udp = sock;
    }
    const sock = this.udp;
    return withTimeout<void>(this.timeoutMs, 'send', (done) => sock.send(entry, port, host, (err) => done(err)), () => undefined);
  }

  private disconnect(): void {
    this.conn?.destroy();
    this.conn = null;
    if (this.udp) {
      try {
        this.udp.close();
      } catch {
        /* already closed */
      }
      this.udp = null;
    }
  }
}

/** `socket`: `address` (required), `socket_type` (`tcp`, `udp`, `unix`; default tcp), `write_timeout` (default 2s). */
export const socketSinkFactory: SinkFactory = {
  type: 'socket',
  create(options) {
    const address = options.address?.trim();
    if (options.address === undefined) throw optionError('"address" is required');
    if (!address) throw optionError('"address" cannot be empty');
    const type = (options.socket_type ?? 'tcp').trim();
    if (type !== 'tcp' && type !== 'udp' && type !== 'unix') throw optionError(`unsupported "socket_type" ${JSON.stringify(type)}`);
    const timeout = options.write_timeout === undefined ? DEFAULT_WRITE_TIMEOUT_MS : durationOptionMs(options.write_timeout, 'write_timeout');
    if (timeout <= 0) throw optionError('"write_timeout" must be positive');
    return new SocketSink(address, type, timeout);
  },
};
