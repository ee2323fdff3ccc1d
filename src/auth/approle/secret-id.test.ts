import { beforeEach, describe, expect, it } from 'vitest';
import { mountApprole, type Mounted } from './harness.suite.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('approle secret IDs', () => {
  let m: Mounted;

  beforeEach(async () => {
    m = await mountApprole();
    await m.call('update', 'role/r', { secret_id_ttl: '10m', secret_id_num_uses: 10 });
  });

  it('issues a UUID secret ID with an accessor and the role limits', async () => {
    const s = await m.secretId('r');
    expect(s).toEqual({ secret_id: expect.stringMatching(UUID), secret_id_accessor: expect.stringMatching(UUID), secret_id_ttl: 600, secret_id_num_uses: 10 });
    expect(s.secret_id).not.toBe(s.secret_id_accessor);
  });

  it('never stores a secret ID in plain', async () => {
    const s = await m.secretId('r', { metadata: '{"tag1":"production"}' });
    const entries = await m.physical.scan({ start: '', end: '\u{10ffff}' });
    for (const e of entries) {
      expect(e.key).not.toContain(s.secret_id);
      expect(e.value.toString('utf8')).not.toContain(s.secret_id);
    }
    expect(entries.some((e) => e.key.endsWith(`/accessor/${s.secret_id_accessor}`))).toBe(true);
  });

  it('narrows num_uses and ttl per secret ID, never widens them', async () => {
    expect((await m.secretId('r', { num_uses: 3, ttl: '5m' }))).toMatchObject({ secret_id_num_uses: 3, secret_id_ttl: 300 });
    expect((await m.fail('update', 'role/r/secret-id', { num_uses: 11 })).messages).toEqual(["num_uses cannot be higher than the role's secret_id_num_uses"]);
    expect((await m.fail('update', 'role/r/secret-id', { num_uses: 0 })).messages).toEqual(["num_uses cannot be higher than the role's secret_id_num_uses"]);
    expect((await m.fail('update', 'role/r/secret-id', { num_uses: -1 })).messages).toEqual(['num_uses cannot be negative']);
    expect((await m.fail('update', 'role/r/secret-id', { ttl: '11m' })).messages).toEqual(["ttl cannot be longer than the role's secret_id_ttl"]);
    expect((await m.fail('update', 'role/r/secret-id', { ttl: 0 })).messages).toEqual(["ttl cannot be longer than the role's secret_id_ttl"]);
    await m.call('update', 'role/free', {});
    expect(await m.secretId('free', { num_uses: 100, ttl: '1h' })).toMatchObject({ secret_id_num_uses: 100, secret_id_ttl: 3600 });
    expect(await m.secretId('free')).toMatchObject({ secret_id_num_uses: 0, secret_id_ttl: 0 });
  });

  it('caps the effective TTL at the mount max lease TTL', async () => {
    const small = await mountApprole({ maxLeaseTTL: 120 });
    await small.call('update', 'role/r', { secret_id_ttl: '1h' });
    const s = await small.secretId('r');
    expect(s.secret_id_ttl).toBe(120);
    const look = await small.call('update', 'role/r/secret-id/lookup', { secret_id: s.secret_id });
    expect(look?.data?.secret_id_ttl).toBe(3600);
    expect(look?.data?.expiration_time).toBe('2024-01-02T03:06:05.678000000Z');
  });

  it('binds CIDRs within the role and validates them', async () => {
    await m.call('update', 'role/net', { secret_id_bound_cidrs: '10.0.0.0/8', token_bound_cidrs: '10.0.0.0/8' });
    await m.secretId('net', { cidr_list: '10.1.0.0/16', token_bound_cidrs: ['10.1.2.0/24'] });
    expect((await m.fail('update', 'role/net/secret-id', { cidr_list: '11.0.0.0/8' })).messages[0]).toMatch(/^failed to verify subset relationship/);
    expect((await m.fail('update', 'role/net/secret-id', { token_bound_cidrs: '0.0.0.0/0' })).messages[0]).toMatch(/^failed to verify subset relationship/);
    expect((await m.fail('update', 'role/net/secret-id', { cidr_list: 'x' })).messages).toEqual(['failed to validate CIDR blocks']);
    expect((await m.fail('update', 'role/net/secret-id', { token_bound_cidrs: 'x' })).messages).toEqual(['failed to validate token CIDR blocks']);
  });

  it('refuses roles that do not exist or do not bind secret IDs, and bad metadata', async () => {
    const err = await m.fail('update', 'role/none/secret-id', {});
    expect([err.status, err.messages]).toEqual([404, ['role "none" does not exist']]);
    await m.call('update', 'role/open', { bind_secret_id: false, secret_id_bound_cidrs: '127.0.0.0/8' });
    expect((await m.fail('update', 'role/open/secret-id', {})).messages).toEqual(['bind_secret_id is not set on the role']);
    expect((await m.fail('update', 'role/r/secret-id', { metadata: '{"a": 1}' })).messages[0]).toMatch(/^failed to parse metadata/);
  });

  it('lists accessors, looks up by secret ID and by accessor', async () => {
    const a = await m.secretId('r', { metadata: '{"tag1":"production"}', cidr_list: '127.0.0.0/8' });
    const b = await m.secretId('r');
    const keys = (await m.call('list', 'role/r/secret-id'))?.data?.keys as string[];
    expect([...keys].sort()).toEqual([a.secret_id_accessor, b.secret_id_accessor].sort());

    const expected = {
      secret_id_accessor: a.secret_id_accessor,
      secret_id_num_uses: 10,
      secret_id_ttl: 600,
      creation_time: '2024-01-02T03:04:05.678000000Z',
      expiration_time: '2024-01-02T03:14:05.678000000Z',
      last_updated_time: '2024-01-02T03:04:05.678000000Z',
      metadata: { tag1: 'production' },
      cidr_list: ['127.0.0.0/8'],
      token_bound_cidrs: [],
    };
    expect((await m.call('update', 'role/r/secret-id/lookup', { secret_id: a.secret_id }))?.data).toEqual(expected);
    expect((await m.call('update', 'role/r/secret-id-accessor/lookup', { secret_id_accessor: a.secret_id_accessor }))?.data).toEqual(expected);
    expect(await m.call('update', 'role/r/secret-id/lookup', { secret_id: 'unknown' })).toBeNull();
    expect((await m.fail('update', 'role/r/secret-id/lookup', {})).messages).toEqual(['missing secret_id']);
    const err = await m.fail('update', 'role/r/secret-id-accessor/lookup', { secret_id_accessor: 'nope' });
    expect([err.status, err.messages]).toEqual([404, ['failed to find accessor entry for secret_id_accessor: "nope"']]);
  });

  it('shows the zero time for secret IDs that never expire', async () => {
    await m.call('update', 'role/forever', {});
    const s = await m.secretId('forever');
    expect((await m.call('update', 'role/forever/secret-id/lookup', { secret_id: s.secret_id }))?.data?.expiration_time).toBe('0001-01-01T00:00:00Z');
  });

  it('keeps secret IDs and accessors to their own role', async () => {
    await m.call('update', 'role/other', {});
    const s = await m.secretId('r');
    expect(await m.call('update', 'role/other/secret-id/lookup', { secret_id: s.secret_id })).toBeNull();
    expect((await m.fail('update', 'role/other/secret-id-accessor/lookup', { secret_id_accessor: s.secret_id_accessor })).status).toBe(404);
    expect((await m.fail('update', 'role/other/secret-id-accessor/destroy', { secret_id_accessor: s.secret_id_accessor })).status).toBe(400);
    expect(await m.call('list', 'role/other/secret-id')).toBeNull();
  });

  it('destroys by secret ID (POST or DELETE) and by accessor', async () => {
    const a = await m.secretId('r');
    const b = await m.secretId('r');
    const c = await m.secretId('r');
    expect(await m.call('update', 'role/r/secret-id/destroy', { secret_id: a.secret_id })).toBeNull();
    expect(await m.call('delete', 'role/r/secret-id/destroy', { secret_id: b.secret_id })).toBeNull();
    expect(await m.call('delete', 'role/r/secret-id-accessor/destroy', { secret_id_accessor: c.secret_id_accessor })).toBeNull();
    expect(await m.call('list', 'role/r/secret-id')).toBeNull();
    const keys = (await m.physical.scan({ start: '', end: '\u{10ffff}' })).map((e) => e.key);
    expect(keys.filter((k) => k.includes('/secret_id/') || k.includes('/accessor/'))).toEqual([]);
    // Destroying again: nothing there, no error.
    expect(await m.call('update', 'role/r/secret-id/destroy', { secret_id: a.secret_id })).toBeNull();
    expect((await m.fail('update', 'role/r/secret-id-accessor/destroy', { secret_id_accessor: c.secret_id_accessor })).status).toBe(400);
  });

  it('answers lookups on a missing role with an error', async () => {
    expect((await m.fail('update', 'role/none/secret-id/lookup', { secret_id: 'x' })).messages).toEqual(['role "none" does not exist']);
    expect((await m.fail('list', 'role/none/secret-id')).messages).toEqual(['role "none" does not exist']);
  });

  it('registers custom secret IDs once', async () => {
    const res = await m.call('update', 'role/r/custom-secret-id', { secret_id: 'my-own-secret', num_uses: 2 });
    expect(res?.data).toMatchObject({ secret_id: 'my-own-secret', secret_id_num_uses: 2, secret_id_ttl: 600 });
    expect((await m.fail('update', 'role/r/custom-secret-id', { secret_id: 'my-own-secret' })).messages).toEqual(['SecretID is already registered']);
    expect((await m.fail('update', 'role/r/custom-secret-id', {})).messages).toEqual(['missing secret_id']);
    const roleId = await m.role('r');
    const login = await m.call('update', 'login', { role_id: roleId, secret_id: 'my-own-secret' });
    expect(login?.auth?.metadata).toEqual({ role_name: 'r' });
  });
});
