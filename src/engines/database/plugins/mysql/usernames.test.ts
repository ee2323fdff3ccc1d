import { describe, expect, it } from 'vitest';
import { MYSQL_DEFAULT_USERNAME_TEMPLATE, MYSQL_LEGACY_DEFAULT_USERNAME_TEMPLATE } from '../../username-template.js';
import {
  TRUNCATION_SUFFIX_LENGTH,
  mysqlDefaultUsernameTemplate,
  mysqlMaxUsernameLength,
  truncateUsername,
} from './usernames.js';

describe('MySQL username limits', () => {
  it('allows 32 characters for mysql-database-plugin and 16 for the legacy, Aurora and RDS variants', () => {
    expect(mysqlMaxUsernameLength('mysql-database-plugin')).toBe(32);
    expect(mysqlMaxUsernameLength('mysql-legacy-database-plugin')).toBe(16);
    expect(mysqlMaxUsernameLength('mysql-aurora-database-plugin')).toBe(16);
    expect(mysqlMaxUsernameLength('mysql-rds-database-plugin')).toBe(16);
    expect(() => mysqlMaxUsernameLength('postgresql-database-plugin')).toThrow(/unknown MySQL plugin/);
  });

  it("uses Vault's default templates per variant", () => {
    expect(mysqlDefaultUsernameTemplate('mysql-database-plugin')).toBe(MYSQL_DEFAULT_USERNAME_TEMPLATE);
    expect(mysqlDefaultUsernameTemplate('mysql-rds-database-plugin')).toBe(MYSQL_LEGACY_DEFAULT_USERNAME_TEMPLATE);
    expect(MYSQL_DEFAULT_USERNAME_TEMPLATE).toContain('truncate 32');
    expect(MYSQL_LEGACY_DEFAULT_USERNAME_TEMPLATE).toContain('truncate 16');
  });
});

describe('truncateUsername', () => {
  it('returns a name that fits unchanged', () => {
    expect(truncateUsername('v-role-abc', 16)).toBe('v-role-abc');
    expect(truncateUsername('x'.repeat(16), 16)).toBe('x'.repeat(16));
  });

  it('keeps the head of a long name and ends it with a random alphanumeric suffix', () => {
    const out = truncateUsername('v-token-myrole-abcdefghijklmnopqrst', 16);
    expect(out).toHaveLength(16);
    expect(out.slice(0, 16 - TRUNCATION_SUFFIX_LENGTH)).toBe('v-token-');
    expect(out.slice(-TRUNCATION_SUFFIX_LENGTH)).toMatch(/^[A-Za-z0-9]{8}$/);
  });

  it('gives two cuts of the same name different suffixes (10,000 cuts, no collision)', () => {
    const long = 'v-token-my-long-role-name-0123456789';
    const seen = new Set<string>();
    for (let i = 0; i < 10_000; i += 1) seen.add(truncateUsername(long, 16));
    expect(seen.size).toBe(10_000);
  });

  it('counts code points, not UTF-16 units', () => {
    const out = truncateUsername('é'.repeat(10) + '😀'.repeat(10), 16, () => 'SSSSSSSS');
    expect([...out]).toHaveLength(16);
    expect(out).toBe('é'.repeat(8) + 'SSSSSSSS');
  });

  it('refuses a limit that leaves no room for the suffix', () => {
    expect(() => truncateUsername('x'.repeat(20), 8)).toThrow(/no room/);
  });
});
