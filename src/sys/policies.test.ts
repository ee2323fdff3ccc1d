import { beforeEach, describe, expect, it } from 'vitest';
import { prefixedStorage } from '../framework/storage.js';
import { PolicyStore } from '../policy/policy-store.js';
import { InmemPhysical } from '../storage/inmem/inmem-physical.js';
import { policyPaths, RULES_DEPRECATED_WARNING } from './policies.js';
import { sysHarness, type SysHarness } from './sys-harness.suite.js';

const HCL = 'path "secret/*" {\n  capabilities = ["read", "list"]\n}\n';

describe('sys/policy and sys/policies/acl', () => {
  let store: PolicyStore;
  let sys: SysHarness;

  beforeEach(async () => {
    const storage = prefixedStorage(new InmemPhysical(), 'sys/');
    store = new PolicyStore(storage);
    await store.ensureDefault();
    sys = sysHarness(policyPaths(store), storage);
  });

  it('lists under keys and policies on sys/policy (GET and LIST), keys only on sys/policies/acl', async () => {
    await sys.call('update', 'policy/dev', { policy: HCL });
    const expected = ['default', 'dev', 'root'];
    expect(await sys.call('read', 'policy')).toEqual({ data: { keys: expected, policies: expected } });
    expect(await sys.call('list', 'policy')).toEqual({ data: { keys: expected, policies: expected } });
    expect(await sys.call('list', 'policies/acl')).toEqual({ data: { keys: expected } });
    expect((await sys.fail('read', 'policies/acl')).code).toBe('unsupported_operation');
  });

  it('writes with policy (204), reads back rules on sys/policy and policy on sys/policies/acl', async () => {
    expect(await sys.call('update', 'policy/Dev', { policy: HCL })).toBeNull();
    expect(await sys.call('read', 'policy/dev')).toEqual({ data: { name: 'dev', rules: HCL } });
    expect(await sys.call('read', 'policies/acl/DEV')).toEqual({ data: { name: 'dev', policy: HCL } });
  });

  it('accepts the legacy rules key with a deprecation warning (node-vault sends it, with a JSON policy)', async () => {
    const json = JSON.stringify({ path: { 'secret/*': { policy: 'write' } } });
    expect(await sys.call('update', 'policy/legacy', { name: 'legacy', rules: json })).toEqual({ warnings: [RULES_DEPRECATED_WARNING] });
    expect(RULES_DEPRECATED_WARNING).toBe("'rules' is deprecated, please use 'policy' instead");
    expect(await sys.call('read', 'policy/legacy')).toEqual({ data: { name: 'legacy', rules: json } });
    // sys/policies/acl knows only `policy`.
    expect((await sys.fail('update', 'policies/acl/other', { rules: json })).message).toBe("'policy' parameter not supplied or empty");
  });

  it('accepts a base64-encoded policy and returns the decoded text', async () => {
    await sys.call('update', 'policies/acl/b64', { policy: Buffer.from(HCL).toString('base64') });
    expect(await sys.call('read', 'policies/acl/b64')).toEqual({ data: { name: 'b64', policy: HCL } });
  });

  it('is a create for a new policy and an update for an existing one', async () => {
    await sys.call('update', 'policies/acl/p', { policy: HCL });
    expect(sys.lastOperation()).toBe('create');
    await sys.call('update', 'policies/acl/p', { policy: HCL });
    expect(sys.lastOperation()).toBe('update');
    await sys.call('update', 'policy/P', { policy: HCL });
    expect(sys.lastOperation()).toBe('update');
  });

  it('answers 404 for an absent policy, and for root', async () => {
    expect(await sys.call('read', 'policy/nope')).toBeNull();
    expect(await sys.call('read', 'policies/acl/nope')).toBeNull();
    expect(await sys.call('read', 'policy/root')).toBeNull();
  });

  it('refuses parse errors, root, and an empty policy with 400', async () => {
    const bad = await sys.fail('update', 'policy/bad', { policy: 'path "a" {\n  capabilities = ["read", "admin"]\n}\n' });
    expect(bad.status).toBe(400);
    expect(bad.message).toBe('policy parse error at line 1, column 6: path "a": invalid capability "admin"');
    expect((await sys.fail('update', 'policy/root', { policy: HCL })).message).toBe('cannot update "root" policy');
    expect((await sys.fail('update', 'policy/empty', {})).message).toBe("'policy' parameter not supplied or empty");
    expect(await sys.call('read', 'policy/bad')).toBeNull();
  });

  it('deletes idempotently (204) and protects root and default', async () => {
    await sys.call('update', 'policy/gone', { policy: HCL });
    expect(await sys.call('delete', 'policy/gone')).toBeNull();
    expect(await sys.call('delete', 'policies/acl/gone')).toBeNull();
    expect(await sys.call('read', 'policy/gone')).toBeNull();
    expect((await sys.fail('delete', 'policy/root')).message).toBe('cannot delete "root" policy');
    expect((await sys.fail('delete', 'policies/acl/default')).message).toBe('cannot delete default policy');
  });

  it('invalidates compiled ACLs when a policy changes through the API', async () => {
    await sys.call('update', 'policy/dev', { policy: HCL });
    expect((await store.acl(['dev'])).capabilities('secret/x')).toEqual(['list', 'read']);
    await sys.call('update', 'policies/acl/dev', { policy: 'path "secret/*" {\n  capabilities = ["deny"]\n}\n' });
    expect((await store.acl(['dev'])).capabilities('secret/x')).toEqual(['deny']);
  });
});
