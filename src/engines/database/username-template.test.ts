import { describe, expect, it } from 'vitest';
import {
  compileUsernameTemplate,
  formatGoTime,
  MYSQL_DEFAULT_USERNAME_TEMPLATE,
  MYSQL_LEGACY_DEFAULT_USERNAME_TEMPLATE,
  POSTGRES_DEFAULT_USERNAME_TEMPLATE,
  renderUsernameTemplate,
  UsernameTemplateError,
} from './username-template.js';

// §7.4's example was issued at 1614294836 to the token display name `token` for the role `myrolename`.
const NOW = (): number => 1_614_294_836_123;
const DATA = { DisplayName: 'token', RoleName: 'myrolename' };
const render = (template: string, data = DATA): string => renderUsernameTemplate(template, data, NOW);

function errorOf(template: string): string {
  try {
    render(template);
  } catch (err) {
    expect(err).toBeInstanceOf(UsernameTemplateError);
    return (err as Error).message;
  }
  throw new Error(`expected ${template} to fail`);
}

describe('default username templates (Vault plugins, spec §7.4)', () => {
  it('copies Vault’s template strings exactly', () => {
    expect(POSTGRES_DEFAULT_USERNAME_TEMPLATE).toBe('{{ printf "v-%s-%s-%s-%s" (.DisplayName | truncate 8) (.RoleName | truncate 8) (random 20) (unix_time) | truncate 63 }}');
    expect(MYSQL_DEFAULT_USERNAME_TEMPLATE).toBe('{{ printf "v-%s-%s-%s-%s" (.DisplayName | truncate 10) (.RoleName | truncate 10) (random 20) (unix_time) | truncate 32 }}');
    expect(MYSQL_LEGACY_DEFAULT_USERNAME_TEMPLATE).toBe('{{ printf "v-%s-%s-%s" (.RoleName | truncate 4) (random 20) | truncate 16 }}');
  });

  it('PostgreSQL: v-token-myrolena-<20 random>-<unix>, at most 63', () => {
    const name = render(POSTGRES_DEFAULT_USERNAME_TEMPLATE);
    expect(name).toMatch(/^v-token-myrolena-[0-9A-Za-z]{20}-1614294836$/);
    expect(name).toHaveLength('v-token-myrolena-jNFRlKsZZMxJEx60o66i-1614294836'.length);
    const long = render(POSTGRES_DEFAULT_USERNAME_TEMPLATE, { DisplayName: 'approle-very-long-name', RoleName: 'readonly-reporting' });
    expect(long).toMatch(/^v-approle--readonly-[0-9A-Za-z]{20}-1614294836$/);
    expect(long.length).toBeLessThanOrEqual(63);
  });

  it('MySQL: v-<display 10>-<role 10>-<random>… cut to 32', () => {
    const name = render(MYSQL_DEFAULT_USERNAME_TEMPLATE, { DisplayName: 'userpass-alice', RoleName: 'readonly-role' });
    expect(name).toMatch(/^v-userpass-a-readonly-r-[0-9A-Za-z]{8}$/);
    expect(name).toHaveLength(32);
  });

  it('MySQL legacy/aurora/rds: v-<role 4>-<random> cut to 16', () => {
    const name = render(MYSQL_LEGACY_DEFAULT_USERNAME_TEMPLATE);
    expect(name).toMatch(/^v-myro-[0-9A-Za-z]{9}$/);
    expect(name).toHaveLength(16);
  });

  it('draws a fresh random part every time', () => {
    const names = new Set(Array.from({ length: 200 }, () => render(POSTGRES_DEFAULT_USERNAME_TEMPLATE)));
    expect(names.size).toBe(200);
  });
});

describe('Vault’s template functions', () => {
  it('truncate and truncate_sha256 (bytes, never splitting a character)', () => {
    expect(render('{{ .RoleName | truncate 4 }}')).toBe('myro');
    expect(render('{{ "short" | truncate 40 }}')).toBe('short');
    expect(render('{{ "ééé" | truncate 3 }}')).toBe('é');
    expect(render('{{ .RoleName | truncate_sha256 20 }}')).toBe('myrolename');
    // Vault: str[:maxLen-8] + first 8 hex characters of sha256(str[maxLen-8:]).
    expect(render('{{ "abcdefghijklmnop" | truncate_sha256 10 }}')).toBe('ab936d7cdc');
  });

  it('uppercase, lowercase, replace, sha256, base64', () => {
    expect(render('{{ .RoleName | uppercase }}')).toBe('MYROLENAME');
    expect(render('{{ "MiXeD" | lowercase }}')).toBe('mixed');
    expect(render('{{ "v-a.b-c" | replace "-" "_" | replace "." "_" }}')).toBe('v_a_b_c');
    expect(render('{{ sha256 "" }}')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(render('{{ .DisplayName | base64 }}')).toBe('dG9rZW4=');
  });

  it('unix_time, unix_time_millis and timestamp read the injected clock', () => {
    expect(render('{{ unix_time }}')).toBe('1614294836');
    expect(render('{{ unix_time_millis }}')).toBe('1614294836123');
    expect(render('{{ timestamp "2006-01-02T15:04:05.000Z07:00" }}')).toBe('2021-02-25T23:13:56.123Z');
    expect(formatGoTime('Mon Jan _2 3:04PM 2006 MST -0700 .999', new Date(Date.UTC(2024, 0, 5, 9, 7, 3, 500)))).toBe('Fri Jan  5 9:07AM 2024 UTC +0000 .5');
  });

  it('random is alphanumeric of the asked length; uuid is a UUID', () => {
    expect(render('{{ random 32 }}')).toMatch(/^[0-9A-Za-z]{32}$/);
    expect(render('{{ random 0 }}')).toBe('');
    expect(render('{{ uuid }}')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('printf, print, literals, trimming, comments, nested pipelines', () => {
    expect(render('{{ printf "%s-%d-%05d-%.3s-%q" "a" 7 42 "abcdef" "x" }}')).toBe('a-7-00042-abc-"x"');
    expect(render('{{ printf "%s" }}|{{ printf "%d" "x" }}|{{ printf "a" 1 }}')).toBe('%!s(MISSING)|%!d(string=x)|a%!(EXTRA int=1)');
    expect(render('{{ print 1 2 "a" true }}')).toBe('1 2atrue');
    expect(render('{{ `raw\\n` }} {{ "tab\\there" }} {{ 0x10 }} {{ true }}')).toBe('raw\\n tab\there 16 true');
    expect(render('a  {{- "b" -}}  c{{/* ignored */}}')).toBe('abc');
    expect(render('{{printf "v-%s-%s" (.DisplayName | truncate 8) (.RoleName | truncate 8) | truncate 63}}')).toBe('v-token-myrolena');
    expect(render('{{ .RoleName }}_{{ (.DisplayName | uppercase) | printf "%s!" }}')).toBe('myrolename_TOKEN!');
    expect(render('plain-name')).toBe('plain-name');
  });
});

describe('errors', () => {
  it('refuses unknown functions and fields at compile time, with the position', () => {
    expect(errorOf('{{ .RoleName | nope }}')).toMatch(/^invalid username template: line 1, column 16: function "nope" not defined/);
    expect(errorOf('x\n{{ .Name }}')).toBe("invalid username template: line 2, column 4: can't evaluate field Name: username templates know .DisplayName and .RoleName");
  });

  it('refuses syntax errors', () => {
    expect(errorOf('{{ .RoleName')).toBe('invalid username template: line 1, column 1: unclosed action');
    expect(errorOf('{{ printf "%s" (random 3 }}')).toMatch(/unclosed left paren/);
    expect(errorOf('{{ "abc }}')).toMatch(/unterminated quoted string/);
    expect(errorOf('{{ }}')).toMatch(/missing value for command/);
    expect(errorOf('{{ .RoleName .DisplayName }}')).toMatch(/can't give argument to non-function/);
    expect(errorOf('{{ .RoleName | .DisplayName }}')).toMatch(/can't give argument to non-function/);
    expect(errorOf('{{ if .RoleName }}x{{ end }}')).toMatch(/"if" is not supported/);
    expect(errorOf('{{ $x := 1 }}')).toMatch(/variables are not supported/);
    expect(errorOf('{{ 1.5 }}')).toMatch(/1\.5 is not an integer/);
    expect(errorOf('')).toBe('invalid username template: the template is empty');
  });

  it('refuses bad arguments when compiled, before any user is named', () => {
    expect(errorOf('{{ .RoleName | truncate 0 }}')).toBe('unable to apply username template: line 1, column 16: truncate: max length must be > 0 but was 0');
    expect(errorOf('{{ truncate_sha256 8 .RoleName }}')).toMatch(/max length must be > 8 but was 8/);
    expect(errorOf('{{ random }}')).toMatch(/wrong number of args for random: want 1 got 0/);
    expect(errorOf('{{ truncate "8" .RoleName }}')).toMatch(/truncate: argument 1 must be an integer, got the string "8"/);
    expect(errorOf('{{ random 100000 }}')).toMatch(/random: length must be between 0 and 4096/);
    expect(() => compileUsernameTemplate('{{ .RoleName | truncate -1 }}')).toThrow(UsernameTemplateError);
  });

  it('a compiled template renders many times', () => {
    const t = compileUsernameTemplate('{{ .RoleName }}-{{ random 4 }}');
    expect(t.render({ DisplayName: 'd', RoleName: 'r' })).toMatch(/^r-[0-9A-Za-z]{4}$/);
    expect(t.source).toBe('{{ .RoleName }}-{{ random 4 }}');
  });
});
