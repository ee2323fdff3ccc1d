import { beforeEach, describe, expect, it } from 'vitest';
import type { EngineRequest } from '../framework/index.js';
import { prefixedStorage } from '../framework/storage.js';
import { PolicyStore } from '../policy/policy-store.js';
import { InmemPhysical } from '../storage/inmem/inmem-physical.js';
import { capabilityPaths, type CapabilityDeps } from './capabilities.js';
import { sysHarness, type SysHarness } from './sys-harness.suite.js';

describe('sys/capabilities*', () => {
  let sys: SysHarness;
  let callerRequests: EngineRequest[];

  beforeEach(async () => {
    const storage = prefixedStorage(new InmemPhysical(), 'sys/');
    const store = new PolicyStore(storage);
    await store.ensureDefault();
    await store.set('dev', 'path "secret/data/*" {\n  capabilities = ["create", "read", "update"]\n}\npath "secret/data/locked" {\n  capabilities = ["deny"]\n}\n');
    // A stand-in for the token store: tokens and accessors mapped to policy names.
    const tokens: Record<string, { accessor: string; policies: string[] }> = {
      's.dev': { accessor: 'acc-dev', policies: ['default', 'dev'] },
      's.root': { accessor: 'acc-root', policies: ['root'] },
    };
    callerRequests = [];
    const deps: CapabilityDeps = {
      aclForToken: async (token) => (tokens[token] ? store.acl(tokens[token].policies) : null),
      aclForAccessor: async (accessor) => {
        const entry = Object.values(tokens).find((t) => t.accessor === accessor);
        return entry ? store.acl(entry.policies) : null;
      },
      aclForCaller: async (req) => {
        callerRequests.push(req);
        return store.acl(req.auth?.policies ?? []);
      },
    };
    sys = sysHarness(capabilityPaths(deps), storage);
  });

  it('reports per path, plus capabilities for a single path', async () => {
    expect(await sys.call('update', 'capabilities', { token: 's.dev', paths: ['secret/data/x'] })).toEqual({
      data: { 'secret/data/x': ['create', 'read', 'update'], capabilities: ['create', 'read', 'update'] },
    });
    expect(await sys.call('update', 'capabilities', { token: 's.dev', paths: ['secret/data/x', 'secret/data/locked', 'cubbyhole/a'] })).toEqual({
      data: {
        'secret/data/x': ['create', 'read', 'update'],
        'secret/data/locked': ['deny'],
        'cubbyhole/a': ['create', 'delete', 'list', 'read', 'update'],
      },
    });
  });

  it('takes paths as a comma string and the legacy path field', async () => {
    const both = await sys.call('update', 'capabilities', { token: 's.dev', paths: 'secret/data/x, sys/mounts' });
    expect(Object.keys(both?.data ?? {})).toEqual(['secret/data/x', 'sys/mounts']);
    expect(await sys.call('update', 'capabilities', { token: 's.root', path: 'sys/seal' })).toEqual({ data: { 'sys/seal': ['root'], capabilities: ['root'] } });
  });

  it('answers 400 for a missing or unknown token and missing paths, as Vault does', async () => {
    expect((await sys.fail('update', 'capabilities', { token: 's.nope', paths: ['a'] })).message).toBe('invalid token');
    expect((await sys.fail('update', 'capabilities', { token: 's.dev' })).message).toBe('paths must be supplied');
    const missing = await sys.fail('update', 'capabilities', { paths: ['a'] });
    expect(missing.status).toBe(400);
    expect(missing.message).toBe('no token found');
  });

  it('reports for the caller on capabilities-self', async () => {
    expect(await sys.call('update', 'capabilities-self', { paths: ['auth/token/lookup-self'] })).toEqual({
      data: { 'auth/token/lookup-self': ['read'], capabilities: ['read'] },
    });
    expect(callerRequests).toHaveLength(1);
    expect(callerRequests[0]?.path).toBe('capabilities-self');
  });

  it('looks the token up by accessor on capabilities-accessor', async () => {
    expect(await sys.call('update', 'capabilities-accessor', { accessor: 'acc-dev', paths: ['secret/data/locked'] })).toEqual({
      data: { 'secret/data/locked': ['deny'], capabilities: ['deny'] },
    });
    expect((await sys.fail('update', 'capabilities-accessor', { accessor: 'acc-nope', paths: ['a'] })).message).toBe('invalid accessor');
    expect((await sys.fail('update', 'capabilities-accessor', { paths: ['a'] })).message).toBe('missing accessor');
  });

  it('is a write-only endpoint', async () => {
    expect((await sys.fail('read', 'capabilities')).code).toBe('unsupported_operation');
  });
});
