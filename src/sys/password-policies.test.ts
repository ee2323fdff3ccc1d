import { beforeEach, describe, expect, it } from 'vitest';
import { prefixedStorage, type Storage } from '../framework/storage.js';
import { InmemPhysical } from '../storage/inmem/inmem-physical.js';
import { passwordPolicyPaths, PasswordPolicyStore } from './password-policies.js';
import { sysHarness, type SysHarness } from './sys-harness.suite.js';

const POLICY = `length = 24
rule "charset" {
  charset = "abcdefghijklmnopqrstuvwxyz"
  min-chars = 2
}
rule "charset" {
  charset = "0123456789"
  min-chars = 2
}
rule "charset" {
  charset = "!@#$"
  min-chars = 1
}
`;

function satisfiesPolicy(password: unknown): boolean {
  if (typeof password !== 'string' || !/^[a-z0-9!@#$]{24}$/.test(password)) return false;
  const count = (re: RegExp): number => (password.match(re) ?? []).length;
  return count(/[a-z]/g) >= 2 && count(/[0-9]/g) >= 2 && count(/[!@#$]/g) >= 1;
}

describe('sys/policies/password', () => {
  let physical: InmemPhysical;
  let storage: Storage;
  let store: PasswordPolicyStore;
  let sys: SysHarness;

  beforeEach(() => {
    physical = new InmemPhysical();
    // As the core wires it: the `sys/` view of the barrier.
    storage = prefixedStorage(physical, 'sys/');
    store = new PasswordPolicyStore(storage);
    sys = sysHarness(passwordPolicyPaths(store), storage);
  });

  it('writes (204), reads back the text, lists, and stores it where Vault does', async () => {
    expect(await sys.call('update', 'policies/password/app', { policy: POLICY })).toBeNull();
    expect(sys.lastOperation()).toBe('update');
    expect(await sys.call('read', 'policies/password/app')).toEqual({ data: { policy: POLICY } });
    expect(await sys.call('list', 'policies/password')).toEqual({ data: { keys: ['app'] } });
    const raw = await physical.get('sys/password_policy/app');
    expect(JSON.parse(raw?.toString('utf8') ?? 'null')).toEqual({ policy: POLICY });
  });

  it('accepts a base64-encoded policy (as Vault) and stores the decoded text', async () => {
    await sys.call('update', 'policies/password/b64', { policy: Buffer.from(POLICY).toString('base64') });
    expect(await sys.call('read', 'policies/password/b64')).toEqual({ data: { policy: POLICY } });
  });

  it('accepts JSON', async () => {
    const json = JSON.stringify({ length: 8, rule: [{ charset: { charset: 'abc', 'min-chars': 1 } }] });
    await sys.call('update', 'policies/password/json', { policy: json });
    const res = await sys.call('read', 'policies/password/json/generate');
    expect(res?.data?.password).toMatch(/^[abc]{8}$/);
  });

  it('generates passwords that satisfy the policy, each time a new one', async () => {
    await sys.call('update', 'policies/password/app', { policy: POLICY });
    const seen = new Set<unknown>();
    for (let i = 0; i < 50; i++) {
      const res = await sys.call('read', 'policies/password/app/generate');
      expect(Object.keys(res?.data ?? {})).toEqual(['password']);
      expect(satisfiesPolicy(res?.data?.password)).toBe(true);
      seen.add(res?.data?.password);
    }
    expect(seen.size).toBe(50);
  });

  it('sees a changed policy at once', async () => {
    await sys.call('update', 'policies/password/p', { policy: 'length = 6\nrule "charset" {\n  charset = "a"\n}\n' });
    expect((await sys.call('read', 'policies/password/p/generate'))?.data?.password).toBe('aaaaaa');
    await sys.call('update', 'policies/password/p', { policy: 'length = 4\nrule "charset" {\n  charset = "b"\n}\n' });
    expect((await sys.call('read', 'policies/password/p/generate'))?.data?.password).toBe('bbbb');
  });

  it('deletes idempotently (204); an absent policy reads and generates as 404 "policy does not exist"', async () => {
    await sys.call('update', 'policies/password/gone', { policy: POLICY });
    expect(await sys.call('delete', 'policies/password/gone')).toBeNull();
    expect(await sys.call('delete', 'policies/password/gone')).toBeNull();
    const read = await sys.fail('read', 'policies/password/gone');
    expect(read.status).toBe(404);
    expect(read.messages).toEqual(['policy does not exist']);
    const gen = await sys.fail('read', 'policies/password/gone/generate');
    expect(gen.status).toBe(404);
    expect(gen.messages).toEqual(['policy does not exist']);
    expect(await sys.call('list', 'policies/password')).toEqual({ data: { keys: [] } });
  });

  it('refuses a missing policy, a parse error, and a bad length with 400, storing nothing', async () => {
    const missing = await sys.fail('update', 'policies/password/x', {});
    expect([missing.status, missing.message]).toEqual([400, 'missing policy']);
    const parse = await sys.fail('update', 'policies/password/x', { policy: 'length = 20\nrule "charset" {\n  charset = "abc"\n' });
    expect(parse.status).toBe(400);
    expect(parse.message).toMatch(/^invalid password policy at line 2, column 16: /);
    const length = await sys.fail('update', 'policies/password/x', { policy: 'length = 200\nrule "charset" {\n  charset = "abc"\n}\n' });
    expect([length.status, length.message]).toEqual([400, 'passwords must be between 4 and 100 characters']);
    expect((await sys.fail('read', 'policies/password/x')).status).toBe(404);
  });

  it('refuses a policy too restrictive to generate from (Vault’s trial generations)', async () => {
    const chars = Array.from({ length: 200 }, (_, i) => String.fromCodePoint(0x4e00 + i)).join('');
    const policy = JSON.stringify({ length: 100, rule: { charset: [{ charset: chars }, { charset: '!', 'min-chars': 60 }] } });
    const err = await sys.fail('update', 'policies/password/strict', { policy });
    expect(err.status).toBe(400);
    expect(err.message).toBe('unable to generate password from provided policy in 1s: are the rules impossible?');
  }, 10_000);

  it('the store generates from the default policy without a name, and 400s on an unknown one', async () => {
    expect(await store.generate()).toMatch(/^(?=.*[a-z])(?=.*[A-Z])(?=.*[0-9])(?=.*-)[A-Za-z0-9-]{20}$/);
    expect(await store.generate('')).toMatch(/^[A-Za-z0-9-]{20}$/);
    await expect(store.generate('nope')).rejects.toMatchObject({ status: 400, message: 'no password policy found' });
    await store.set('app', POLICY);
    expect(satisfiesPolicy(await store.generate('app'))).toBe(true);
  });

  it('reports a stored policy that no longer parses as a server error', async () => {
    await storage.put('password_policy/broken', Buffer.from(JSON.stringify({ policy: 'length = 2' })));
    await expect(store.generate('broken')).rejects.toMatchObject({ status: 500, message: 'stored password policy is invalid: passwords must be between 4 and 100 characters' });
  });
});
