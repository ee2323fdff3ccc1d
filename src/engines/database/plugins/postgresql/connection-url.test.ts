import { describe, expect, it } from 'vitest';
import { describeTarget, parseConnectionUrl } from './connection-url.js';

describe('parseConnectionUrl', () => {
  it('reads a templated URL and fills in the credentials after parsing (no escaping needed)', () => {
    const t = parseConnectionUrl('postgresql://{{username}}:{{password}}@db.example:5433/app?sslmode=disable&application_name=x', 'admin', 'p@ss:w/rd?');
    expect(t).toMatchObject({ host: 'db.example', port: 5433, database: 'app', user: 'admin', password: 'p@ss:w/rd?', sslmode: 'disable', literalPassword: false });
    expect(t.params).toEqual({ application_name: 'x' });
  });

  it('uses username/password when the URL names none, and defaults like libpq', () => {
    expect(parseConnectionUrl('postgres://localhost', 'u', 'p')).toMatchObject({ host: 'localhost', port: 5432, database: 'u', user: 'u', password: 'p' });
    expect(parseConnectionUrl('postgres://[::1]:5432/d', 'u', 'p')).toMatchObject({ host: '::1', database: 'd' });
  });

  it('notices a literal password (root rotation needs the template)', () => {
    expect(parseConnectionUrl('postgres://u:secret%40x@h/d', '', '').literalPassword).toBe(true);
    expect(parseConnectionUrl('postgres://u:secret%40x@h/d', '', '').password).toBe('secret@x');
  });

  it('reads keyword/value strings', () => {
    const t = parseConnectionUrl(`host=127.0.0.1 port=5432 user={{username}} password='{{password}}' dbname=ward_test sslmode=disable`, 'a', "it's");
    expect(t).toMatchObject({ host: '127.0.0.1', port: 5432, user: 'a', password: "it's", database: 'ward_test', sslmode: 'disable' });
  });

  it('refuses garbage without echoing it', () => {
    expect(() => parseConnectionUrl('mysql://u:hunter22@h/d', '', '')).toThrow(/expected postgres/);
    expect(() => parseConnectionUrl('postgres://u:hunter22@h:99999/d', '', '')).toThrow(/connection_url/);
    expect(() => parseConnectionUrl('host=h port=0', '', '')).toThrow(/invalid port/);
    expect(() => parseConnectionUrl('just words', '', '')).not.toThrow(/hunter/);
    try {
      parseConnectionUrl('postgres://u:hunter22@h:99999/d', '', '');
    } catch (err) {
      expect((err as Error).message).not.toContain('hunter22');
    }
  });

  it('describes a target without credentials', () => {
    expect(describeTarget({ host: '::1', port: 5432, database: 'd' })).toBe('[::1]:5432/d');
  });
});
