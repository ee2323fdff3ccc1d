import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../framework/logger.js';
import { type Collector, streamCollector, udpCollector } from './listeners.suite.js';
import { sinkConformance } from './sink.suite.js';
import { SocketSink, socketSinkFactory } from './socket.js';

function harness(make: () => Promise<{ collector: Collector; sink: SocketSink; dir?: string }>) {
  return async () => {
    const { collector, sink, dir } = await make();
    return {
      sink,
      received: (n: number) => collector.waitFor(n),
      cleanup: async () => {
        await sink.close();
        await collector.close();
        if (dir) rmSync(dir, { recursive: true, force: true });
      },
    };
  };
}

sinkConformance('socket tcp', harness(async () => {
  const collector = await streamCollector();
  return { collector, sink: new SocketSink(collector.address, 'tcp') };
}));

sinkConformance('socket udp', harness(async () => {
  const collector = await udpCollector();
  return { collector, sink: new SocketSink(collector.address, 'udp') };
}));

sinkConformance('socket unix', harness(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ward-audit-sock-'));
  const collector = await streamCollector(join(dir, 'audit.sock'));
  return { collector, sink: new SocketSink(collector.address, 'unix'), dir };
}));

describe('socket sink', () => {
  it('fails when nothing listens, naming the address', async () => {
    const collector = await streamCollector();
    const address = collector.address;
    await collector.close();
    const sink = new SocketSink(address, 'tcp', 500);
    await expect(sink.write(Buffer.from('x\n'))).rejects.toThrow(`error writing to tcp socket "${address}"`);
    await sink.close();
  });

  it('reconnects after the listener drops the connection', async () => {
    const collector = await streamCollector();
    const sink = new SocketSink(collector.address, 'tcp');
    await sink.write(Buffer.from('one\n'));
    await collector.waitFor(1);
    for (const s of collector.sockets) s.destroy();
    await new Promise((r) => setTimeout(r, 50));
    await sink.write(Buffer.from('two\n'));
    expect(await collector.waitFor(2)).toEqual(['one', 'two']);
    await sink.close();
    await collector.close();
  });

  it('validates its options as Vault does', () => {
    expect(() => socketSinkFactory.create({}, silentLogger)).toThrow('"address" is required: invalid configuration');
    expect(() => socketSinkFactory.create({ address: '127.0.0.1:9090', socket_type: 'sctp' }, silentLogger)).toThrow('socket_type');
    expect(() => socketSinkFactory.create({ address: '127.0.0.1:9090', write_timeout: 'soon' }, silentLogger)).toThrow('unable to parse "write_timeout"');
    expect((socketSinkFactory.create({ address: '127.0.0.1:9090', write_timeout: '500ms' }, silentLogger) as SocketSink).timeoutMs).toBe(500);
    expect((socketSinkFactory.create({ address: '127.0.0.1:9090' }, silentLogger) as SocketSink).socketType).toBe('tcp');
  });
});
