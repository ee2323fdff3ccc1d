import { beforeEach, describe, expect, it } from 'vitest';
import { prefixedStorage, type Storage } from '../../framework/index.js';
import { InmemPhysical } from '../../storage/inmem/inmem-physical.js';
import { kvEngine } from './index.js';
import { mount, type Mounted } from './harness.suite.js';

describe('kv v2 config', () => {
  let kv: Mounted;
  let storage: Storage;

  beforeEach(async () => {
    storage = prefixedStorage(new InmemPhysical(), 'logical/uuid-1/');
    kv = await mount(kvEngine, storage, { version: '2' });
  });

  it('reads the defaults', async () => {
    expect(await kv.call('read', 'config')).toEqual({
      data: { cas_required: false, delete_version_after: '0s', max_versions: 0 },
    });
  });

  it('writes settings (weakly typed) and reads them back as Go durations', async () => {
    expect(await kv.call('update', 'config', { max_versions: '5', cas_required: 'true', delete_version_after: '768h' })).toBeNull();
    expect((await kv.call('read', 'config'))?.data).toEqual({
      cas_required: true,
      delete_version_after: '768h0m0s',
      max_versions: 5,
    });
    // Only given fields change; null (hvac) counts as not given.
    await kv.call('update', 'config', { max_versions: null, delete_version_after: 90 });
    expect((await kv.call('read', 'config'))?.data).toEqual({
      cas_required: true,
      delete_version_after: '1m30s',
      max_versions: 5,
    });
  });

  it('a negative delete_version_after disables it; zero clears it', async () => {
    await kv.call('update', 'config', { delete_version_after: '-5m' });
    expect((await kv.call('read', 'config'))?.data).toMatchObject({ delete_version_after: '-1s' });
    await kv.call('update', 'config', { delete_version_after: '0s' });
    expect((await kv.call('read', 'config'))?.data).toMatchObject({ delete_version_after: '0s' });
    await kv.call('update', 'config', { delete_version_after: -3 });
    expect((await kv.call('read', 'config'))?.data).toMatchObject({ delete_version_after: '-1s' });
  });

  it('writes nothing when nothing is given', async () => {
    expect(await kv.call('update', 'config', {})).toBeNull();
    expect(await storage.get('config')).toBeNull();
  });

  it('refuses bad values without changing anything', async () => {
    await kv.call('update', 'config', { max_versions: 3 });
    expect((await kv.fail('update', 'config', { max_versions: 'many' })).status).toBe(400);
    expect((await kv.fail('update', 'config', { max_versions: -1 })).status).toBe(400);
    expect((await kv.fail('update', 'config', { delete_version_after: 'soon' })).status).toBe(400);
    expect((await kv.fail('update', 'config', { cas_required: 'maybe' })).status).toBe(400);
    expect((await kv.call('read', 'config'))?.data).toMatchObject({ max_versions: 3 });
  });

  it('has no delete or list', async () => {
    const err = await kv.fail('delete', 'config');
    expect([err.code, err.status]).toEqual(['unsupported_operation', 405]);
  });
});
