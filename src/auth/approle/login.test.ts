import { beforeEach, describe, expect, it } from 'vitest';
import { mountApprole, type Mounted } from './harness.suite.js';

describe('approle login', () => {
  let m: Mounted;

  beforeEach(async () => {
    m = await mountApprole();
  });

  it('is the only unauthenticated path, with path-help', async () => {
    expect(m.engine.special).toEqual({ unauthenticated: ['login'] });
    const help = await m.call('help', 'login');
    expect(JSON.parse(String(help?.raw?.body)).help).toContain('role_id (string)');
  });

  it('returns an auth request with the role settings, metadata and internal data', async () => {
    const roleId = await m.role('my-role', { token_policies: 'dev,ops', token_ttl: '20m', token_max_ttl: '30m', token_num_uses: 5, token_bound_cidrs: '10.0.0.0/8' });
    const s = await m.secretId('my-role', { metadata: '{"env":"prod","role_name":"admin"}' });
    const res = await m.call('update', 'login', { role_id: roleId, secret_id: s.secret_id });
    expect(res).toEqual({
      auth: {
        policies: ['dev', 'ops'],
        displayName: '',
        // role_name wins over the secret ID's metadata, so metadata cannot pose as another role.
        metadata: { env: 'prod', role_name: 'my-role' },
        ttl: 1200,
        maxTTL: 1800,
        period: 0,
        explicitMaxTTL: 0,
        numUses: 5,
        renewable: true,
        tokenType: 'default',
        alias: { name: roleId, metadata: { env: 'prod', role_name: 'my-role' } },
        boundCidrs: ['10.0.0.0/8'],
        noDefaultPolicy: false,
        internal: { role_name: 'my-role', role_id: roleId, secret_id_accessor: s.secret_id_accessor },
      },
    });
  });

  it('binds the token to the secret ID\'s token_bound_cidrs when it has them', async () => {
    const roleId = await m.role('r', { token_bound_cidrs: '10.0.0.0/8' });
    const s = await m.secretId('r', { token_bound_cidrs: '10.1.0.0/16' });
    expect((await m.call('update', 'login', { role_id: roleId, secret_id: s.secret_id }))?.auth?.boundCidrs).toEqual(['10.1.0.0/16']);
  });

  it('refuses bad credentials with one message', async () => {
    const roleId = await m.role('r');
    const s = await m.secretId('r');
    const cases: Array<Record<string, unknown>> = [
      { role_id: roleId, secret_id: 'wrong' },
      { role_id: 'unknown', secret_id: s.secret_id },
      { role_id: 'unknown', secret_id: 'wrong' },
      { role_id: 'unknown' },
    ];
    for (const data of cases) {
      const err = await m.fail('update', 'login', data);
      expect([err.status, err.messages], JSON.stringify(data)).toEqual([400, ['invalid role or secret ID']]);
    }
  });

  it('requires role_id, and secret_id when the role binds it (hvac sends null)', async () => {
    expect((await m.fail('update', 'login', {})).messages).toEqual(['missing role_id']);
    expect((await m.fail('update', 'login', { role_id: '  ', secret_id: 'x' })).messages).toEqual(['missing role_id']);
    const roleId = await m.role('r');
    expect((await m.fail('update', 'login', { role_id: roleId, secret_id: null })).messages).toEqual(['missing secret_id']);
  });

  it('logs in without a secret ID when the role does not bind one, within its CIDRs', async () => {
    const roleId = await m.role('open', { bind_secret_id: false, secret_id_bound_cidrs: '127.0.0.0/8' });
    const res = await m.call('update', 'login', { role_id: roleId, secret_id: null }, { remoteAddress: '::ffff:127.0.0.1' });
    expect(res?.auth?.metadata).toEqual({ role_name: 'open' });
    expect(res?.auth?.internal).toEqual({ role_name: 'open', role_id: roleId, secret_id_accessor: '' });
    const err = await m.fail('update', 'login', { role_id: roleId }, { remoteAddress: '10.0.0.1' });
    expect([err.status, err.messages]).toEqual([400, ['source address "10.0.0.1" unauthorized by CIDR restrictions on the role']]);
  });

  it('refuses an expired secret ID and removes it', async () => {
    const roleId = await m.role('r', { secret_id_ttl: 60 });
    const s = await m.secretId('r');
    m.system.advance(59_000);
    await m.call('update', 'login', { role_id: roleId, secret_id: s.secret_id });
    m.system.advance(1_000);
    expect((await m.fail('update', 'login', { role_id: roleId, secret_id: s.secret_id })).messages).toEqual(['invalid role or secret ID']);
    expect(await m.call('list', 'role/r/secret-id')).toBeNull();
  });

  it('spends uses and deletes the secret ID with its last one', async () => {
    const roleId = await m.role('r', { secret_id_num_uses: 2 });
    const s = await m.secretId('r');
    await m.call('update', 'login', { role_id: roleId, secret_id: s.secret_id });
    m.system.advance(5_000);
    const look = await m.call('update', 'role/r/secret-id/lookup', { secret_id: s.secret_id });
    expect(look?.data).toMatchObject({ secret_id_num_uses: 1, last_updated_time: '2024-01-02T03:04:05.678000000Z' });
    await m.call('update', 'login', { role_id: roleId, secret_id: s.secret_id });
    expect(await m.call('update', 'role/r/secret-id/lookup', { secret_id: s.secret_id })).toBeNull();
    expect(await m.call('list', 'role/r/secret-id')).toBeNull();
    const keys = (await m.physical.scan({ start: '', end: '\u{10ffff}' })).map((e) => e.key);
    expect(keys.some((k) => k.includes('/accessor/'))).toBe(false);
    expect((await m.fail('update', 'login', { role_id: roleId, secret_id: s.secret_id })).messages).toEqual(['invalid role or secret ID']);
  });

  it('lets only one of two concurrent logins spend the last use', async () => {
    const roleId = await m.role('r', { secret_id_num_uses: 1 });
    const s = await m.secretId('r');
    const results = await Promise.allSettled([
      m.call('update', 'login', { role_id: roleId, secret_id: s.secret_id }),
      m.call('update', 'login', { role_id: roleId, secret_id: s.secret_id }),
      m.call('update', 'login', { role_id: roleId, secret_id: s.secret_id }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(2);
  });

  it('counts every use under concurrency', async () => {
    const roleId = await m.role('r', { secret_id_num_uses: 3 });
    const s = await m.secretId('r');
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => m.call('update', 'login', { role_id: roleId, secret_id: s.secret_id })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
  });

  it('enforces the secret ID cidr_list, IPv4-mapped IPv6 included, without spending a use on refusal', async () => {
    const roleId = await m.role('r', { secret_id_num_uses: 1 });
    const s = await m.secretId('r', { cidr_list: '127.0.0.0/8' });
    const err = await m.fail('update', 'login', { role_id: roleId, secret_id: s.secret_id }, { remoteAddress: '192.168.1.1' });
    expect([err.status, err.messages]).toEqual([400, ['source address "192.168.1.1" unauthorized by CIDR restrictions on the secret ID']]);
    const ok = await m.call('update', 'login', { role_id: roleId, secret_id: s.secret_id }, { remoteAddress: '::ffff:127.0.0.1' });
    expect(ok?.auth?.metadata).toEqual({ role_name: 'r' });
  });

  it('enforces the role secret_id_bound_cidrs with a secret ID too', async () => {
    const roleId = await m.role('r', { secret_id_bound_cidrs: '10.0.0.0/8' });
    const s = await m.secretId('r');
    const err = await m.fail('update', 'login', { role_id: roleId, secret_id: s.secret_id }, { remoteAddress: '127.0.0.1' });
    expect(err.messages).toEqual(['source address "127.0.0.1" unauthorized by CIDR restrictions on the role']);
    await m.call('update', 'login', { role_id: roleId, secret_id: s.secret_id }, { remoteAddress: '10.9.8.7' });
    // Narrowing the role below an existing secret ID's cidr_list invalidates that secret ID's binding.
    const narrow = await m.secretId('r', { cidr_list: '10.0.0.0/16' });
    await m.call('update', 'role/r', { secret_id_bound_cidrs: '10.1.0.0/16' });
    expect((await m.fail('update', 'login', { role_id: roleId, secret_id: narrow.secret_id }, { remoteAddress: '10.1.0.1' })).messages[0]).toMatch(
      /^failed to verify subset relationship/,
    );
  });

  it('follows a changed role ID and forgets the old one', async () => {
    const old = await m.role('r');
    const s = await m.secretId('r');
    await m.call('update', 'role/r/role-id', { role_id: 'fresh' });
    expect((await m.fail('update', 'login', { role_id: old, secret_id: s.secret_id })).messages).toEqual(['invalid role or secret ID']);
    expect((await m.call('update', 'login', { role_id: 'fresh', secret_id: s.secret_id }))?.auth?.alias?.name).toBe('fresh');
  });

  it('refuses secret IDs of a deleted role', async () => {
    const roleId = await m.role('r');
    const s = await m.secretId('r');
    await m.call('delete', 'role/r');
    await m.call('update', 'role/r', { role_id: roleId });
    expect((await m.fail('update', 'login', { role_id: roleId, secret_id: s.secret_id })).messages).toEqual(['invalid role or secret ID']);
  });

  it('does the same hashing and storage work for an unknown role ID as for a wrong secret ID', async () => {
    const roleId = await m.role('a-role-with-a-long-name', { token_policies: 'p' });
    await m.secretId('a-role-with-a-long-name');
    const work = async (data: Record<string, unknown>): Promise<string[]> => {
      m.trace.length = 0;
      await m.fail('update', 'login', data);
      // Keys differ (digests); the shape of the work must not.
      return m.trace.map((t) => (t.startsWith('get:') ? (t.split('/')[0] ?? t) : t));
    };
    const wrongSecret = await work({ role_id: roleId, secret_id: 'not-the-secret' });
    const unknownRole = await work({ role_id: 'no-such-role-id', secret_id: 'not-the-secret' });
    const unknownNoSecret = await work({ role_id: 'no-such-role-id' });
    expect(wrongSecret.filter((t) => t === 'hmac')).toHaveLength(3);
    expect(unknownRole).toEqual(wrongSecret);
    expect(unknownNoSecret).toEqual(wrongSecret);
    // The role comes from the role cache and the decoy never exists: neither branch reads a role.
    expect(wrongSecret).toEqual(['hmac', 'hmac', 'get:role_id', 'hmac', 'get:secret_id']);
  });

  it('reads only the role-ID index once the role and an unlimited secret ID are cached', async () => {
    const roleId = await m.role('r');
    const s = await m.secretId('r');
    await m.call('update', 'login', { role_id: roleId, secret_id: s.secret_id });
    m.trace.length = 0;
    await m.call('update', 'login', { role_id: roleId, secret_id: s.secret_id });
    expect(m.trace.filter((t) => t.startsWith('get:')).map((t) => t.split('/')[0])).toEqual(['get:role_id']);
  });

  it('issues tokens with the role settings of the last role write', async () => {
    const roleId = await m.role('r', { token_policies: 'one' });
    const s = await m.secretId('r');
    expect((await m.call('update', 'login', { role_id: roleId, secret_id: s.secret_id }))?.auth?.policies).toEqual(['one']);
    await m.call('update', 'role/r', { token_policies: 'two' });
    expect((await m.call('update', 'login', { role_id: roleId, secret_id: s.secret_id }))?.auth?.policies).toEqual(['two']);
    await m.call('update', 'role/r/policies', { token_policies: 'three' });
    expect((await m.call('update', 'login', { role_id: roleId, secret_id: s.secret_id }))?.auth?.policies).toEqual(['three']);
  });

  it('refuses a used (cached) secret ID as soon as it is destroyed, by value or by accessor', async () => {
    const roleId = await m.role('r');
    const byValue = await m.secretId('r');
    const byAccessor = await m.secretId('r');
    await m.call('update', 'login', { role_id: roleId, secret_id: byValue.secret_id });
    await m.call('update', 'login', { role_id: roleId, secret_id: byAccessor.secret_id });
    await m.call('update', 'role/r/secret-id/destroy', { secret_id: byValue.secret_id });
    await m.call('update', 'role/r/secret-id-accessor/destroy', { secret_id_accessor: byAccessor.secret_id_accessor });
    for (const s of [byValue, byAccessor]) {
      expect((await m.fail('update', 'login', { role_id: roleId, secret_id: s.secret_id })).messages).toEqual(['invalid role or secret ID']);
    }
  });

  it('refuses a used (cached) secret ID once it expires, and once its role is deleted and made again', async () => {
    const roleId = await m.role('r', { secret_id_ttl: 60 });
    const s = await m.secretId('r');
    await m.call('update', 'login', { role_id: roleId, secret_id: s.secret_id });
    m.system.advance(60_000);
    expect((await m.fail('update', 'login', { role_id: roleId, secret_id: s.secret_id })).messages).toEqual(['invalid role or secret ID']);
    await m.call('update', 'role/r', { secret_id_ttl: 0 });
    const unlimited = await m.secretId('r');
    await m.call('update', 'login', { role_id: roleId, secret_id: unlimited.secret_id });
    await m.call('delete', 'role/r');
    await m.call('update', 'role/r', { role_id: roleId });
    expect((await m.fail('update', 'login', { role_id: roleId, secret_id: unlimited.secret_id })).messages).toEqual(['invalid role or secret ID']);
  });
});
