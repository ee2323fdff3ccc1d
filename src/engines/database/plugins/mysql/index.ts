import type { DatabasePluginFactory } from '../../plugin.js';
import { MysqlPlugin } from './mysql-plugin.js';
import { expandMysqlStatements } from './statements.js';
import { MYSQL_PLUGIN_NAMES, mysqlDefaultUsernameTemplate } from './usernames.js';

/** `mysql-database-plugin` and its `-aurora-`, `-rds-` and `-legacy-` variants (16-character usernames). */
export const mysqlPluginFactory: DatabasePluginFactory = {
  names: [...MYSQL_PLUGIN_NAMES],
  defaultUsernameTemplate: (pluginName) => mysqlDefaultUsernameTemplate(pluginName),
  create: (pluginName) => new MysqlPlugin(pluginName),
  parseStatements: (_pluginName, statements) => expandMysqlStatements(statements),
};

export { MysqlPlugin, MYSQL_DEFAULT_ROTATION_STATEMENT } from './mysql-plugin.js';
export { mysqlMaxUsernameLength, truncateUsername } from './usernames.js';
export { splitMysqlStatements } from './sql-split.js';
