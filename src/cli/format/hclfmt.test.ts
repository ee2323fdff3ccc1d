import { describe, expect, it } from 'vitest';
import { authListLines } from '../commands/auth-list.js';
import { expandHome } from '../commands/policy-fmt.js';
import { capabilitiesOf } from '../commands/token-capabilities.js';
import { tokenCreateBody } from '../commands/token-create.js';
import { wholeSeconds } from '../commands/token-renew.js';
import { tableOutput } from './columnize.js';
import { formatHcl, HclFormatError, tokenizeHcl } from './hclfmt.js';

describe('formatHcl (ward policy fmt)', () => {
  it('indents by nesting, normalises spacing and aligns the = of adjacent one-line attributes', () => {
    const src = 'path "secret/*"   {\ncapabilities=["read","list"]\n      min_wrapping_ttl = "1s"\n}\n';
    expect(formatHcl(src)).toBe('path "secret/*" {\n  capabilities     = ["read", "list"]\n  min_wrapping_ttl = "1s"\n}\n');
  });

  it('does not align across a blank line, a comment line or a multi-line value', () => {
    const src = 'path "a" {\n  a = 1\n\n  longer = 2\n  # note\n  b = 3\n  capabilities = [\n"read",\n  ]\n  cc = 4\n}\n';
    expect(formatHcl(src)).toBe('path "a" {\n  a = 1\n\n  longer = 2\n  # note\n  b = 3\n  capabilities = [\n    "read",\n  ]\n  cc = 4\n}\n');
  });

  it('separates top-level blocks by one blank line, keeps adjacent one-liners together', () => {
    const src = 'path "a" { capabilities = ["read"] }\npath "b" { capabilities = ["read"] }\n\n\n\npath "c" {\n  capabilities = ["deny"]\n}\npath "d" { capabilities = ["list"] }';
    expect(formatHcl(src)).toBe('path "a" { capabilities = ["read"] }\npath "b" { capabilities = ["read"] }\n\npath "c" {\n  capabilities = ["deny"]\n}\n\npath "d" { capabilities = ["list"] }\n');
  });

  it('keeps comments (all three kinds) and their lines; removes blank lines after { and before }', () => {
    const src = '# one\n// two\npath "a" {\n\n\n   /* three */ capabilities = ["read"]   # four\n\n}\n';
    expect(formatHcl(src)).toBe('# one\n// two\npath "a" {\n  /* three */ capabilities = ["read"] # four\n}\n');
  });

  it('keeps strings, templates and heredocs verbatim', () => {
    const src = 'path "secret/{{identity.entity.id}}/*" {\ncapabilities = ["read"]\n  x = "a  ${foo("b  c")}  d"\n  y = <<EOT\n    keep   this\n  EOT\n}\n';
    expect(formatHcl(src)).toBe('path "secret/{{identity.entity.id}}/*" {\n  capabilities = ["read"]\n  x            = "a  ${foo("b  c")}  d"\n  y = <<EOT\n    keep   this\n  EOT\n}\n');
  });

  it('is idempotent and ends with exactly one newline', () => {
    const src = '\n\npath "a" {\n  capabilities = ["read", "update"]\n  allowed_parameters = {\n    "ttl" = ["1h", "2h"]\n    "*"   = []\n  }\n}\n\n\n';
    const once = formatHcl(src);
    expect(once).toBe('path "a" {\n  capabilities = ["read", "update"]\n  allowed_parameters = {\n    "ttl" = ["1h", "2h"]\n    "*"   = []\n  }\n}\n');
    expect(formatHcl(once)).toBe(once);
    expect(formatHcl('')).toBe('');
  });

  it('refuses text it cannot tokenise', () => {
    expect(() => formatHcl('path "a {\n')).toThrow(HclFormatError);
    expect(() => formatHcl('x = <<EOT\nno end\n')).toThrow('unterminated heredoc EOT');
    expect(() => formatHcl('/* open')).toThrow('unterminated comment');
  });

  it('tokenises operators, words and newlines', () => {
    expect(tokenizeHcl('a == b\n').map((t) => `${t.kind}:${t.text}`)).toEqual(['word:a', 'punct:==', 'word:b', 'nl:\n']);
  });
});

describe('auth list lines (Vault simpleMounts / detailedMounts)', () => {
  const auths = {
    'userpass/': { type: 'userpass', accessor: 'auth_userpass_1', description: '', config: { default_lease_ttl: 0, max_lease_ttl: 0 }, uuid: 'u2' },
    'token/': { type: 'token', accessor: 'auth_token_1', description: 'token based credentials', config: { default_lease_ttl: 0, max_lease_ttl: 0, token_type: 'default-service' }, uuid: 'u1', plugin_version: '' },
    'apps/': { type: 'approle', accessor: 'auth_approle_1', description: 'apps', config: { default_lease_ttl: 1800, max_lease_ttl: 7200 }, options: { a: 'b' }, local: true, seal_wrap: true, uuid: 'u3', running_plugin_version: 'v1', deprecation_status: 'supported' },
  };

  it('prints Path, Type, Accessor, Description and Version, sorted by path', () => {
    expect(tableOutput(authListLines(auths, false))).toBe(
      [
        'Path         Type        Accessor           Description                Version',
        '----         ----        --------           -----------                -------',
        'apps/        approle     auth_approle_1     apps                       n/a',
        'token/       token       auth_token_1       token based credentials    n/a',
        'userpass/    userpass    auth_userpass_1    n/a                        n/a',
      ].join('\n'),
    );
  });

  it('detailed: TTLs in seconds or "system", token type, replication, seal wrap, options as a Go map', () => {
    const lines = authListLines(auths, true);
    expect(lines[0]).toBe('Path | Plugin | Accessor | Default TTL | Max TTL | Token Type | Replication | Seal Wrap | External Entropy Access | Options | Description | UUID | Version | Running Version | Running SHA256 | Deprecation Status');
    expect(lines[1]).toBe('apps/ | approle | auth_approle_1 | 1800 | 7200 |  | local | true | false | map[a:b] | apps | u3 |  | v1 |  | supported');
    expect(lines[2]).toBe('token/ | token | auth_token_1 | system | system | default-service | replicated | false | false | map[] | token based credentials | u1 |  |  |  | ');
  });
});

describe('token helpers', () => {
  it('capabilitiesOf reads data[path], then data.capabilities, and null when neither', () => {
    expect(capabilitiesOf({ 'a/b': ['read'], capabilities: ['list'] }, 'a/b')).toEqual(['read']);
    expect(capabilitiesOf({ 'a/b': [], capabilities: ['list'] }, 'a/b')).toEqual(['list']);
    expect(capabilitiesOf({ capabilities: ['deny'] }, 'a/b')).toEqual(['deny']);
    expect(capabilitiesOf({}, 'a/b')).toBeNull();
    expect(() => capabilitiesOf(null, 'a/b')).toThrow('data from server response is empty');
  });

  it('tokenCreateBody omits what Go omits (omitempty) and keeps Go duration strings', () => {
    const base = { id: '', policies: [], metadata: undefined, ttl: 0n, explicitMaxTTL: 0n, period: 0n, orphan: false, noDefaultPolicy: false, displayName: '', useLimit: 0, renewable: true, type: 'service', entityAlias: '' };
    expect(Object.keys(tokenCreateBody(base))).toEqual(['ttl', 'explicit_max_ttl', 'period', 'display_name', 'num_uses', 'renewable', 'type', 'entity_alias']);
    expect(tokenCreateBody({ ...base, ttl: 90n * 60n * 1_000_000_000n, metadata: {} })).toMatchObject({ ttl: '1h30m0s' });
    expect(tokenCreateBody({ ...base, metadata: {} })).not.toHaveProperty('meta');
  });

  it('wholeSeconds truncates like Vault\'s truncateToSeconds; expandHome expands ~', () => {
    expect(wholeSeconds(1_999_999_999n)).toBe(1);
    expect(wholeSeconds(3600n * 1_000_000_000n)).toBe(3600);
    expect(expandHome('~/p.hcl', '/home/u')).toBe('/home/u/p.hcl');
    expect(expandHome('~', '/home/u')).toBe('/home/u');
    expect(expandHome('a/~/p.hcl', '/home/u')).toBe('a/~/p.hcl');
  });
});
