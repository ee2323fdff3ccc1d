import { describe, expect, it } from 'vitest';
import { ACL, ROOT_POLICY } from './acl.js';
import { DEFAULT_POLICY } from './default-policy.js';
import { parsePolicy } from './parse.js';
import { compile } from './test-helpers.suite.js';

describe('ACL basics', () => {
  it('lets root do anything and reports ["root"]', () => {
    const acl = ACL.compile([ROOT_POLICY]);
    expect(acl.isRoot).toBe(true);
    expect(acl.capabilities('anything/at/all')).toEqual(['root']);
    expect(acl.check({ operation: 'delete', path: 'sys/raw/x', sudo: true })).toEqual({ allowed: true });
    expect(acl.wrappingTTLBounds('x')).toEqual({ min: 0, max: 0 });
  });

  it('reports capabilities sorted alphabetically', async () => {
    const acl = await compile([{ 'secret/*': ['update', 'sudo', 'read', 'patch', 'list', 'delete', 'create'] }]);
    expect(acl.isRoot).toBe(false);
    expect(acl.capabilities('secret/x')).toEqual(['create', 'delete', 'list', 'patch', 'read', 'sudo', 'update']);
  });

  it('refuses everything with no policies, and says why', () => {
    const acl = ACL.compile([]);
    expect(acl.capabilities('secret/x')).toEqual(['deny']);
    expect(acl.check({ operation: 'read', path: 'secret/x', sudo: false })).toEqual({ allowed: false, reason: 'no policy grants access to this path' });
  });

  it('maps each operation to its capability', async () => {
    const acl = await compile([{ 'a/*': ['read'], 'b/*': ['create'], 'c/*': ['update'], 'd/*': ['patch'], 'e/*': ['delete'], 'f/*': ['list'] }]);
    const ops = ['read', 'create', 'update', 'patch', 'delete', 'list'] as const;
    ops.forEach((op, i) => {
      const granted = 'abcdef'[i] as string;
      for (const prefix of 'abcdef') {
        const path = op === 'list' ? `${prefix}/x/` : `${prefix}/x`;
        expect(acl.check({ operation: op, path, sudo: false }).allowed, `${op} on ${path}`).toBe(prefix === granted);
      }
    });
  });

  it('allows help to any token, as Vault does', () => {
    expect(ACL.compile([]).check({ operation: 'help', path: 'secret/x', sudo: true }).allowed).toBe(true);
  });

  it('gives the default policy what Vault gives it', async () => {
    const acl = ACL.compile([await parsePolicy('default', DEFAULT_POLICY)]);
    expect(acl.capabilities('auth/token/lookup-self')).toEqual(['read']);
    expect(acl.capabilities('sys/capabilities-self')).toEqual(['update']);
    expect(acl.capabilities('cubbyhole/anything')).toEqual(['create', 'delete', 'list', 'read', 'update']);
    expect(acl.capabilities('identity/oidc/provider/p1/authorize')).toEqual(['read', 'update']);
    expect(acl.capabilities('sys/tools/random')).toEqual(['deny']);
    expect(acl.capabilities('secret/data/x')).toEqual(['deny']);
  });

  it('keeps the placeholder API honouring root only', () => {
    expect(ACL.fromPolicies(['root']).allows('update', 'sys/seal', true)).toBe(true);
    expect(ACL.fromPolicies(['default']).allows('read', 'auth/token/lookup-self', false)).toBe(false);
  });
});

describe('legacy policies', () => {
  it('grants read and list for "read", and all but sudo for "write"', async () => {
    const acl = await compile(['path "secret/*" {\n  policy = "read"\n}\npath "team/*" {\n  policy = "write"\n}\npath "team/locked" {\n  policy = "deny"\n}\n']);
    expect(acl.capabilities('secret/x')).toEqual(['list', 'read']);
    expect(acl.check({ operation: 'update', path: 'secret/x', sudo: false }).allowed).toBe(false);
    expect(acl.capabilities('team/x')).toEqual(['create', 'delete', 'list', 'read', 'update']);
    expect(acl.check({ operation: 'update', path: 'team/x', sudo: true }).allowed).toBe(false);
    expect(acl.capabilities('team/locked')).toEqual(['deny']);
  });
});

describe('wrapping TTL bounds', () => {
  const wrapped = `path "secret/wrapped" {
  capabilities = ["read"]
  min_wrapping_ttl = "1m"
  max_wrapping_ttl = "1h"
}
`;

  it('requires wrapping within the bounds, as Vault does', async () => {
    const acl = await compile([wrapped]);
    const read = (wrapTTL?: number): boolean => acl.check({ operation: 'read', path: 'secret/wrapped', sudo: false, ...(wrapTTL === undefined ? {} : { wrapTTL }) }).allowed;
    expect(read()).toBe(false);
    expect(read(0)).toBe(false);
    expect(read(30)).toBe(false);
    expect(read(60)).toBe(true);
    expect(read(3600)).toBe(true);
    expect(read(3601)).toBe(false);
    expect(acl.wrappingTTLBounds('secret/wrapped')).toEqual({ min: 60, max: 3600 });
    expect(acl.wrappingTTLBounds('secret/other')).toEqual({ min: 0, max: 0 });
  });

  it('keeps the lowest bound of each kind when the same pattern merges', async () => {
    const other = 'path "secret/wrapped" {\n  capabilities = ["read"]\n  min_wrapping_ttl = 30\n  max_wrapping_ttl = "2h"\n}\n';
    const acl = await compile([wrapped, other]);
    expect(acl.wrappingTTLBounds('secret/wrapped')).toEqual({ min: 30, max: 3600 });
    expect(acl.check({ operation: 'read', path: 'secret/wrapped', sudo: false, wrapTTL: 45 }).allowed).toBe(true);
  });

  it('refuses when merged bounds contradict each other', async () => {
    const low = 'path "x" {\n  capabilities = ["read"]\n  max_wrapping_ttl = 10\n}\n';
    const high = 'path "x" {\n  capabilities = ["read"]\n  min_wrapping_ttl = 20\n}\n';
    const acl = await compile([low, high]);
    expect(acl.check({ operation: 'read', path: 'x', sudo: false, wrapTTL: 15 }).allowed).toBe(false);
  });
});
