import { randomInt } from 'node:crypto';
import { invalidRequest } from '../../../../lib/errors.js';
import { MYSQL_DEFAULT_USERNAME_TEMPLATE, MYSQL_LEGACY_DEFAULT_USERNAME_TEMPLATE } from '../../username-template.js';

/** The plugin names served by the MySQL/MariaDB plugin. */
export const MYSQL_PLUGIN_NAMES = [
  'mysql-database-plugin',
  'mysql-aurora-database-plugin',
  'mysql-rds-database-plugin',
  'mysql-legacy-database-plugin',
] as const;

export type MysqlPluginName = (typeof MYSQL_PLUGIN_NAMES)[number];

/** Number of random characters that replace the end of a name that was too long. */
export const TRUNCATION_SUFFIX_LENGTH = 8;

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function isMysqlPluginName(name: string): name is MysqlPluginName {
  return (MYSQL_PLUGIN_NAMES as readonly string[]).includes(name);
}

/**
 * The longest user name the variant accepts: 16 for the legacy, Aurora and RDS variants (MySQL before 5.7), 32
 * for `mysql-database-plugin` (MySQL 5.7+; MariaDB accepts 80, and 32 keeps names portable). Throws for a name
 * that is not a MySQL plugin.
 */
export function mysqlMaxUsernameLength(pluginName: string): number {
  if (!isMysqlPluginName(pluginName)) throw invalidRequest(`unknown MySQL plugin: ${pluginName}`);
  return pluginName === 'mysql-database-plugin' ? 32 : 16;
}

/** The default username template of a MySQL plugin variant (Vault's, §7.4). */
export function mysqlDefaultUsernameTemplate(pluginName: string): string {
  return mysqlMaxUsernameLength(pluginName) === 32 ? MYSQL_DEFAULT_USERNAME_TEMPLATE : MYSQL_LEGACY_DEFAULT_USERNAME_TEMPLATE;
}

/**
 * Fits `name` into `max` characters. A name that fits is returned unchanged. A longer one keeps its first
 * `max - 8` characters and ends with 8 random alphanumerics (62^8 ≈ 2·10^14 values), so two names cut from the
 * same long name do not collide — and the plugin refuses, and retries with another suffix, rather than reuse an
 * account that exists. Characters are counted as code points, as the server counts them.
 */
export function truncateUsername(name: string, max: number, suffix: () => string = randomSuffix): string {
  const chars = [...name];
  if (chars.length <= max) return name;
  if (max <= TRUNCATION_SUFFIX_LENGTH) {
    throw invalidRequest(`a username limit of ${max} leaves no room for a ${TRUNCATION_SUFFIX_LENGTH}-character random suffix`);
  }
  return chars.slice(0, max - TRUNCATION_SUFFIX_LENGTH).join('') + suffix();
}

function randomSuffix(): string {
  let out = '';
  for (let i = 0; i < TRUNCATION_SUFFIX_LENGTH; i += 1) out += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return out;
}
