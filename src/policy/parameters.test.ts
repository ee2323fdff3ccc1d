import { describe, expect, it } from 'vitest';
import type { ACL } from './acl.js';
import { globMatch } from './parameters.js';
import { compile } from './test-helpers.suite.js';

/** One path block with parameter settings (HCL lines), plus the capabilities to go with them. */
function block(path: string, settings: string, caps = '["create", "read", "update", "patch", "delete", "list"]'): string {
  return `path "${path}" {\n  capabilities = ${caps}\n${settings}\n}\n`;
}

function allows(acl: ACL, data: Record<string, unknown>, operation: 'create' | 'update' | 'patch' | 'read' | 'delete' | 'list' = 'update', path = 'secret/foo'): boolean {
  return acl.check({ operation, path, data, sudo: false }).allowed;
}

describe('allowed_parameters', () => {
  it('allows only the listed keys and values (Vault docs example)', async () => {
    const acl = await compile([block('secret/foo', '  allowed_parameters = {\n    "bar" = ["zip", "zap"]\n  }')]);
    expect(allows(acl, { bar: 'zip' })).toBe(true);
    expect(allows(acl, { bar: 'zap' })).toBe(true);
    expect(allows(acl, { bar: 'zoo' })).toBe(false);
    expect(allows(acl, { bar: 'zip', baz: 'x' })).toBe(false);
    // No data at all passes, as in Vault.
    expect(allows(acl, {})).toBe(true);
  });

  it('takes any value for an empty list and any other key with "*" = []', async () => {
    const acl = await compile([block('secret/foo', '  allowed_parameters = {\n    "bar" = ["zip"]\n    "*" = []\n  }')]);
    expect(allows(acl, { bar: 'zip', anything: 'else' })).toBe(true);
    expect(allows(acl, { bar: 'zap' })).toBe(false);
    const any = await compile([block('secret/foo', '  allowed_parameters = {\n    "bar" = []\n  }')]);
    expect(allows(any, { bar: 'whatever' })).toBe(true);
    expect(allows(any, { other: 1 })).toBe(false);
  });

  it('matches value globs with a leading or trailing *', async () => {
    const acl = await compile([block('secret/foo', '  allowed_parameters = {\n    "env" = ["dev-*", "*-test", "*mid*"]\n  }')]);
    expect(allows(acl, { env: 'dev-1' })).toBe(true);
    expect(allows(acl, { env: 'unit-test' })).toBe(true);
    expect(allows(acl, { env: 'a-mid-b' })).toBe(true);
    expect(allows(acl, { env: 'prod' })).toBe(false);
    expect(globMatch('*', 'x')).toBe(false);
    expect(globMatch('*', '*')).toBe(true);
  });

  it('checks every item of a list or comma-separated value', async () => {
    const acl = await compile([block('auth/token/create', '  allowed_parameters = {\n    "policies" = ["default", "dev"]\n  }')]);
    const create = (policies: unknown): boolean => allows(acl, { policies }, 'update', 'auth/token/create');
    expect(create('default,dev')).toBe(true);
    expect(create('default, dev')).toBe(true);
    expect(create(['dev'])).toBe(true);
    expect(create('default,admin')).toBe(false);
    expect(create(['default', 'admin'])).toBe(false);
    // An empty string must itself be allowed (Vault would let it through any list).
    expect(create('')).toBe(false);
  });

  it('compares keys case-insensitively and ignores null values', async () => {
    const acl = await compile([block('secret/foo', '  allowed_parameters = {\n    "Foo" = []\n  }')]);
    expect(allows(acl, { FOO: 1 })).toBe(true);
    expect(allows(acl, { foo: 1, description: null })).toBe(true);
  });

  it('compares non-string values for equality, numbers also by their text', async () => {
    const acl = await compile([block('secret/foo', '  allowed_parameters = {\n    "n" = [3, "7"]\n    "flag" = [true]\n  }')]);
    expect(allows(acl, { n: 3 })).toBe(true);
    expect(allows(acl, { n: 7 })).toBe(true);
    expect(allows(acl, { n: 4 })).toBe(false);
    expect(allows(acl, { flag: true })).toBe(true);
    expect(allows(acl, { flag: false })).toBe(false);
  });
});

describe('denied_parameters', () => {
  it('denies the listed values and leaves the rest (Vault docs example)', async () => {
    const acl = await compile([block('secret/foo', '  denied_parameters = {\n    "bar" = ["zip", "zap"]\n  }')]);
    expect(allows(acl, { bar: 'zip' })).toBe(false);
    expect(allows(acl, { bar: 'zoo' })).toBe(true);
    expect(allows(acl, { baz: 'zip' })).toBe(true);
  });

  it('denies a key outright with [] and every key with "*" = []', async () => {
    const acl = await compile([block('secret/foo', '  denied_parameters = {\n    "bar" = []\n  }')]);
    expect(allows(acl, { bar: 'anything' })).toBe(false);
    expect(allows(acl, { baz: 'x' })).toBe(true);
    const all = await compile([block('secret/foo', '  denied_parameters = {\n    "*" = []\n  }')]);
    expect(allows(all, { baz: 'x' })).toBe(false);
    expect(allows(all, {})).toBe(true);
  });

  it('denies a list when any item is denied', async () => {
    const acl = await compile([block('auth/token/create', '  denied_parameters = {\n    "policies" = ["root", "admin*"]\n  }')]);
    expect(allows(acl, { policies: 'default, admin-ops' }, 'update', 'auth/token/create')).toBe(false);
    expect(allows(acl, { policies: ['default', 'root'] }, 'update', 'auth/token/create')).toBe(false);
    expect(allows(acl, { policies: 'default,dev' }, 'update', 'auth/token/create')).toBe(true);
  });

  it('beats allowed_parameters', async () => {
    const acl = await compile([block('secret/foo', '  allowed_parameters = {\n    "foo" = []\n  }\n  denied_parameters = {\n    "foo" = ["bad"]\n  }')]);
    expect(allows(acl, { foo: 'good' })).toBe(true);
    expect(allows(acl, { foo: 'bad' })).toBe(false);
  });
});

describe('required_parameters', () => {
  it('needs every listed key', async () => {
    const acl = await compile([block('secret/foo', '  required_parameters = ["bar", "baz"]')]);
    expect(allows(acl, { bar: 1, baz: 2 })).toBe(true);
    expect(allows(acl, { bar: 1 })).toBe(false);
    expect(allows(acl, { bar: 1, baz: null })).toBe(false);
  });
});

describe('which requests are checked', () => {
  it('checks read, create, update and patch data, not delete or list', async () => {
    const acl = await compile([block('secret/foo', '  allowed_parameters = {\n    "version" = ["1"]\n  }')]);
    expect(allows(acl, { version: '2' }, 'read')).toBe(false);
    expect(allows(acl, { version: '2' }, 'create')).toBe(false);
    expect(allows(acl, { version: '2' }, 'patch')).toBe(false);
    expect(allows(acl, { version: '2' }, 'delete')).toBe(true);
    // LIST secret/foo/ falls back to the exact rule secret/foo, and a list is not checked against parameters.
    expect(allows(acl, { version: '2' }, 'list', 'secret/foo/')).toBe(true);
  });
});

describe('merging parameter rules of one pattern across policies', () => {
  it('unions value lists, an empty list winning', async () => {
    const a = block('secret/foo', '  allowed_parameters = {\n    "a" = ["1"]\n  }', '["update"]');
    const b = block('secret/foo', '  allowed_parameters = {\n    "a" = ["2"]\n    "b" = []\n  }', '["update"]');
    const acl = await compile([a, b]);
    expect(allows(acl, { a: '1' })).toBe(true);
    expect(allows(acl, { a: '2', b: 'x' })).toBe(true);
    expect(allows(acl, { a: '3' })).toBe(false);
    const c = block('secret/foo', '  allowed_parameters = {\n    "a" = []\n  }', '["update"]');
    expect(allows(await compile([a, c]), { a: '3' })).toBe(true);
  });

  it('unions required parameters', async () => {
    const acl = await compile([block('secret/foo', '  required_parameters = ["a"]', '["update"]'), block('secret/foo', '  required_parameters = ["b"]', '["update"]')]);
    expect(allows(acl, { a: 1 })).toBe(false);
    expect(allows(acl, { a: 1, b: 2 })).toBe(true);
  });

  it('does not apply the constraints of a pattern that lost', async () => {
    const acl = await compile([block('secret/*', '  allowed_parameters = {\n    "a" = ["1"]\n  }', '["update"]'), block('secret/foo', '', '["update"]')]);
    expect(allows(acl, { a: '9' })).toBe(true);
    expect(allows(acl, { a: '9' }, 'update', 'secret/bar')).toBe(false);
  });
});
