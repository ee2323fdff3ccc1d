import nodeVault from 'node-vault';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConfiguredServer } from '../helpers/server.js';

/** The unmodified node-vault client against a real Ward on SQLite: the calls its README shows. */
describe('node-vault 0.12 against Ward', () => {
  let srv: Awaited<ReturnType<typeof startConfiguredServer>>;
  let vault: nodeVault.client;

  beforeAll(async () => {
    srv = await startConfiguredServer();
    vault = nodeVault({ apiVersion: 'v1', endpoint: srv.addr });
  });
  afterAll(async () => {
    await srv.stop();
    srv.cleanup();
  });

  it('init, unseal and status', async () => {
    expect(await vault.initialized()).toEqual({ initialized: false });
    const init = await vault.init({ secret_shares: 3, secret_threshold: 2 });
    expect(init.keys).toHaveLength(3);
    vault.token = init.root_token;
    const first = await vault.unseal({ secret_shares: 1, key: init.keys[0] });
    expect(first).toMatchObject({ sealed: true, progress: 1 });
    const second = await vault.unseal({ secret_shares: 1, key: init.keys[2] });
    expect(second).toMatchObject({ sealed: false });
    expect(await vault.status()).toMatchObject({ initialized: true, sealed: false, t: 2, n: 3 });
    const health = await vault.health();
    expect(health).toMatchObject({ initialized: true, sealed: false, standby: false });
  });

  it('lists, mounts and unmounts secret engines (top-level keys, as node-vault code reads them)', async () => {
    const before = await vault.mounts();
    expect(Object.prototype.hasOwnProperty.call(before, 'cubbyhole/')).toBe(true);
    expect(Object.prototype.hasOwnProperty.call(before, 'sys/')).toBe(true);
    await vault.mount({ mount_point: 'kvone', type: 'kv', description: 'kv version 1' });
    await vault.mount({ mount_point: 'kvtwo', type: 'kv', options: { version: '2' } });
    const after = await vault.mounts();
    expect(after['kvone/']).toMatchObject({ type: 'kv', description: 'kv version 1' });
    expect(after['kvtwo/']).toMatchObject({ type: 'kv', options: { version: '2' } });
    await expect(vault.mount({ mount_point: 'kvone', type: 'kv' })).rejects.toThrow(/already in use/);
  });

  it('writes, reads, lists and deletes on kv v1', async () => {
    await vault.write('kvone/app/db', { username: 'app', password: 's3cr3t' });
    await vault.write('kvone/app/api', { key: 'abc' });
    expect((await vault.read('kvone/app/db')).data).toEqual({ username: 'app', password: 's3cr3t' });
    expect((await vault.list('kvone/app')).data.keys).toEqual(['api', 'db']);
    expect((await vault.list('kvone/')).data.keys).toEqual(['app/']);
    await vault.delete('kvone/app/db');
    await expect(vault.read('kvone/app/db')).rejects.toMatchObject({ response: { statusCode: 404 } });
  });

  it('writes, reads, lists and deletes on kv v2', async () => {
    const written = await vault.write('kvtwo/data/team/service', { data: { token: 'first' } });
    expect(written.data.version).toBe(1);
    await vault.write('kvtwo/data/team/service', { data: { token: 'second' }, options: { cas: 1 } });
    const read = await vault.read('kvtwo/data/team/service');
    expect(read.data.data).toEqual({ token: 'second' });
    expect(read.data.metadata.version).toBe(2);
    expect((await vault.read('kvtwo/data/team/service?version=1')).data.data).toEqual({ token: 'first' });
    expect((await vault.list('kvtwo/metadata/team')).data.keys).toEqual(['service']);
    await vault.delete('kvtwo/data/team/service');
    await expect(vault.read('kvtwo/data/team/service')).rejects.toMatchObject({ response: { statusCode: 404 } });
    await vault.write('kvtwo/destroy/team/service', { versions: [1] });
    const meta = await vault.read('kvtwo/metadata/team/service');
    expect(meta.data.versions['1'].destroyed).toBe(true);
    await vault.delete('kvtwo/metadata/team/service');
    await expect(vault.read('kvtwo/metadata/team/service')).rejects.toMatchObject({ response: { statusCode: 404 } });
    await vault.unmount({ mount_point: 'kvtwo' });
    expect(Object.prototype.hasOwnProperty.call(await vault.mounts(), 'kvtwo/')).toBe(false);
  });

  it('gets a 403 with a bad token and a 503 when sealed', async () => {
    const bad = nodeVault({ apiVersion: 'v1', endpoint: srv.addr, token: 'hvs.not-a-token' });
    await expect(bad.read('kvone/app/api')).rejects.toMatchObject({ response: { statusCode: 403 } });
    await vault.seal();
    expect(await vault.status()).toMatchObject({ sealed: true });
    await expect(vault.read('kvone/app/api')).rejects.toMatchObject({ response: { statusCode: 503 } });
  });
});
