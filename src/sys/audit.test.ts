import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditBroker } from '../audit/broker.js';
import { silentLogger } from '../framework/logger.js';
import { InmemPhysical } from '../storage/inmem/inmem-physical.js';
import { auditPaths } from './audit.js';
import { sysHarness, type SysHarness } from './sys-harness.suite.js';

describe('sys/audit, sys/audit-hash', () => {
  let dir: string;
  let broker: AuditBroker;
  let sys: SysHarness;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ward-sys-audit-'));
    const storage = new InmemPhysical();
    broker = new AuditBroker({ storage, logger: silentLogger });
    sys = sysHarness(auditPaths(broker), storage);
  });
  afterEach(async () => {
    await broker.unload();
    rmSync(dir, { recursive: true, force: true });
  });

  it('enables (204), lists "<path>/" → {type, description, options, path, local}, disables (204)', async () => {
    const file = join(dir, 'audit.log');
    expect(await sys.call('update', 'audit/file', { type: 'file', description: 'log', options: { file_path: file, hmac_accessor: false } })).toBeNull();
    expect(await sys.call('read', 'audit')).toEqual({
      data: { 'file/': { type: 'file', description: 'log', options: { file_path: file, hmac_accessor: 'false' }, path: 'file/', local: false } },
    });
    expect(await sys.call('delete', 'audit/file')).toBeNull();
    expect(await sys.call('read', 'audit')).toEqual({ data: {} });
    // Disabling what is not there is a 204 too.
    expect(await sys.call('delete', 'audit/file')).toBeNull();
  });

  it('answers 400 naming the path for an unwritable file_path, and for a missing type', async () => {
    writeFileSync(join(dir, 'f'), '');
    const bad = join(dir, 'f', 'audit.log');
    const err = await sys.fail('update', 'audit/file', { type: 'file', options: { file_path: bad } });
    expect(err.status).toBe(400);
    expect(err.message).toContain(bad);
    expect((await sys.fail('update', 'audit/x', {})).message).toBe('unknown backend type: ""');
  });

  it('audit-hash returns the hash the log holds for the same value', async () => {
    const file = join(dir, 'audit.log');
    await sys.call('update', 'audit/file', { type: 'file', options: { file_path: file } });
    await broker.logRequest({ id: 'r1', operation: 'update', path: 'secret/x', data: { password: 'hunter2' } });
    const logged = JSON.parse(readFileSync(file, 'utf8').trim().split('\n').pop() as string) as { request: { data: { password: string } } };
    const resp = await sys.call('update', 'audit-hash/file', { input: 'hunter2' });
    expect(resp).toEqual({ data: { hash: logged.request.data.password } });
    expect(logged.request.data.password).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    expect((await sys.fail('update', 'audit-hash/file', {})).message).toBe('the "input" parameter is empty');
    expect((await sys.fail('update', 'audit-hash/nope', { input: 'x' })).message).toBe('unknown audit backend nope/');
  });
});
