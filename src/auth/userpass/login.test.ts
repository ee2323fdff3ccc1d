import { parseOptions } from '@node-rs/argon2';
import bcrypt from 'bcryptjs';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AuthResponse, LoginView } from '../../framework/index.js';
import { mountUserpass, rawRecord, type Mounted } from './harness.suite.js';

async function login(up: Mounted, username: string, password: unknown, remoteAddress = '127.0.0.1'): Promise<AuthResponse> {
  const res = await up.call('update', `login/${username}`, { password }, { auth: null, remoteAddress });
  if (!res?.auth) throw new Error('no auth in login response');
  return res.auth;
}

function viewOf(auth: AuthResponse, policies: string[] = ['default', ...auth.policies]): LoginView {
  return { policies, metadata: auth.metadata, internal: auth.internal ?? {}, aliasName: auth.alias?.name ?? '' };
}

describe('userpass login', () => {
  let up: Mounted;

  beforeEach(async () => {
    up = await mountUserpass();
    await up.call('update', 'users/alice', { password: 'correct horse', token_policies: 'dev', token_ttl: '1h', token_max_ttl: '4h' });
  });

  it('is reachable without a token', () => {
    expect(up.engine.special?.unauthenticated).toEqual(['login/*']);
  });

  it('returns an auth request for the core: username metadata, display name and alias, the user\'s token settings', async () => {
    expect(await login(up, 'alice', 'correct horse')).toEqual({
      policies: ['dev'],
      displayName: 'alice',
      metadata: { username: 'alice' },
      ttl: 3600,
      maxTTL: 14_400,
      period: 0,
      explicitMaxTTL: 0,
      numUses: 0,
      renewable: true,
      tokenType: 'default',
      alias: { name: 'alice', metadata: { username: 'alice' } },
      boundCidrs: [],
      noDefaultPolicy: false,
      internal: { policies: ['dev'] },
    });
  });

  it('logs in with any case of the username and reports it in lowercase', async () => {
    const auth = await login(up, 'ALIce', 'correct horse');
    expect([auth.displayName, auth.metadata, auth.alias?.name]).toEqual(['alice', { username: 'alice' }, 'alice']);
  });

  it('refuses a wrong password and an unknown user with the same status and message', async () => {
    const wrong = await up.fail('update', 'login/alice', { password: 'Correct horse' }, { auth: null });
    const unknown = await up.fail('update', 'login/mallory', { password: 'correct horse' }, { auth: null });
    expect([wrong.code, wrong.status, wrong.messages]).toEqual(['invalid_request', 400, ['invalid username or password']]);
    expect([unknown.code, unknown.status, unknown.messages]).toEqual([wrong.code, wrong.status, wrong.messages]);
  });

  it('does the same Argon2 verification for an unknown user as for a wrong password (timing)', async () => {
    const userHash = (JSON.parse((await rawRecord(up, 'alice')) ?? '{}') as { passwordHash: string }).passwordHash;
    up.argon2.verified.length = 0;
    await up.fail('update', 'login/alice', { password: 'nope' }, { auth: null });
    expect(up.argon2.verified).toEqual([userHash]);

    up.argon2.verified.length = 0;
    await up.fail('update', 'login/mallory', { password: 'nope' }, { auth: null });
    await up.fail('update', 'login/eve', { password: 'nope' }, { auth: null });
    expect(up.argon2.verified).toHaveLength(2);
    const [dummy, again] = up.argon2.verified as [string, string];
    // One fixed dummy hash, made at engine start, with exactly the cost parameters of a real user's hash.
    expect(again).toBe(dummy);
    expect(dummy).not.toBe(userHash);
    const cost = ({ memoryCost, timeCost, parallelism, algorithm, outputLen }: ReturnType<typeof parseOptions>) => ({ memoryCost, timeCost, parallelism, algorithm, outputLen });
    expect(cost(parseOptions(dummy))).toEqual(cost(parseOptions(userHash)));
    // Only the dummy and alice's hash were ever made: failed logins hash nothing.
    expect(up.argon2.hashes).toBe(2);
  });

  it('refuses a missing or empty password before looking at the user', async () => {
    up.argon2.verified.length = 0;
    for (const data of [{}, { password: '' }, { password: null }]) {
      const err = await up.fail('update', 'login/alice', data, { auth: null });
      expect([err.status, err.messages]).toEqual([400, ['missing password']]);
    }
    expect(up.argon2.verified).toEqual([]);
  });

  it('logs in with an imported bcrypt hash, then upgrades it to Argon2id', async () => {
    const imported = bcrypt.hashSync('from-ldap', 4);
    await up.call('update', 'users/carol', { password_hash: imported, token_policies: 'ops' });
    await expect(up.fail('update', 'login/carol', { password: 'wrong' }, { auth: null })).resolves.toMatchObject({ status: 400 });
    expect(JSON.parse((await rawRecord(up, 'carol')) ?? '{}').passwordHash).toBe(imported);

    expect((await login(up, 'carol', 'from-ldap')).policies).toEqual(['ops']);
    const upgraded = JSON.parse((await rawRecord(up, 'carol')) ?? '{}') as { passwordHash: string; token: { tokenPolicies: string[] } };
    expect(upgraded.passwordHash).toMatch(/^\$argon2id\$/);
    expect(upgraded.token.tokenPolicies).toEqual(['ops']);
    expect((await login(up, 'carol', 'from-ldap')).metadata).toEqual({ username: 'carol' });
  });

  it('does not let the upgrade undo a password change made while it was hashing', async () => {
    await up.call('update', 'users/carol', { password_hash: bcrypt.hashSync('from-ldap', 4) });
    up.argon2.beforeHash = async () => {
      up.argon2.beforeHash = undefined;
      await up.call('update', 'users/carol/password', { password: 'admin-set' });
    };
    await login(up, 'carol', 'from-ldap');
    expect(up.argon2.beforeHash).toBeUndefined();
    await expect(login(up, 'carol', 'admin-set')).resolves.toHaveProperty('policies');
    expect((await up.fail('update', 'login/carol', { password: 'from-ldap' }, { auth: null })).status).toBe(400);
  });

  it('still logs in when the upgrade fails, keeping the old hash and logging a warning', async () => {
    const imported = bcrypt.hashSync('from-ldap', 4);
    await up.call('update', 'users/carol', { password_hash: imported });
    up.argon2.beforeHash = () => Promise.reject(new Error('out of memory'));
    await expect(login(up, 'carol', 'from-ldap')).resolves.toHaveProperty('metadata', { username: 'carol' });
    expect(JSON.parse((await rawRecord(up, 'carol')) ?? '{}').passwordHash).toBe(imported);
    expect(up.warnings).toEqual(['could not upgrade the password hash']);
  });

  it('does not rehash an Argon2 hash made with the current parameters', async () => {
    const before = await rawRecord(up, 'alice');
    const hashes = up.argon2.hashes;
    await login(up, 'alice', 'correct horse');
    expect(await rawRecord(up, 'alice')).toBe(before);
    expect(up.argon2.hashes).toBe(hashes);
  });

  it('checks token_bound_cidrs against the remote address, IPv4-mapped IPv6 included', async () => {
    await up.call('update', 'users/bound', { password: 'pw', token_bound_cidrs: '127.0.0.0/8, 2001:db8::/32, 192.0.2.7' });
    for (const addr of ['127.0.0.1', '::ffff:127.0.0.1', '::FFFF:127.9.9.9', '2001:db8::1', '192.0.2.7']) {
      expect((await login(up, 'bound', 'pw', addr)).boundCidrs).toEqual(['127.0.0.0/8', '2001:db8::/32', '192.0.2.7']);
    }
    for (const addr of ['10.0.0.1', '::ffff:10.0.0.1', '::1', '192.0.2.8', '']) {
      const err = await up.fail('update', 'login/bound', { password: 'pw' }, { auth: null, remoteAddress: addr });
      expect([err.code, err.status, err.messages]).toEqual(['permission_denied', 403, ['permission denied']]);
    }
    // The binding is only revealed to someone who knows the password.
    const wrong = await up.fail('update', 'login/bound', { password: 'bad' }, { auth: null, remoteAddress: '10.0.0.1' });
    expect(wrong.messages).toEqual(['invalid username or password']);
  });
});

describe('userpass renewLogin', () => {
  let up: Mounted;

  beforeEach(async () => {
    up = await mountUserpass();
    await up.call('update', 'users/alice', { password: 'pw', token_policies: 'dev,ops', token_ttl: '1h', token_max_ttl: '4h' });
  });

  const renew = (m: Mounted, view: LoginView) => {
    const renewLogin = m.engine.renewLogin;
    if (!renewLogin) throw new Error('userpass must implement renewLogin');
    return renewLogin(m.request('update', 'login/alice'), view);
  };

  it('returns the user\'s current TTL settings', async () => {
    const view = viewOf(await login(up, 'alice', 'pw'));
    expect(await renew(up, view)).toEqual({ ttl: 3600, maxTTL: 14_400, period: 0 });
    await up.call('update', 'users/alice', { token_ttl: '30m', token_period: '2h', token_max_ttl: 0 });
    expect(await renew(up, view)).toEqual({ ttl: 1800, maxTTL: 0, period: 7200 });
  });

  it('still renews when only the order, case or the default policy differ', async () => {
    const view = viewOf(await login(up, 'alice', 'pw'));
    await up.call('update', 'users/alice', { token_policies: 'OPS, dev, default' });
    await expect(renew(up, view)).resolves.toMatchObject({ ttl: 3600 });
  });

  it('refuses after the user was deleted', async () => {
    const view = viewOf(await login(up, 'alice', 'pw'));
    await up.call('delete', 'users/alice');
    await expect(renew(up, view)).rejects.toMatchObject({ code: 'permission_denied', status: 403 });
  });

  it('refuses after the user\'s policies changed, on either path', async () => {
    const view = viewOf(await login(up, 'alice', 'pw'));
    await up.call('update', 'users/alice/policies', { token_policies: 'dev' });
    await expect(renew(up, view)).rejects.toMatchObject({ code: 'permission_denied', messages: ['policies have changed, not renewing'] });
    const view2 = viewOf(await login(up, 'alice', 'pw'));
    await expect(renew(up, view2)).resolves.toMatchObject({ ttl: 3600 });
    await up.call('update', 'users/alice', { token_policies: 'dev,admin' });
    await expect(renew(up, view2)).rejects.toMatchObject({ code: 'permission_denied' });
  });

  it('falls back to the token policies when the login carried no internal data, and needs a username', async () => {
    const auth = await login(up, 'alice', 'pw');
    const bare: LoginView = { ...viewOf(auth, ['default', 'dev', 'ops']), internal: {} };
    await expect(renew(up, bare)).resolves.toMatchObject({ ttl: 3600 });
    await expect(renew(up, { ...bare, policies: ['default', 'dev'] })).rejects.toMatchObject({ code: 'permission_denied' });
    await expect(renew(up, { ...bare, metadata: {} })).rejects.toMatchObject({ code: 'permission_denied' });
  });
});
