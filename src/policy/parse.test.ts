import { describe, expect, it } from 'vitest';
import { isWardError, type WardError } from '../lib/errors.js';
import { Cap } from './capabilities.js';
import { decodePolicyText, parsePolicy } from './parse.js';

async function parseError(text: string): Promise<WardError> {
  try {
    await parsePolicy('t', text);
  } catch (err) {
    if (isWardError(err)) return err;
    throw err;
  }
  throw new Error('expected a parse error');
}

describe('parsePolicy: HCL', () => {
  it('parses path blocks into capability masks, keeping the text verbatim', async () => {
    const text = `# team policy
path "secret/data/team/*" {
  capabilities = ["create", "read", "update", "patch", "delete", "list"]
}

path "/sys/mounts" {
  capabilities = ["read", "sudo"]
}
`;
    const p = await parsePolicy('Team-Policy', text);
    expect(p.name).toBe('team-policy');
    expect(p.raw).toBe(text);
    expect(p.templated).toBe(false);
    const byPath = Object.fromEntries(p.paths.map((r) => [r.path, r.capabilities]));
    expect(byPath).toEqual({
      'secret/data/team/*': Cap.create | Cap.read | Cap.update | Cap.patch | Cap.delete | Cap.list,
      // One leading "/" is stripped: Vault paths start after /v1/.
      'sys/mounts': Cap.read | Cap.sudo,
    });
  });

  it('accepts a one-line block with a single attribute and keeps repeated blocks for the ACL to merge', async () => {
    const p = await parsePolicy('t', 'path "a" { capabilities = ["read"] }\npath "a" { capabilities = ["list"] }\n');
    expect(p.paths.map((r) => [r.path, r.capabilities])).toEqual([
      ['a', Cap.read],
      ['a', Cap.list],
    ]);
  });

  it('maps the legacy policy key as Vault does', async () => {
    const caps = async (legacy: string): Promise<number> =>
      ((await parsePolicy('t', `path "x" {\n  policy = "${legacy}"\n}\n`)).paths[0]?.capabilities ?? -1);
    expect(await caps('deny')).toBe(Cap.deny);
    expect(await caps('read')).toBe(Cap.read | Cap.list);
    expect(await caps('write')).toBe(Cap.create | Cap.read | Cap.update | Cap.delete | Cap.list);
    expect(await caps('sudo')).toBe(Cap.create | Cap.read | Cap.update | Cap.delete | Cap.list | Cap.sudo);
    const err = await parseError('path "x" {\n  policy = "admin"\n}\n');
    expect(err.code).toBe('invalid_request');
    expect(err.message).toBe('policy parse error at line 1, column 6: path "x": invalid policy "admin": expected "deny", "read", "write" or "sudo"');
  });

  it('keeps only deny in a block that denies', async () => {
    const p = await parsePolicy('t', `path "x" {
  capabilities = ["read", "deny", "sudo"]
  allowed_parameters = { "a" = [] }
  min_wrapping_ttl = "1m"
}
`);
    expect(p.paths).toEqual([{ path: 'x', capabilities: Cap.deny, minWrappingTTL: 0, maxWrappingTTL: 0 }]);
  });

  it('parses parameter constraints and wrapping bounds', async () => {
    const p = await parsePolicy('t', `path "auth/userpass/users/*" {
  capabilities = ["create", "update"]
  allowed_parameters = {
    "Password" = []
    "policies" = ["default", "dev-*"]
  }
  denied_parameters = {
    "token_policies" = []
  }
  required_parameters = ["password"]
  min_wrapping_ttl = 60
  max_wrapping_ttl = "1h"
}
path "b" {
  capabilities = ["update"]
  allowed_parameters {
    foo = ["x"]
  }
}
`);
    const users = p.paths.find((r) => r.path === 'auth/userpass/users/*');
    expect(users).toEqual({
      path: 'auth/userpass/users/*',
      capabilities: Cap.create | Cap.update,
      allowedParameters: { password: [], policies: ['default', 'dev-*'] },
      deniedParameters: { token_policies: [] },
      requiredParameters: ['password'],
      minWrappingTTL: 60,
      maxWrappingTTL: 3600,
    });
    // HCL block form of a parameter map (hcl2json gives a list of maps).
    expect(p.paths.find((r) => r.path === 'b')?.allowedParameters).toEqual({ foo: ['x'] });
  });

  it('flags templated policies and refuses unbalanced templates', async () => {
    const p = await parsePolicy('t', 'path "secret/data/{{identity.entity.name}}/*" {\n  capabilities = ["read"]\n}\n');
    expect(p.templated).toBe(true);
    expect(p.paths[0]?.path).toBe('secret/data/{{identity.entity.name}}/*');
    const err = await parseError('path "secret/{{identity.entity.name}/*" {\n  capabilities = ["read"]\n}\n');
    expect(err.message).toContain('unbalanced templating characters');
  });
});

describe('parsePolicy: JSON', () => {
  it('parses the JSON form', async () => {
    const p = await parsePolicy('t', '{"path": {"secret/*": {"capabilities": ["read"]}, "sys/*": {"capabilities": ["deny"]}}}');
    expect(p.paths.map((r) => [r.path, r.capabilities])).toEqual([
      ['secret/*', Cap.read],
      ['sys/*', Cap.deny],
    ]);
  });

  it("parses node-vault's example with the legacy policy key", async () => {
    const text = JSON.stringify({ path: { 'secret/*': { policy: 'write' } } });
    const p = await parsePolicy('t', text);
    expect(p.raw).toBe(text);
    expect(p.paths).toEqual([{ path: 'secret/*', capabilities: Cap.create | Cap.read | Cap.update | Cap.delete | Cap.list, minWrappingTTL: 0, maxWrappingTTL: 0 }]);
  });

  it('accepts the list form of HCL1 JSON', async () => {
    const p = await parsePolicy('t', '{"path": [{"a": {"capabilities": ["read"]}}, {"b": [{"capabilities": ["list"]}]}]}');
    expect(p.paths.map((r) => r.path)).toEqual(['a', 'b']);
  });

  it('reports JSON syntax errors with line and column', async () => {
    const err = await parseError('{\n  "path": {\n    "a": {"capabilities": ["read"]},\n  }\n}');
    expect(err.code).toBe('invalid_request');
    expect(err.message).toMatch(/^policy parse error at line 4, column 3: invalid JSON: /);
  });
});

describe('parsePolicy: errors', () => {
  it('names an unknown capability and where its block is', async () => {
    const err = await parseError('path "a" {\n  capabilities = ["read"]\n}\n\npath "secret/*" {\n  capabilities = ["read", "wrte"]\n}\n');
    expect(err.status).toBe(400);
    expect(err.message).toBe('policy parse error at line 5, column 6: path "secret/*": invalid capability "wrte"');
  });

  it('hints at quoting when a capability was written as a bare word', async () => {
    const err = await parseError('path "a" {\n  capabilities = [read]\n}\n');
    expect(err.message).toContain('invalid capability "${read}" (quote it');
  });

  it('refuses "*" anywhere but at the end, and "+*"', async () => {
    expect((await parseError('path "secret/*/foo" {\n  capabilities = ["read"]\n}\n')).message).toContain('"*" is only allowed as the last character');
    expect((await parseError('path "secret/+*" {\n  capabilities = ["read"]\n}\n')).message).toContain("'+*' is forbidden");
  });

  it('allows "*" among denied parameters only with an empty list', async () => {
    const ok = await parsePolicy('t', 'path "a" {\n  capabilities = ["update"]\n  denied_parameters = {\n    "*" = []\n  }\n}\n');
    expect(ok.paths[0]?.deniedParameters).toEqual({ '*': [] });
    expect((await parseError('path "a" {\n  capabilities = ["update"]\n  denied_parameters = {\n    "*" = ["x"]\n  }\n}\n')).message).toContain(
      'denied_parameters: "*" only takes an empty list',
    );
    expect((await parseError('path "a" {\n  capabilities = ["update"]\n  allowed_parameters = {\n    "*" = ["x"]\n  }\n}\n')).message).toContain(
      'allowed_parameters: "*" only takes an empty list',
    );
    expect((await parseError('path "a" {\n  capabilities = ["update"]\n  allowed_parameters = {\n    "a*" = []\n  }\n}\n')).message).toContain(
      'cannot contain wildcards',
    );
  });

  it('refuses unknown keys, Enterprise-only keys and extra labels', async () => {
    expect((await parseError('path "a" {\n  capabilities = ["read"]\n  capabilites = ["read"]\n}\n')).message).toContain('path "a": invalid key "capabilites"');
    expect((await parseError('path "a" {\n  capabilities = ["read"]\n  mfa_methods = ["x"]\n}\n')).message).toContain('Vault Enterprise feature');
    expect((await parseError('paths "a" {\n  capabilities = ["read"]\n}\n')).message).toContain('invalid key "paths"');
    expect((await parseError('path "a" "b" {\n  capabilities = ["read"]\n}\n')).message).toContain('exactly one label');
    expect((await parseError('{"path": {"a": {"capabilities": "read"}}}')).message).toContain('capabilities must be a list of strings');
    expect((await parseError('[{"path": {}}]')).message).toBe('policy parse error: a policy must be a JSON object with a "path" key');
    expect((await parseError('{"path": 5}')).message).toContain('"path" must map patterns to blocks');
  });

  it('refuses bad wrapping bounds', async () => {
    expect((await parseError('path "a" {\n  capabilities = ["read"]\n  min_wrapping_ttl = "soon"\n}\n')).message).toContain('error parsing min_wrapping_ttl');
    expect((await parseError('path "a" {\n  capabilities = ["read"]\n  min_wrapping_ttl = "1h"\n  max_wrapping_ttl = "1m"\n}\n')).message).toContain(
      'max_wrapping_ttl cannot be less than min_wrapping_ttl',
    );
  });

  it('reports HCL syntax errors with line and column', async () => {
    const err = await parseError('path "a" {\n  capabilities = ["read"]\n');
    expect(err.code).toBe('invalid_request');
    expect(err.message).toMatch(/^policy parse error at line 1, column 10: Unclosed configuration block/);
  });

  it('reports the HCL2 caveat: several attributes on one line', async () => {
    const err = await parseError('path "a" {\n  capabilities = ["read"] policy = "read"\n}\n');
    expect(err.message).toMatch(/^policy parse error at line 2, column 27: Missing newline after argument/);
  });

  it('reports every diagnostic, and a repeated attribute as HCL2 does', async () => {
    const err = await parseError('path "a" {\n  capabilities = ["read"]\n  capabilities = ["list"]\n}\n');
    expect(err.messages).toEqual([
      'policy parse error at line 3, column 3: Attribute redefined; The argument "capabilities" was already set at line 2, column 3. Each argument may be set only once.',
    ]);
  });
});

describe('base64-encoded policies', () => {
  const hcl = 'path "secret/*" {\n  capabilities = ["read"]\n}\n';

  it('decodes standard base64, line breaks included, and leaves anything else alone', () => {
    const b64 = Buffer.from(hcl).toString('base64');
    expect(decodePolicyText(b64)).toBe(hcl);
    expect(decodePolicyText(`${b64.slice(0, 8)}\n${b64.slice(8)}`)).toBe(hcl);
    expect(decodePolicyText(hcl)).toBe(hcl);
    // Not padded to a multiple of four: not base64 for Go's StdEncoding either.
    expect(decodePolicyText('abc')).toBe('abc');
  });

  it('parses a base64-encoded policy and keeps the decoded text', async () => {
    const p = await parsePolicy('t', Buffer.from(hcl).toString('base64'));
    expect(p.raw).toBe(hcl);
    expect(p.paths.map((r) => [r.path, r.capabilities])).toEqual([['secret/*', Cap.read]]);
  });
});
