import { beforeEach, describe, expect, it } from 'vitest';
import { listRecursive, prefixedStorage, rfc3339Nano, type Storage } from '../../framework/index.js';
import { InmemPhysical } from '../../storage/inmem/inmem-physical.js';
import { kvEngine } from './index.js';
import { fakeSystem, mount, type FakeSystem, type Mounted } from './harness.suite.js';

const START = Date.UTC(2024, 0, 2, 3, 4, 5, 678);
const HOUR = 3_600_000;

describe('kv v2 delete, undelete, destroy', () => {
  let kv: Mounted;
  let system: FakeSystem;
  let storage: Storage;

  beforeEach(async () => {
    system = fakeSystem(START);
    storage = prefixedStorage(new InmemPhysical(), 'logical/uuid-1/');
    kv = await mount(kvEngine, storage, { version: '2' }, system);
    for (let i = 1; i <= 3; i++) await kv.call('update', 'data/k', { data: { i } });
  });

  const versionState = async (n: number) => {
    const meta = (await kv.call('read', 'metadata/k'))?.data as { versions: Record<string, Record<string, unknown>> };
    return meta.versions[String(n)];
  };

  it('delete/ soft-deletes the given versions (array or comma string)', async () => {
    system.advance(1000);
    expect(await kv.call('update', 'delete/k', { versions: [1, 2] })).toBeNull();
    expect((await kv.call('read', 'data/k', { version: 1 }))?.httpStatus).toBe(404);
    expect((await kv.call('read', 'data/k', { version: 2 }))?.httpStatus).toBe(404);
    expect((await kv.call('read', 'data/k'))?.data).toMatchObject({ data: { i: 3 } });
    expect(await versionState(1)).toMatchObject({ deletion_time: rfc3339Nano(START + 1000) });
    await kv.call('update', 'delete/k', { versions: '3' });
    expect((await kv.call('read', 'data/k'))?.httpStatus).toBe(404);
  });

  it('undelete/ restores soft-deleted versions', async () => {
    await kv.call('update', 'delete/k', { versions: '1,2,3' });
    expect(await kv.call('update', 'undelete/k', { versions: [1, 3] })).toBeNull();
    expect((await kv.call('read', 'data/k', { version: 1 }))?.data).toMatchObject({ data: { i: 1 }, metadata: { deletion_time: '' } });
    expect((await kv.call('read', 'data/k'))?.data).toMatchObject({ data: { i: 3 } });
    expect((await kv.call('read', 'data/k', { version: 2 }))?.httpStatus).toBe(404);
  });

  it('undelete/ restarts the delete_version_after clock', async () => {
    await kv.call('update', 'config', { delete_version_after: '1h' });
    await kv.call('update', 'delete/k', { versions: [2] });
    system.advance(5 * HOUR);
    await kv.call('update', 'undelete/k', { versions: [2] });
    expect(await versionState(2)).toMatchObject({ deletion_time: rfc3339Nano(START + 6 * HOUR) });
    expect((await kv.call('read', 'data/k', { version: 2 }))?.data).toMatchObject({ data: { i: 2 } });
    system.advance(HOUR);
    expect((await kv.call('read', 'data/k', { version: 2 }))?.httpStatus).toBe(404);
  });

  it('destroy/ erases the data for good and keeps metadata marked destroyed', async () => {
    const before = await listRecursive(storage, 'versions/');
    expect(before).toHaveLength(3);
    expect(await kv.call('update', 'destroy/k', { versions: [2] })).toBeNull();
    expect(await listRecursive(storage, 'versions/')).toHaveLength(2);
    expect(await versionState(2)).toEqual({ created_time: rfc3339Nano(START), deletion_time: '', destroyed: true });
    expect(await kv.call('read', 'data/k', { version: 2 })).toEqual({
      data: {
        data: null,
        metadata: { created_time: rfc3339Nano(START), custom_metadata: null, deletion_time: '', destroyed: true, version: 2 },
      },
      httpStatus: 404,
    });
    // Neither undelete nor delete touch a destroyed version.
    await kv.call('update', 'undelete/k', { versions: [2] });
    await kv.call('update', 'delete/k', { versions: [2] });
    expect(await versionState(2)).toEqual({ created_time: rfc3339Nano(START), deletion_time: '', destroyed: true });
    expect((await kv.call('read', 'data/k', { version: 2 }))?.httpStatus).toBe(404);
  });

  it('needs versions, with Vault\'s texts', async () => {
    for (const [path, text] of [
      ['delete/k', 'No version number provided'],
      ['undelete/k', 'No version number provided'],
      ['destroy/k', 'no version number provided'],
    ] as const) {
      const err = await kv.fail('update', path, {});
      expect([err.code, err.status, err.messages]).toEqual(['invalid_request', 400, [text]]);
      expect((await kv.fail('update', path, { versions: [] })).messages).toEqual([text]);
    }
    expect((await kv.fail('update', 'delete/k', { versions: 'x' })).code).toBe('invalid_request');
  });

  it('ignores missing keys and unknown versions', async () => {
    expect(await kv.call('update', 'delete/missing', { versions: [1] })).toBeNull();
    expect(await kv.call('update', 'undelete/missing', { versions: [1] })).toBeNull();
    expect(await kv.call('update', 'destroy/missing', { versions: [1] })).toBeNull();
    expect(await kv.call('read', 'metadata/missing')).toBeNull();
    expect(await kv.call('update', 'destroy/k', { versions: [9] })).toBeNull();
    expect(await listRecursive(storage, 'versions/')).toHaveLength(3);
  });

  it('these paths take writes only', async () => {
    expect((await kv.fail('read', 'delete/k')).status).toBe(405);
    expect((await kv.fail('read', 'destroy/k')).status).toBe(405);
  });
});
