import bcrypt from 'bcryptjs';
import { beforeEach, describe, expect, it } from 'vitest';
import { mountUserpass, rawRecord, type Mounted } from './harness.suite.js';

const TOKEN_DEFAULTS = {
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
};

describe('userpass users', () => {
  let up: Mounted;

  beforeEach(async () => {
    up = await mountUserpass();
  });

  it('creates a user (204), reads its token settings and never the password or hash', async () => {
    expect(await up.call('update', 'users/alice', { password: 'pw-1', token_policies: 'dev, ops', token_ttl: '1h' })).toBeNull();
    expect(up.lastOperation()).toBe('create');
    const read = await up.call('read', 'users/alice');
    expect(read).toEqual({ data: { ...TOKEN_DEFAULTS, token_policies: ['dev', 'ops'], policies: ['dev', 'ops'], token_ttl: 3600 } });
    expect(JSON.stringify(read)).not.toMatch(/pw-1|password|argon2/);
  });

  it('updates only what a write names, keeping the password', async () => {
    await up.call('update', 'users/alice', { password: 'pw-1', token_policies: 'dev', token_max_ttl: '2h' });
    const hashBefore = JSON.parse((await rawRecord(up, 'alice')) ?? '{}').passwordHash as string;
    await up.call('update', 'users/alice', { token_ttl: 600 });
    expect(up.lastOperation()).toBe('update');
    expect((await up.call('read', 'users/alice'))?.data).toMatchObject({ token_policies: ['dev'], token_ttl: 600, token_max_ttl: 7200 });
    expect(JSON.parse((await rawRecord(up, 'alice')) ?? '{}').passwordHash).toBe(hashBefore);
  });

  it('accepts the legacy aliases policies, ttl, max_ttl, period and bound_cidrs (hvac sends policies)', async () => {
    await up.call('update', 'users/bob', { password: 'x', policies: 'a,b', ttl: 60, max_ttl: '5m', period: '30s', bound_cidrs: '10.0.0.0/8' });
    expect((await up.call('read', 'users/bob'))?.data).toMatchObject({
      token_policies: ['a', 'b'],
      token_ttl: 60,
      token_max_ttl: 300,
      token_period: 30,
      token_bound_cidrs: ['10.0.0.0/8'],
    });
  });

  it('refuses a create without a password, with Vault\'s message, and stores nothing', async () => {
    const err = await up.fail('update', 'users/alice', { token_policies: 'dev' });
    expect([err.status, err.messages]).toEqual([400, ['missing password']]);
    expect(await up.call('read', 'users/alice')).toBeNull();
    expect((await up.fail('update', 'users/alice', { password: '' })).messages).toEqual(['missing password']);
  });

  it('refuses password together with password_hash', async () => {
    const hash = bcrypt.hashSync('pw', 4);
    const err = await up.fail('update', 'users/alice', { password: 'pw', password_hash: hash });
    expect([err.status, err.messages]).toEqual([400, ['only one of password or password_hash may be provided']]);
  });

  it('validates token settings and bound CIDRs before storing', async () => {
    expect((await up.fail('update', 'users/a', { password: 'x', token_ttl: '2h', token_max_ttl: '1h' })).status).toBe(400);
    const err = await up.fail('update', 'users/a', { password: 'x', token_bound_cidrs: '10.0.0.0/8, nonsense, 10.0.0.0/33' });
    expect(err.messages).toEqual([`invalid 'token_bound_cidrs' value: "nonsense", "10.0.0.0/33"`]);
    expect(await up.call('read', 'users/a')).toBeNull();
  });

  it('stores one record per user with an Argon2id hash and no plaintext password', async () => {
    await up.call('update', 'users/alice', { password: 'Tr0ub4dor&3-unique' });
    const raw = (await rawRecord(up, 'alice')) ?? '';
    expect(raw).not.toContain('Tr0ub4dor');
    const record = JSON.parse(raw) as { passwordHash: string };
    expect(record.passwordHash).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
    expect(Object.keys(record).sort()).toEqual(['passwordHash', 'token']);
    expect(await up.physical.list('logical/uuid-up/user/')).toEqual(['alice']);
  });

  it('treats usernames case-insensitively: one lowercase record, reachable by any case', async () => {
    await up.call('update', 'users/Alice', { password: 'pw', token_policies: 'dev' });
    expect(up.lastOperation()).toBe('create');
    await up.call('update', 'users/ALICE', { token_ttl: 5 });
    expect(up.lastOperation()).toBe('update');
    expect((await up.call('read', 'users/aLiCe'))?.data).toMatchObject({ token_policies: ['dev'], token_ttl: 5 });
    expect((await up.call('list', 'users'))?.data).toEqual({ keys: ['alice'] });
    await up.call('delete', 'users/ALICE');
    expect(await up.call('read', 'users/alice')).toBeNull();
  });

  it('accepts Vault\'s username alphabet and rejects the rest as an unsupported path', async () => {
    for (const name of ['a', 'A_b', 'a.b-c', 'x9', '_lead', 'trail_', 'a..b', 'a--b']) {
      expect(await up.call('update', `users/${name}`, { password: 'pw' })).toBeNull();
    }
    for (const name of ['-lead', '.lead', 'trail.', 'trail-', 'sp ace', 'at@host', 'ümlaut', 'a/b', '.', '-']) {
      const err = await up.fail('update', `users/${name}`, { password: 'pw' });
      expect([err.status, err.messages]).toEqual([404, ['unsupported path']]);
      expect((await up.fail('update', `login/${name}`, { password: 'pw' })).status).toBe(404);
    }
  });

  it('lists users (404 when none) and deletes idempotently', async () => {
    expect(await up.call('list', 'users')).toBeNull();
    await up.call('update', 'users/bob', { password: 'x' });
    await up.call('update', 'users/alice', { password: 'y' });
    expect((await up.call('list', 'users/'))?.data).toEqual({ keys: ['alice', 'bob'] });
    expect(await up.call('delete', 'users/bob')).toBeNull();
    expect(await up.call('delete', 'users/bob')).toBeNull();
    expect((await up.call('list', 'users'))?.data).toEqual({ keys: ['alice'] });
    expect(await rawRecord(up, 'bob')).toBeNull();
  });

  it('changes the password on users/:username/password and keeps the token settings', async () => {
    await up.call('update', 'users/alice', { password: 'old', token_policies: 'dev' });
    expect(await up.call('update', 'users/Alice/password', { password: 'new' })).toBeNull();
    expect((await up.call('read', 'users/alice'))?.data).toMatchObject({ token_policies: ['dev'] });
    expect(await up.call('update', 'login/alice', { password: 'new' })).toHaveProperty('auth');
    expect((await up.fail('update', 'login/alice', { password: 'old' })).messages).toEqual(['invalid username or password']);
    expect((await up.fail('update', 'users/alice/password', {})).messages).toEqual(['missing password']);
  });

  it('answers a password or policies change for a missing user as Vault does (500 username does not exist)', async () => {
    for (const path of ['users/ghost/password', 'users/ghost/policies']) {
      const err = await up.fail('update', path, { password: 'x', token_policies: 'a' });
      expect([err.status, err.messages]).toEqual([500, ['username does not exist']]);
    }
    expect(await up.call('read', 'users/ghost')).toBeNull();
  });

  it('replaces policies on users/:username/policies (token_policies or legacy policies), sanitised like Vault', async () => {
    await up.call('update', 'users/alice', { password: 'pw', token_policies: 'dev', token_ttl: 60 });
    expect(await up.call('update', 'users/alice/policies', { token_policies: ' Ops, dev,ops ,' })).toBeNull();
    expect((await up.call('read', 'users/alice'))?.data).toMatchObject({ token_policies: ['dev', 'ops'], token_ttl: 60 });
    await up.call('update', 'users/alice/policies', { policies: ['reader'] });
    expect((await up.call('read', 'users/alice'))?.data).toMatchObject({ token_policies: ['reader'] });
    await up.call('update', 'users/alice/policies', { token_policies: 'a', policies: 'b' });
    expect((await up.call('read', 'users/alice'))?.data).toMatchObject({ token_policies: ['a'] });
    await up.call('update', 'users/alice/policies', {});
    expect((await up.call('read', 'users/alice'))?.data).toMatchObject({ token_policies: ['a'] });
    await up.call('update', 'users/alice/policies', { token_policies: 'root,dev' });
    expect((await up.call('read', 'users/alice'))?.data).toMatchObject({ token_policies: ['root'] });
  });

  it('imports a bcrypt password_hash as is, on create and on the password path', async () => {
    const hash = bcrypt.hashSync('imported', 4);
    await up.call('update', 'users/carol', { password_hash: hash });
    expect(JSON.parse((await rawRecord(up, 'carol')) ?? '{}').passwordHash).toBe(hash);
    const other = bcrypt.hashSync('second', 5).replace(/^\$2b\$/, '$2y$');
    await up.call('update', 'users/carol/password', { password_hash: other });
    expect(JSON.parse((await rawRecord(up, 'carol')) ?? '{}').passwordHash).toBe(other);
  });

  it('rejects malformed bcrypt hashes with Vault\'s messages (and absurd costs)', async () => {
    const valid = bcrypt.hashSync('pw', 4);
    const cases: [string, string][] = [
      ['too short', 'password hash has incorrect length'],
      [' '.repeat(60), 'password hash has incorrect prefix'],
      [valid.replace(/^\$2b\$/, '$2x$'), 'password hash has incorrect prefix'],
      [`$2a$qwerty${'jibberfish'.repeat(5)}`, 'password hash is not a valid bcrypt hash'],
      [valid.replace(/^\$2b\$04\$/, '$2b$31$'), 'password hash cost must be between 4 and 16'],
    ];
    for (const [hash, message] of cases) {
      const err = await up.fail('update', 'users/dave', { password_hash: hash });
      expect([err.status, err.messages]).toEqual([400, [message]]);
    }
    expect(await up.call('read', 'users/dave')).toBeNull();
  });
});
