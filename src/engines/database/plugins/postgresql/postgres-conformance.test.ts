import { databasePluginSuite } from '../../plugin.suite.js';
import { PG_ADMIN_PASSWORD, PG_ADMIN_USER, connectionUrl, roleExists, tryLogin } from '../../../../../test/helpers/postgres.js';
import { PostgresPlugin } from './postgres-plugin.js';

// The shared conformance suite against the real PostgreSQL (scripts/setup-postgres.sh), as ward_admin.
databasePluginSuite('postgresql-database-plugin', async () => ({
  plugin: new PostgresPlugin('postgresql-database-plugin'),
  config: {
    connectionUrl: connectionUrl(),
    username: PG_ADMIN_USER,
    password: PG_ADMIN_PASSWORD,
    maxOpenConnections: 4,
    maxIdleConnections: 0,
    maxConnectionLifetime: 0,
    disableEscaping: false,
    passwordAuthentication: 'password',
    extra: {},
  },
  canLogin: async (username, password) => (await tryLogin(username, password)).ok,
  exists: roleExists,
  creationStatements: [`CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}';`],
}));
