import type { DatabasePluginFactory } from '../../plugin.js';
import { REDIS_PLUGIN_NAME, RedisPlugin } from './redis-plugin.js';
import { parseRedisRules } from './rules.js';

/**
 * Vault's Redis plugin names users `V_<DISPLAYNAME>_<ROLENAME>_<20 RANDOM>_<UNIX TIME>` in capitals, each name
 * part cut to 64 (e.g. `V_TOKEN_MY-REDIS-ADMIN-ROLE_YASUQUF3GVVD0ZWTEMK4_1608481717`).
 */
export const REDIS_DEFAULT_USERNAME_TEMPLATE =
  '{{ printf "V_%s_%s_%s_%s" (.DisplayName | uppercase | truncate 64) (.RoleName | uppercase | truncate 64) (random 20 | uppercase) (unix_time) }}';

/** `redis-database-plugin`. `parseStatements` checks the ACL rules when a role is written and returns them. */
export const redisPluginFactory: DatabasePluginFactory = {
  names: [REDIS_PLUGIN_NAME],
  defaultUsernameTemplate: () => REDIS_DEFAULT_USERNAME_TEMPLATE,
  create: () => new RedisPlugin(),
  parseStatements: (_pluginName, statements) => parseRedisRules(statements),
};

export { RedisPlugin, REDIS_PLUGIN_NAME } from './redis-plugin.js';
export { parseRedisRules, REDIS_DEFAULT_RULES } from './rules.js';
