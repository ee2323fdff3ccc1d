import { describe, expect, it } from 'vitest';
import { ACL } from './acl.js';
import { DEFAULT_POLICY } from './default-policy.js';
import { parsePolicy } from './parse.js';
import { resolveTemplate, templateSyntaxError } from './template.js';
import { compile } from './test-helpers.suite.js';
import type { TemplateContext } from './types.js';

const ctx: TemplateContext = {
  entity: {
    id: 'ent-1234',
    name: 'alice',
    metadata: { team: 'payments', empty: '', glob: 'a*' },
    aliases: [
      { mountAccessor: 'auth_userpass_1a2b', id: 'alias-1', name: 'alice-up', metadata: { region: 'eu' }, customMetadata: { cost: 'c42' } },
    ],
  },
  groups: [
    { id: 'grp-1', name: 'engineers', metadata: { floor: '3' } },
    { id: 'grp-2', name: '', metadata: {} },
  ],
};

describe('resolveTemplate', () => {
  it.each([
    ['secret/{{identity.entity.id}}', 'secret/ent-1234'],
    ['secret/{{ identity.entity.name }}/*', 'secret/alice/*'],
    ['t/{{identity.entity.metadata.team}}', 't/payments'],
    ['t/{{identity.entity.metadata.empty}}/x', 't//x'],
    ['a/{{identity.entity.aliases.auth_userpass_1a2b.id}}', 'a/alias-1'],
    ['a/{{identity.entity.aliases.auth_userpass_1a2b.name}}', 'a/alice-up'],
    ['a/{{identity.entity.aliases.auth_userpass_1a2b.metadata.region}}', 'a/eu'],
    ['a/{{identity.entity.aliases.auth_userpass_1a2b.custom_metadata.cost}}', 'a/c42'],
    ['g/{{identity.groups.ids.grp-1.name}}', 'g/engineers'],
    ['g/{{identity.groups.ids.grp-1.metadata.floor}}', 'g/3'],
    ['g/{{identity.groups.names.engineers.id}}', 'g/grp-1'],
    ['g/{{identity.groups.names.engineers.metadata.floor}}/{{identity.entity.name}}', 'g/3/alice'],
  ])('%s → %s', (template, expected) => {
    expect(resolveTemplate(template, ctx)).toBe(expected);
  });

  it.each([
    ['secret/{{identity.entity.metadata.missing}}', 'a missing metadata key'],
    ['a/{{identity.entity.aliases.auth_other.id}}', 'an alias on another mount'],
    ['a/{{identity.entity.aliases.auth_userpass_1a2b.metadata.none}}', 'a missing alias metadata key'],
    ['g/{{identity.groups.ids.grp-9.name}}', 'a group the entity is not in'],
    ['g/{{identity.groups.ids.grp-2.name}}', 'a group without a name'],
    ['t/{{identity.entity.metadata.glob}}', 'a value holding a wildcard'],
    ['t/{{identity.entity.metadata}}', 'a whole map'],
    ['t/{{time.now}}', 'a directive Ward does not offer in policies'],
    ['t/{{identity.entity.bogus}}', 'an unknown selector'],
  ])('%s is unresolvable (%s)', (template) => {
    expect(resolveTemplate(template, ctx)).toBeNull();
  });

  it('resolves nothing without an entity or without groups', () => {
    expect(resolveTemplate('x/{{identity.entity.id}}', { groups: [] })).toBeNull();
    expect(resolveTemplate('x/{{identity.entity.id}}', undefined)).toBeNull();
    expect(resolveTemplate('x/{{identity.groups.names.engineers.id}}', { ...ctx, groups: [] })).toBeNull();
    expect(resolveTemplate('x/{{identity.entity.id}}', { entity: { ...ctx.entity!, id: '' }, groups: [] })).toBeNull();
  });

  it('checks balance as Vault does', () => {
    expect(templateSyntaxError('a/{{x}}/b')).toBeNull();
    expect(templateSyntaxError('a/}}x')).not.toBeNull();
    expect(templateSyntaxError('a/{{x')).not.toBeNull();
    expect(templateSyntaxError('a/{{x}}}}')).not.toBeNull();
  });
});

describe('templated policies in an ACL', () => {
  const policy = `path "secret/data/{{identity.entity.name}}/*" {
  capabilities = ["create", "read", "update"]
}
path "secret/data/shared/*" {
  capabilities = ["read"]
}
path "secret/data/team/{{identity.groups.names.engineers.metadata.floor}}" {
  capabilities = ["read"]
}
`;

  it("grants the entity's own paths only", async () => {
    const acl = await compile([policy], ctx);
    expect(acl.capabilities('secret/data/alice/db')).toEqual(['create', 'read', 'update']);
    expect(acl.capabilities('secret/data/bob/db')).toEqual(['deny']);
    expect(acl.capabilities('secret/data/team/3')).toEqual(['read']);
  });

  it('drops unresolvable blocks silently and keeps the rest', async () => {
    const acl = await compile([policy]);
    expect(acl.capabilities('secret/data/shared/x')).toEqual(['read']);
    expect(acl.capabilities('secret/data/{{identity.entity.name}}/db')).toEqual(['deny']);
    const noGroups = await compile([policy], { entity: ctx.entity!, groups: [] });
    expect(noGroups.capabilities('secret/data/alice/db')).toEqual(['create', 'read', 'update']);
    expect(noGroups.capabilities('secret/data/team/3')).toEqual(['deny']);
  });

  it('merges a resolved template with an identical plain pattern', async () => {
    const acl = await compile([policy, { 'secret/data/alice/*': ['delete'] }], ctx);
    expect(acl.capabilities('secret/data/alice/db')).toEqual(['create', 'delete', 'read', 'update']);
  });

  it("gives the default policy's entity paths to the entity only", async () => {
    const defaultPolicy = await parsePolicy('default', DEFAULT_POLICY);
    expect(defaultPolicy.templated).toBe(true);
    const withEntity = ACL.compile([defaultPolicy], ctx);
    expect(withEntity.capabilities('identity/entity/id/ent-1234')).toEqual(['read']);
    expect(withEntity.capabilities('identity/entity/name/alice')).toEqual(['read']);
    expect(withEntity.capabilities('identity/entity/id/ent-9999')).toEqual(['deny']);
    const noEntity = ACL.compile([defaultPolicy]);
    expect(noEntity.capabilities('identity/entity/id/ent-1234')).toEqual(['deny']);
    expect(noEntity.capabilities('auth/token/lookup-self')).toEqual(['read']);
  });
});
