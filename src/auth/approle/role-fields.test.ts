import { beforeEach, describe, expect, it } from 'vitest';
import { mountApprole, type Mounted } from './harness.suite.js';

describe('approle per-field role sub-paths', () => {
  let m: Mounted;

  beforeEach(async () => {
    m = await mountApprole();
    await m.call('update', 'role/r', {});
  });

  // [sub-path, field written, value written, data read back after the write, data read back after DELETE]
  const cases: Array<[string, string, unknown, Record<string, unknown>, Record<string, unknown>]> = [
    ['policies', 'token_policies', 'a, b', { token_policies: ['a', 'b'], policies: ['a', 'b'] }, { token_policies: [], policies: [] }],
    ['policies', 'policies', ['c'], { token_policies: ['c'], policies: ['c'] }, { token_policies: [], policies: [] }],
    ['secret-id-bound-cidrs', 'secret_id_bound_cidrs', '10.0.0.0/8', { secret_id_bound_cidrs: ['10.0.0.0/8'] }, { secret_id_bound_cidrs: [] }],
    ['bound-cidr-list', 'bound_cidr_list', '10.0.0.0/8', { bound_cidr_list: ['10.0.0.0/8'] }, { bound_cidr_list: [] }],
    ['token-bound-cidrs', 'token_bound_cidrs', ['10.0.0.0/8'], { token_bound_cidrs: ['10.0.0.0/8'] }, { token_bound_cidrs: [] }],
    ['secret-id-num-uses', 'secret_id_num_uses', '7', { secret_id_num_uses: 7 }, { secret_id_num_uses: 0 }],
    ['secret-id-ttl', 'secret_id_ttl', '1h', { secret_id_ttl: 3600 }, { secret_id_ttl: 0 }],
    ['period', 'token_period', '30m', { token_period: 1800, period: 1800 }, { token_period: 0, period: 0 }],
    ['period', 'period', 60, { token_period: 60, period: 60 }, { token_period: 0, period: 0 }],
    ['token-num-uses', 'token_num_uses', 4, { token_num_uses: 4 }, { token_num_uses: 0 }],
    ['token-ttl', 'token_ttl', '20m', { token_ttl: 1200 }, { token_ttl: 0 }],
    ['token-max-ttl', 'token_max_ttl', '2h', { token_max_ttl: 7200 }, { token_max_ttl: 0 }],
  ];

  it.each(cases)('%s: POST %s, GET, DELETE restores the default', async (suffix, name, value, afterWrite, afterDelete) => {
    expect(await m.call('update', `role/r/${suffix}`, { [name]: value })).toBeNull();
    expect((await m.call('read', `role/r/${suffix}`))?.data).toEqual(afterWrite);
    expect(await m.call('delete', `role/r/${suffix}`)).toBeNull();
    expect((await m.call('read', `role/r/${suffix}`))?.data).toEqual(afterDelete);
  });

  it('writes land in the role itself', async () => {
    await m.call('update', 'role/r/token-ttl', { token_ttl: 90 });
    await m.call('update', 'role/r/secret-id-bound-cidrs', { secret_id_bound_cidrs: '10.0.0.0/8' });
    expect((await m.call('read', 'role/r'))?.data).toMatchObject({ token_ttl: 90, secret_id_bound_cidrs: ['10.0.0.0/8'] });
  });

  it('bind-secret-id: DELETE restores true; false needs another constraint', async () => {
    expect((await m.fail('update', 'role/r/bind-secret-id', { bind_secret_id: false })).messages).toEqual([
      'at least one constraint should be enabled on the role',
    ]);
    await m.call('update', 'role/r/secret-id-bound-cidrs', { secret_id_bound_cidrs: '10.0.0.0/8' });
    await m.call('update', 'role/r/bind-secret-id', { bind_secret_id: false });
    expect((await m.call('read', 'role/r/bind-secret-id'))?.data).toEqual({ bind_secret_id: false });
    await m.call('delete', 'role/r/bind-secret-id');
    expect((await m.call('read', 'role/r/bind-secret-id'))?.data).toEqual({ bind_secret_id: true });
  });

  it('local-secret-ids is read-only', async () => {
    expect((await m.call('read', 'role/r/local-secret-ids'))?.data).toEqual({ local_secret_ids: false });
    expect((await m.fail('update', 'role/r/local-secret-ids', {})).status).toBe(405);
  });

  it('answers Vault\'s messages for missing and out-of-range values', async () => {
    const missing: Array<[string, string]> = [
      ['policies', 'missing token_policies'],
      ['bind-secret-id', 'missing bind_secret_id'],
      ['secret-id-num-uses', 'missing secret_id_num_uses'],
      ['secret-id-ttl', 'missing secret_id_ttl'],
      ['period', 'missing period'],
      ['token-num-uses', 'missing token_num_uses'],
      ['token-ttl', 'missing token_ttl'],
      ['token-max-ttl', 'missing token_max_ttl'],
    ];
    for (const [suffix, message] of missing) {
      expect((await m.fail('update', `role/r/${suffix}`, {})).messages, suffix).toEqual([message]);
    }
    expect((await m.fail('update', 'role/r/secret-id-bound-cidrs', { secret_id_bound_cidrs: [] })).messages).toEqual(['missing bound_cidr_list']);
    expect((await m.fail('update', 'role/r/secret-id-bound-cidrs', { secret_id_bound_cidrs: 'x' })).messages).toEqual(['failed to validate CIDR blocks']);
    expect((await m.fail('update', 'role/r/secret-id-num-uses', { secret_id_num_uses: -2 })).messages).toEqual(['secret_id_num_uses cannot be negative']);
    await m.call('update', 'role/r/token-max-ttl', { token_max_ttl: 100 });
    expect((await m.fail('update', 'role/r/token-ttl', { token_ttl: 200 })).messages).toEqual(['token_ttl should not be greater than token_max_ttl']);
    await m.call('update', 'role/r/token-ttl', { token_ttl: 50 });
    expect((await m.fail('update', 'role/r/token-max-ttl', { token_max_ttl: 40 })).messages).toEqual([
      'token_max_ttl should be greater than or equal to token_ttl',
    ]);
    expect((await m.fail('update', 'role/r/period', { period: '1000h' })).messages[0]).toMatch(/greater than the backend's maximum lease TTL/);
  });

  it('bound-cidr-list reads with a deprecation warning', async () => {
    expect((await m.call('read', 'role/r/bound-cidr-list'))?.warnings?.[0]).toMatch(/deprecated/);
  });

  it('missing role: GET is empty, POST is unsupported path, DELETE is quiet', async () => {
    expect(await m.call('read', 'role/none/token-ttl')).toBeNull();
    const err = await m.fail('update', 'role/none/token-ttl', { token_ttl: 5 });
    expect([err.status, err.messages]).toEqual([404, ['unsupported path']]);
    expect(await m.call('delete', 'role/none/token-ttl')).toBeNull();
    expect(await m.call('read', 'role/none')).toBeNull();
  });

  it('has no sub-paths Vault lacks', async () => {
    for (const suffix of ['token-explicit-max-ttl', 'token-type', 'token-no-default-policy']) {
      expect((await m.fail('read', `role/r/${suffix}`)).status, suffix).toBe(404);
    }
  });
});
