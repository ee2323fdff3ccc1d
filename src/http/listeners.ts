import { readFileSync } from 'node:fs';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { Server } from 'node:http';
import { rewriteListMethod } from './list-method.js';

export interface ListenerSpec {
  address: string;
  tlsDisable: boolean;
  tlsCertFile?: string;
  tlsKeyFile?: string;
}

export interface BoundListener {
  /** `http://127.0.0.1:8200` or `https://…`, with the real port when 0 was asked. */
  url: string;
  close(): Promise<void>;
}

function splitAddress(address: string): { host: string; port: number } {
  const m = /^\[?([^\]]*)\]?:(\d+)$/.exec(address);
  if (!m) throw new Error(`listener address "${address}" must be host:port`);
  return { host: m[1] as string, port: Number(m[2]) };
}

/**
 * Binds one TCP (optionally TLS) listener and hands every connection to the HTTP server through the LIST-method
 * rewriter.
 */
export async function bindListener(http: Server, spec: ListenerSpec): Promise<BoundListener> {
  const { host, port } = splitAddress(spec.address);
  const feed = (socket: Socket) => {
    // Small responses must not wait for the client's delayed ACK (Nagle): Vault clients make many small requests.
    socket.setNoDelay(true);
    http.emit('connection', rewriteListMethod(socket));
  };
  let srv: NetServer;
  if (spec.tlsDisable) {
    srv = createNetServer(feed);
  } else {
    if (!spec.tlsCertFile || !spec.tlsKeyFile) throw new Error('TLS listener needs tls_cert_file and tls_key_file');
    const tls = createTlsServer({ cert: readFileSync(spec.tlsCertFile), key: readFileSync(spec.tlsKeyFile), minVersion: 'TLSv1.2' });
    tls.on('secureConnection', feed);
    tls.on('tlsClientError', () => undefined);
    srv = tls;
  }
  const sockets = new Set<Socket>();
  srv.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(port, host, () => {
      srv.off('error', reject);
      resolve();
    });
  });
  const bound = srv.address();
  const realPort = typeof bound === 'object' && bound ? bound.port : port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `${spec.tlsDisable ? 'http' : 'https'}://${shownHost}:${realPort}`,
    close: () =>
      new Promise<void>((resolve) => {
        srv.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}
