import type { DatabasePluginFactory } from '../plugin.js';
import { mysqlPluginFactory } from './mysql/index.js';
import { postgresqlPluginFactory } from './postgresql/index.js';
import { redisPluginFactory } from './redis/index.js';

/**
 * The database plugins built into Ward, by `plugin_name`. Each factory lists the names it serves (the MySQL factory
 * serves `mysql-database-plugin` and its aurora/rds/legacy variants). Add a plugin by adding its factory here.
 */
export const DATABASE_PLUGIN_FACTORIES: readonly DatabasePluginFactory[] = [postgresqlPluginFactory, mysqlPluginFactory, redisPluginFactory];

/** The factory serving `pluginName`, or undefined when no built-in plugin has that name. */
export function pluginFactory(pluginName: string, factories: readonly DatabasePluginFactory[] = DATABASE_PLUGIN_FACTORIES): DatabasePluginFactory | undefined {
  return factories.find((f) => f.names.includes(pluginName));
}

/** Every plugin name served, for messages. */
export function pluginNames(factories: readonly DatabasePluginFactory[] = DATABASE_PLUGIN_FACTORIES): string[] {
  return factories.flatMap((f) => f.names).sort();
}
