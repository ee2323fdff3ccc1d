import { describe, expect, it } from 'vitest';
import { connectTimeoutMs, parseMysqlConnectionUrl } from './dsn.js';

const creds = { username: 'admin', password: 'p@ss/w:rd?&' };

describe('parseMysqlConnectionUrl', () => {
  it('reads the Go DSN form and substitutes credentials after parsing, so any password character is safe', () => {
    const t = parseMysqlConnectionUrl('{{username}}:{{password}}@tcp(db.example:3307)/app?tls=skip-verify', creds);
    expect(t).toMatchObject({ host: 'db.example', port: 3307, user: 'admin', password: 'p@ss/w:rd?&', database: 'app', params: { tls: 'skip-verify' }, label: 'db.example:3307' });
  });

  it('accepts {{name}}, defaults the port and host, and takes the credentials when the DSN has none', () => {
    expect(parseMysqlConnectionUrl('{{name}}:{{password}}@tcp(localhost)/', creds)).toMatchObject({ host: 'localhost', port: 3306, user: 'admin' });
    expect(parseMysqlConnectionUrl('/', creds)).toMatchObject({ host: '127.0.0.1', port: 3306, user: 'admin', password: 'p@ss/w:rd?&' });
    expect(parseMysqlConnectionUrl('fixed@tcp(h:1)/', creds)).toMatchObject({ user: 'fixed', password: 'p@ss/w:rd?&' });
  });

  it('reads unix sockets and IPv6 addresses', () => {
    expect(parseMysqlConnectionUrl('{{username}}:{{password}}@unix(/run/mysqld/mysqld.sock)/db', creds)).toMatchObject({
      socketPath: '/run/mysqld/mysqld.sock',
      label: 'unix(/run/mysqld/mysqld.sock)',
    });
    expect(parseMysqlConnectionUrl('u:p@tcp([::1]:3306)/', creds)).toMatchObject({ host: '::1', port: 3306, label: '[::1]:3306' });
  });

  it('reads the mysql:// URL form', () => {
    const t = parseMysqlConnectionUrl('mysql://{{username}}:{{password}}@127.0.0.1:3306/ward_test?timeout=5s', creds);
    expect(t).toMatchObject({ host: '127.0.0.1', port: 3306, user: 'admin', password: 'p@ss/w:rd?&', database: 'ward_test' });
    expect(connectTimeoutMs(t, 10_000)).toBe(5_000);
  });

  it('never puts a credential in the label', () => {
    expect(parseMysqlConnectionUrl('{{username}}:{{password}}@tcp(h:1)/', creds).label).toBe('h:1');
  });

  it('refuses what is not a DSN', () => {
    expect(() => parseMysqlConnectionUrl('', creds)).toThrow(/cannot be empty/);
    expect(() => parseMysqlConnectionUrl('host:3306', creds)).toThrow(/not a MySQL DSN/);
    expect(() => parseMysqlConnectionUrl('u:p@udp(h:1)/', creds)).toThrow(/unsupported network/);
    expect(() => parseMysqlConnectionUrl('u:p@tcp(h:99999)/', creds)).toThrow(/out of range/);
  });
});
