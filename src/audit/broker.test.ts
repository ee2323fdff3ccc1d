import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../framework/logger.js';
import { InmemPhysical } from '../storage/inmem/inmem-physical.js';
import { Telemetry } from '../telemetry/telemetry.js';
import { AuditBroker } from './broker.js';
import { streamCollector } from './devices/listeners.suite.js';
import { isAuditFailure } from './errors.js';
import { AUDIT_TABLE_KEY } from './table.js';
import type { AuditResponseInput } from './types.js';

const entries = (path: string): Record<string, unknown>[] =>
  readFileSync(path, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);

const counter = (t: Telemetry, name: string): number => t.jsonSummary().Counters.filter((c) => c.Name === name).reduce((n, c) => n + c.Sum, 0);

function request(i: number, password = 'pw'): AuditResponseInput {
  return {
    id: `req-${i}`, operation: 'update', path: 'secret/data/app', mountType: 'kv', mountPoint: 'secret/', remoteAddress: '127.0.0.1',
    data: { data: { password } }, auth: { clientToken: 'hvs.token-value', accessor: 'acc', policies: ['root'], tokenType: 'service' },
    response: { data: { version: 1 } },
  };
}

describe('AuditBroker', () => {
  let dir: string;
  let storage: InmemPhysical;
  let telemetry: Telemetry;
  let broker: AuditBroker;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ward-audit-broker-'));
    storage = new InmemPhysical();
    telemetry = new Telemetry({ config: { prometheusRetentionTime: 60, disableHostname: true, unauthenticatedMetricsAccess: false } });
    broker = new AuditBroker({ storage, logger: silentLogger, metrics: telemetry });
  });
  afterEach(async () => {
    await broker.unload();
    rmSync(dir, { recursive: true, force: true });
  });

  it('enables a file device: test entry, then one request and one response line per request', async () => {
    const path = join(dir, 'audit.log');
    await broker.enable('file', 'file', { file_path: path }, 'main log');
    await broker.logRequest(request(1));
    await broker.logResponse(request(1));
    const lines = entries(path);
    expect(lines.map((e) => [e.type, (e.request as { path: string }).path])).toEqual([
      ['request', 'sys/audit/test'], ['request', 'secret/data/app'], ['response', 'secret/data/app'],
    ]);
    expect(broker.list()).toEqual({ 'file/': { type: 'file', description: 'main log', options: { file_path: path }, path: 'file/', local: false } });
  });

  it('persists the table and the salt: a reloaded broker hashes the same way', async () => {
    const path = join(dir, 'audit.log');
    await broker.enable('file/', 'file', { file_path: path });
    const before = broker.hash('file', 'some value');
    await broker.unload();
    expect(broker.count).toBe(0);
    const table = JSON.parse((await storage.get(AUDIT_TABLE_KEY))?.toString('utf8') ?? '{}') as { entries: { uuid: string }[] };
    expect(table.entries).toHaveLength(1);
    expect((await storage.get(`audit/${table.entries[0]?.uuid}/salt`))?.length).toBe(32);
    broker = new AuditBroker({ storage, logger: silentLogger });
    await broker.load();
    expect(broker.hash('file/', 'some value')).toBe(before);
  });

  it('sys/audit-hash equals the hash in the log', async () => {
    const path = join(dir, 'audit.log');
    await broker.enable('file', 'file', { file_path: path });
    await broker.logRequest(request(1, 'S3cret-value'));
    const logged = entries(path)[1] as { request: { data: { data: { password: string } } }; auth: { client_token: string } };
    expect(logged.request.data.data.password).toBe(broker.hash('file', 'S3cret-value'));
    expect(logged.auth.client_token).toBe(broker.hash('file', 'hvs.token-value'));
    expect(readFileSync(path, 'utf8')).not.toContain('S3cret-value');
  });

  it('refuses an unwritable path with a 400 naming it, and persists nothing', async () => {
    const blocker = join(dir, 'blocker');
    writeFileSync(blocker, '');
    const bad = join(blocker, 'audit.log');
    const err = await broker.enable('file', 'file', { file_path: bad }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'invalid_request', status: 400 });
    expect((err as Error).message).toContain(`"${bad}"`);
    expect(broker.list()).toEqual({});
    expect(await storage.get(AUDIT_TABLE_KEY)).toBeNull();
  });

  it('rejects unknown types, taken paths and bad options as Vault does', async () => {
    await expect(broker.enable('x', 'kafka', {})).rejects.toThrow('unknown backend type: "kafka"');
    await broker.enable('file', 'file', { file_path: 'discard' });
    await expect(broker.enable('file/', 'file', { file_path: 'discard' })).rejects.toThrow('path already in use');
    await expect(broker.enable('file/more', 'file', { file_path: 'discard' })).rejects.toThrow('path already in use');
    await expect(broker.enable('other', 'file', { file_path: 'discard', log_raw: 'maybe' })).rejects.toThrow('unable to parse "log_raw": invalid configuration');
    await expect(broker.enable('other', 'file', { file_path: 'discard', format: 'xml' })).rejects.toThrow('unsupported "format"');
    await expect(broker.enable('other', 'file', { file_path: 'discard', filter: 'x' })).rejects.toThrow('enterprise-only options supplied');
    await expect(broker.enable('/', 'file', { file_path: 'discard' })).rejects.toThrow('backend path must be specified');
  });

  it('writes jsonx with a prefix when asked', async () => {
    const path = join(dir, 'audit.xml');
    await broker.enable('x', 'file', { file_path: path, format: 'jsonx', prefix: 'AUDIT:' });
    await broker.logRequest(request(1));
    const last = readFileSync(path, 'utf8').trim().split('\n').pop() as string;
    expect(last.startsWith('AUDIT:<json:object name="auth">')).toBe(true);
    expect(last).toContain('<json:string name="type">request</json:string>');
  });

  it('fails closed: with its only device unwritable, logRequest throws and the failure is counted', async () => {
    const path = join(dir, 'audit.log');
    await broker.enable('file', 'file', { file_path: path });
    await broker.logRequest(request(1));
    // The file becomes unwritable mid-way (replaced by a directory; the SIGHUP reopen then cannot open it).
    renameSync(path, `${path}.old`);
    mkdirSync(path);
    await broker.reload();
    const err = await broker.logRequest(request(2)).catch((e: unknown) => e);
    expect(isAuditFailure(err)).toBe(true);
    expect(err).toMatchObject({ code: 'internal', status: 500, messages: ['internal error'] });
    await expect(broker.logResponse(request(2))).rejects.toMatchObject({ code: 'internal' });
    expect(counter(telemetry, 'vault.audit.log_request_failure')).toBe(1);
    expect(counter(telemetry, 'vault.audit.log_response_failure')).toBe(1);
  });

  it('keeps serving when one of two devices fails, counting the failed writes', async () => {
    const good = join(dir, 'good.log');
    const flaky = join(dir, 'flaky.log');
    await broker.enable('good', 'file', { file_path: good });
    await broker.enable('flaky', 'file', { file_path: flaky });
    renameSync(flaky, `${flaky}.old`);
    mkdirSync(flaky);
    await broker.reload();
    await broker.logRequest(request(1));
    await broker.logResponse(request(1));
    expect(entries(good).map((e) => e.type)).toEqual(['request', 'request', 'response']);
    expect(counter(telemetry, 'vault.audit.sink.failure')).toBe(2);
    expect(counter(telemetry, 'vault.audit.log_request_failure')).toBe(0);
  });

  it('loses no entry when the last device is disabled while requests are in flight', async () => {
    const collector = await streamCollector();
    await broker.enable('sock', 'socket', { address: collector.address });
    const n = 50;
    const writes = Array.from({ length: n }, (_, i) => broker.logRequest(request(i)));
    expect(await broker.disable('sock')).toBe(true);
    await Promise.all(writes);
    const got = await collector.waitFor(n + 1);
    expect(got.slice(1).map((l) => (JSON.parse(l) as { request: { id: string } }).request.id)).toEqual(Array.from({ length: n }, (_, i) => `req-${i}`));
    // With no device left, nothing is refused.
    await broker.logRequest(request(99));
    expect(broker.list()).toEqual({});
    expect(await broker.disable('sock')).toBe(false);
    await collector.close();
  });
});
