import { beforeEach, describe, expect, it } from 'vitest';
import { mountApprole, type Mounted } from './harness.suite.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('approle roles', () => {
  let m: Mounted;

  beforeEach(async () => {
    m = await mountApprole();
  });

  it('creates a role with Vault defaults and reads every field back in seconds', async () => {
    expect(await m.call('update', 'role/my-role', {})).toBeNull();
    expect(m.lastOperation()).toBe('create');
    const res = await m.call('read', 'role/my-role');
    expect(res?.warnings).toBeUndefined();
    expect(res?.data).toEqual({
      bind_secret_id: true,
      secret_id_bound_cidrs: [],
      secret_id_num_uses: 0,
      secret_id_ttl: 0,
      local_secret_ids: false,
      token_policies: [],
      policies: [],
      token_ttl: 0,
      token_max_ttl: 0,
      token_explicit_max_ttl: 0,
      token_period: 0,
      period: 0,
      token_num_uses: 0,
      token_no_default_policy: false,
      token_bound_cidrs: [],
      token_type: 'default',
    });
  });

  it('takes node-vault style weak typing and legacy names', async () => {
    await m.call('update', 'role/app', {
      bind_secret_id: 'true',
      bound_cidr_list: '10.0.0.0/8, 192.168.0.0/16',
      policies: 'dev-policy, test-policy',
      secret_id_num_uses: '5',
      secret_id_ttl: '10m',
      token_num_uses: 3,
      token_ttl: '1h',
      token_max_ttl: '4h',
      period: 0,
    });
    const data = (await m.call('read', 'role/app'))?.data;
    expect(data).toMatchObject({
      secret_id_bound_cidrs: ['10.0.0.0/8', '192.168.0.0/16'],
      token_policies: ['dev-policy', 'test-policy'],
      policies: ['dev-policy', 'test-policy'],
      secret_id_num_uses: 5,
      secret_id_ttl: 600,
      token_num_uses: 3,
      token_ttl: 3600,
      token_max_ttl: 14400,
    });
  });

  it('updates only the fields given, keeping the rest', async () => {
    await m.call('update', 'role/app', { token_policies: ['a'], secret_id_ttl: 60 });
    await m.call('update', 'role/app', { token_ttl: 30 });
    expect(m.lastOperation()).toBe('update');
    expect((await m.call('read', 'role/app'))?.data).toMatchObject({ token_policies: ['a'], secret_id_ttl: 60, token_ttl: 30 });
  });

  it('treats role names case-insensitively and lists them lowercase', async () => {
    await m.call('update', 'role/MyRole', { token_ttl: 5 });
    expect((await m.call('read', 'role/myrole'))?.data?.token_ttl).toBe(5);
    await m.call('update', 'role/MYROLE', { token_ttl: 6 });
    expect(m.lastOperation()).toBe('update');
    await m.call('update', 'role/b.role_2', {});
    expect((await m.call('list', 'role'))?.data).toEqual({ keys: ['b.role_2', 'myrole'] });
  });

  it('refuses names outside Vault\'s pattern and longer than 4096 bytes', async () => {
    for (const bad of ['-lead', 'trail-', 'sp ace', 'a@b', '.x']) {
      expect((await m.fail('update', `role/${bad}`, {})).status, bad).toBe(404);
    }
    const long = 'a'.repeat(4097);
    const err = await m.fail('update', `role/${long}`, {});
    expect(err.messages).toEqual(['role_name is longer than maximum of 4096 bytes']);
  });

  it('requires a constraint when bind_secret_id is false', async () => {
    const err = await m.fail('update', 'role/open', { bind_secret_id: false });
    expect(err.status).toBe(400);
    expect(err.messages).toEqual(['at least one constraint should be enabled on the role']);
    expect(await m.call('read', 'role/open')).toBeNull();
    await m.call('update', 'role/open', { bind_secret_id: false, secret_id_bound_cidrs: '10.0.0.0/8' });
    await m.call('update', 'role/tok', { bind_secret_id: false, token_bound_cidrs: ['10.0.0.0/8'] });
    expect((await m.call('read', 'role/tok'))?.data?.bind_secret_id).toBe(false);
  });

  it('validates CIDRs, counts, local_secret_ids and token settings', async () => {
    expect((await m.fail('update', 'role/x', { secret_id_bound_cidrs: 'banana' })).messages).toEqual(['invalid CIDR blocks']);
    expect((await m.fail('update', 'role/x', { secret_id_num_uses: -1 })).messages).toEqual(['secret_id_num_uses cannot be negative']);
    expect((await m.fail('update', 'role/x', { token_bound_cidrs: 'nope' })).status).toBe(400);
    expect((await m.fail('update', 'role/x', { token_ttl: '2h', token_max_ttl: '1h' })).status).toBe(400);
    expect((await m.fail('update', 'role/x', { token_type: 'weird' })).status).toBe(400);
    await m.call('update', 'role/x', { local_secret_ids: true });
    expect((await m.call('read', 'role/x'))?.data?.local_secret_ids).toBe(true);
    expect((await m.fail('update', 'role/x', { local_secret_ids: false })).messages).toEqual([
      'local_secret_ids can only be modified during role creation',
    ]);
  });

  it('warns about token_type aliases and a token_max_ttl beyond the mount, and refuses a too-long period', async () => {
    const res = await m.call('update', 'role/w', { token_type: 'default-service', token_max_ttl: '10000h' });
    expect(res?.warnings).toHaveLength(2);
    expect((await m.call('read', 'role/w'))?.data?.token_type).toBe('service');
    const err = await m.fail('update', 'role/w', { period: '10000h' });
    expect(err.messages[0]).toMatch(/^period of "10000h0m0s" is greater than the backend's maximum lease TTL of "768h0m0s"$/);
  });

  it('makes a UUID role ID at creation and keeps it on update', async () => {
    const id = await m.role('r');
    expect(id).toMatch(UUID);
    await m.call('update', 'role/r', { token_ttl: 1 });
    expect(await m.role('r')).toBe(id);
  });

  it('sets a custom role ID, unique across roles, via the role and the role-id path', async () => {
    await m.call('update', 'role/a', { role_id: 'custom-a' });
    expect((await m.call('read', 'role/a/role-id'))?.data).toEqual({ role_id: 'custom-a' });
    await m.call('update', 'role/b', {});
    expect((await m.fail('update', 'role/b/role-id', { role_id: 'custom-a' })).messages).toEqual(['role_id already in use']);
    expect((await m.fail('update', 'role/c', { role_id: 'custom-a' })).messages).toEqual(['role_id already in use']);
    expect((await m.fail('update', 'role/b/role-id', {})).messages).toEqual(['missing role_id']);
    expect((await m.fail('update', 'role/a', { role_id: '' })).status).toBe(400);
    await m.call('update', 'role/a/role-id', { role_id: 'new-a' });
    // The old role ID is free again.
    await m.call('update', 'role/b/role-id', { role_id: 'custom-a' });
    expect((await m.call('read', 'role/b/role-id'))?.data).toEqual({ role_id: 'custom-a' });
    expect((await m.fail('update', 'role/nobody/role-id', { role_id: 'z' })).status).toBe(404);
    expect(await m.call('read', 'role/nobody/role-id')).toBeNull();
  });

  it('deletes a role with its role ID index and its secret IDs', async () => {
    await m.call('update', 'role/gone', { role_id: 'rid' });
    await m.secretId('gone');
    await m.call('delete', 'role/gone');
    expect(await m.call('read', 'role/gone')).toBeNull();
    expect(await m.call('list', 'role')).toBeNull();
    const left = (await m.physical.scan({ start: '', end: '\u{10ffff}' })).map((e) => e.key);
    expect(left).toEqual(['auth/uuid-1/salt']);
    // Deleting what is not there is fine; the role ID can be reused.
    expect(await m.call('delete', 'role/gone')).toBeNull();
    await m.call('update', 'role/again', { role_id: 'rid' });
  });

  it('refuses a sub-path delete that would leave no constraint', async () => {
    await m.call('update', 'role/c', { bind_secret_id: false, token_bound_cidrs: '10.0.0.0/8' });
    const err = await m.fail('delete', 'role/c/token-bound-cidrs');
    expect(err.messages).toEqual(['at least one constraint should be enabled on the role']);
    expect((await m.call('read', 'role/c'))?.data?.token_bound_cidrs).toEqual(['10.0.0.0/8']);
  });

  it('warns on read when a stored role has no constraint (written by an older version)', async () => {
    await m.call('update', 'role/old', {});
    const key = 'auth/uuid-1/role/old';
    const stored = JSON.parse((await m.physical.get(key))?.toString('utf8') ?? '{}') as Record<string, unknown>;
    await m.physical.put(key, Buffer.from(JSON.stringify({ ...stored, bindSecretId: false })));
    expect((await m.call('read', 'role/old'))?.warnings).toEqual([
      'Role does not have any constraints set on it. Updates to this role will require a constraint to be set',
    ]);
  });
});
