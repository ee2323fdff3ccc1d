import { beforeEach, describe, expect, it } from 'vitest';
import { silentLogger, type EngineRequest, type LoginView } from '../../framework/index.js';
import { mountApprole, type Mounted } from './harness.suite.js';

describe('approle renewLogin', () => {
  let m: Mounted;
  let req: EngineRequest;

  async function loginView(): Promise<LoginView> {
    const roleId = await m.role('r', { token_policies: 'dev', token_ttl: '1h', token_max_ttl: '2h' });
    const s = await m.secretId('r');
    const auth = (await m.call('update', 'login', { role_id: roleId, secret_id: s.secret_id }))?.auth;
    if (!auth) throw new Error('no auth');
    // The core adds `default`; renewal must not mistake that for a policy change.
    return { policies: ['default', ...auth.policies], metadata: auth.metadata, internal: auth.internal ?? {}, aliasName: auth.alias?.name ?? '' };
  }

  beforeEach(async () => {
    m = await mountApprole();
    req = {
      id: 'renew',
      operation: 'update',
      path: 'login',
      data: {},
      storage: m.storage,
      mount: { path: 'auth/approle/', type: 'approle', uuid: 'uuid-1', accessor: 'a', options: {} },
      system: m.system,
      auth: null,
      remoteAddress: '127.0.0.1',
      logger: silentLogger,
    };
  });

  it('returns the role\'s current TTL settings', async () => {
    const view = await loginView();
    expect(await m.engine.renewLogin?.(req, view)).toEqual({ ttl: 3600, maxTTL: 7200, period: 0 });
    await m.call('update', 'role/r', { token_ttl: '10m', token_period: '5m', token_max_ttl: 0 });
    expect(await m.engine.renewLogin?.(req, view)).toEqual({ ttl: 600, maxTTL: 0, period: 300 });
  });

  it('refuses once the role is deleted', async () => {
    const view = await loginView();
    await m.call('delete', 'role/r');
    await expect(m.engine.renewLogin?.(req, view)).rejects.toMatchObject({ code: 'permission_denied', status: 403 });
  });

  it('refuses once the role\'s policies changed, not when only their order did', async () => {
    const view = await loginView();
    await m.call('update', 'role/r', { token_policies: 'dev,default' });
    expect(await m.engine.renewLogin?.(req, view)).toBeDefined();
    await m.call('update', 'role/r', { token_policies: 'dev,admin' });
    await expect(m.engine.renewLogin?.(req, view)).rejects.toMatchObject({ code: 'permission_denied' });
  });

  it('refuses a login view without a role name', async () => {
    await expect(m.engine.renewLogin?.(req, { policies: [], metadata: {}, internal: {}, aliasName: '' })).rejects.toMatchObject({
      code: 'permission_denied',
    });
  });
});
