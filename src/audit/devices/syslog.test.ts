import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../framework/logger.js';
import { hasProgram, unixgramCollector } from './listeners.suite.js';
import { sinkConformance } from './sink.suite.js';
import { type SyslogSink, syslogSinkFactory } from './syslog.js';

// The sink needs util-linux logger(1); the test's datagram listener needs python3 (Node cannot bind unixgram).
const runnable = hasProgram('logger') && hasProgram('python3');
const FRAME = /^<(\d+)>([A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2}) ([^[]+)\[(\d+)\]: (.*)$/s;

async function setup(options: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'ward-audit-syslog-'));
  const collector = await unixgramCollector(join(dir, 'log.sock'));
  const sink = syslogSinkFactory.create({ socket_path: collector.address, ...options }, silentLogger);
  return {
    dir, collector, sink,
    cleanup: async () => {
      await sink.close();
      await collector.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

if (runnable) {
  sinkConformance('syslog', async () => {
    const t = await setup();
    return {
      sink: t.sink,
      received: async (n) => (await t.collector.waitFor(n)).map((m) => FRAME.exec(m)?.[5] ?? `unframed: ${m}`),
      cleanup: t.cleanup,
    };
  });
}

describe('syslog sink', () => {
  it.skipIf(!runnable)('frames each entry as RFC 3164 local syslog: <PRI>timestamp tag[pid]: message', async () => {
    const t = await setup({ facility: 'local3', tag: 'ward-audit' });
    await t.sink.write(Buffer.from('{"type":"request"}\n'));
    const [msg] = await t.collector.waitFor(1);
    const m = FRAME.exec(msg as string);
    expect(m).not.toBeNull();
    // local3 (19) * 8 + info (6)
    expect(m?.[1]).toBe(String(19 * 8 + 6));
    expect(m?.[3]).toBe('ward-audit');
    expect(m?.[4]).toBe(String(process.pid));
    expect(m?.[5]).toBe('{"type":"request"}');
    await t.cleanup();
  });

  it.skipIf(!runnable)('defaults to facility AUTH and tag vault, as Vault', async () => {
    const t = await setup();
    await t.sink.write(Buffer.from('x\n'));
    const [msg] = await t.collector.waitFor(1);
    expect(msg).toMatch(/^<38>.* vault\[\d+\]: x$/);
    await t.cleanup();
  });

  it.skipIf(!runnable)('fails when the syslog socket is gone, naming it', async () => {
    const t = await setup();
    await t.collector.close();
    rmSync(t.collector.address, { force: true });
    await expect(t.sink.write(Buffer.from('x\n'))).rejects.toThrow(`syslog delivery to "${t.collector.address}" failed`);
    await t.sink.close();
    rmSync(t.dir, { recursive: true, force: true });
  });

  it('validates facility, and needs a syslog socket', () => {
    expect(() => syslogSinkFactory.create({ facility: 'nope', socket_path: '/tmp/x' }, silentLogger)).toThrow('invalid syslog facility: nope');
    expect((syslogSinkFactory.create({ socket_path: '/tmp/x' }, silentLogger) as SyslogSink).facility).toBe('AUTH');
  });
});
