import type { DatabasePluginFactory } from '../../plugin.js';
import { PostgresPlugin } from './postgres-plugin.js';
import { expandStatements } from './statements.js';
import { POSTGRES_DEFAULT_USERNAME_TEMPLATE } from '../../username-template.js';

/** `postgresql-database-plugin`. */
export const postgresqlPluginFactory: DatabasePluginFactory = {
  names: ['postgresql-database-plugin'],
  defaultUsernameTemplate: () => POSTGRES_DEFAULT_USERNAME_TEMPLATE,
  create: (pluginName) => new PostgresPlugin(pluginName),
  parseStatements: (_pluginName, statements) => expandStatements(statements),
};

export { PostgresPlugin } from './postgres-plugin.js';
