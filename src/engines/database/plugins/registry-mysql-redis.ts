import type { DatabasePluginFactory } from '../plugin.js';
import { mysqlPluginFactory } from './mysql/index.js';
import { redisPluginFactory } from './redis/index.js';

/**
 * The MySQL/MariaDB and Redis plugin factories, for `registry.ts` to append to `DATABASE_PLUGIN_FACTORIES`:
 * `mysql-database-plugin`, `mysql-aurora-database-plugin`, `mysql-rds-database-plugin`,
 * `mysql-legacy-database-plugin` and `redis-database-plugin`.
 */
export const MYSQL_REDIS_PLUGIN_FACTORIES: readonly DatabasePluginFactory[] = [mysqlPluginFactory, redisPluginFactory];
