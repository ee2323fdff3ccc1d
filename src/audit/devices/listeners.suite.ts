import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';

/**
 * Test support (excluded from the build): real listeners that collect what a sink sends, one message per line or
 * datagram. Nothing is mocked: the sinks talk to these over real sockets.
 */
export interface Collector {
  /** Where to point the sink: `host:port` or a socket path. */
  address: string;
  /** Messages received so far. */
  messages: string[];
  /** Resolves once at least `n` messages arrived (rejects after 5s). */
  waitFor(n: number): Promise<string[]>;
  close(): Promise<void>;
}

function waiter(messages: string[]): (n: number) => Promise<string[]> {
  return async (n) => {
    const until = Date.now() + 5000;
    while (messages.length < n) {
      if (Date.now() > until) throw new Error(`expected ${n} messages, got ${messages.length}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return messages;
  };
}

/** A TCP listener (or a unix stream listener when `path` is given) splitting what it receives into lines. */
export async function streamCollector(path?: string): Promise<Collector & { server: Server; sockets: Set<Socket> }> {
  const messages: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((sock) => {
    sockets.add(sock);
    let buf = '';
    sock.on('data', (d: Buffer) => {
      buf += d.toString('utf8');
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        messages.push(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
      }
    });
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => (path ? server.listen(path, resolve) : server.listen(0, '127.0.0.1', resolve)));
  const address = path ?? `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    address, messages, server, sockets, waitFor: waiter(messages),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A UDP listener: one message per datagram. */
export async function udpCollector(): Promise<Collector> {
  const messages: string[] = [];
  const sock = createSocket('udp4');
  sock.on('message', (d) => messages.push(d.toString('utf8').replace(/\n$/, '')));
  await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${sock.address().port}`, messages, waitFor: waiter(messages),
    close: () => new Promise<void>((resolve) => sock.close(() => resolve())),
  };
}

/** Whether a program runs here (python3 for the datagram listener, logger for the syslog sink). */
export function hasProgram(name: string, args: string[] = ['--version']): boolean {
  const r = spawnSync(name, args, { stdio: 'ignore' });
  return r.error === undefined;
}

/**
 * A unix datagram listener, as a syslog daemon's /dev/log is. Node cannot bind one, so a small python3 process
 * does, and prints each datagram as one JSON string per line.
 */
export async function unixgramCollector(path: string): Promise<Collector> {
  const messages: string[] = [];
  const script = [
    'import socket, sys, json',
    's = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)',
    's.bind(sys.argv[1])',
    'print("ready", flush=True)',
    'while True:',
    '    print(json.dumps(s.recv(1 << 20).decode("utf-8", "replace")), flush=True)',
  ].join('\n');
  const child: ChildProcessWithoutNullStreams = spawn('python3', ['-c', script, path]);
  let buf = '';
  let ready: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (ready = resolve));
  child.stdout.on('data', (d: Buffer) => {
    buf += d.toString('utf8');
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (line === 'ready') ready();
      else messages.push(JSON.parse(line) as string);
    }
  });
  await started;
  return {
    address: path, messages, waitFor: waiter(messages),
    close: async () => {
      child.kill();
      await new Promise((r) => child.once('exit', r));
    },
  };
}
