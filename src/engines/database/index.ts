import type { EngineFactory, Storage } from '../../framework/index.js';
import { ConnectionManager } from './connection-manager.js';
import type { DatabaseBackend } from './backend.js';
import { KeyedLock } from '../../lib/keyed-lock.js';
import { adminPaths } from './path-admin.js';
import { configPaths } from './path-config.js';
import { credsPaths } from './path-creds.js';
import { rolePaths } from './path-roles.js';
import { staticRolePaths } from './path-static-roles.js';
import type { DatabasePluginFactory } from './plugin.js';
import { DATABASE_PLUGIN_FACTORIES } from './plugins/registry.js';
import { resolveAllRootWals } from './root-rotation.js';
import { credsSecret } from './secret-creds.js';
import { rotateDueStaticRoles } from './static-rotation.js';

const HELP = `
The database secrets engine generates database credentials dynamically based on configured roles: each
\`creds/<role>\` request creates a user that never existed before, with exactly the privileges of its role, under a
lease; when the lease ends the user is revoked — its sessions ended, what depends on it cleared, the user dropped.
Static roles (\`static-roles/\`) manage the password of existing users, rotated on a period or a schedule.

Plugins: postgresql-database-plugin (and, where built in, the MySQL/MariaDB and Redis plugins). Configure a
connection at \`config/<name>\`, then roles at \`roles/<name>\`. See docs/engines/database.md.
`;

/**
 * Builds the database engine for one mount. `factories` is for tests (a fake plugin); the server uses the built-in
 * plugins.
 */
export function createDatabaseEngineFactory(factories: readonly DatabasePluginFactory[] = DATABASE_PLUGIN_FACTORIES): EngineFactory {
  return {
    type: 'database',
    kind: 'secret',
    create(ctx) {
      const storage: Storage = ctx.storage;
      const b: DatabaseBackend = {
        storage,
        system: ctx.system,
        logger: ctx.logger,
        connections: new ConnectionManager({ storage, logger: ctx.logger, factories }),
        connectionLocks: new KeyedLock(),
        roleLocks: new KeyedLock(),
        staticRetryAt: new Map(),
      };
      let closed = false;
      // Housekeeping never fails the mount: each part logs and retries on the next pass.
      const housekeeping = async (): Promise<void> => {
        if (closed) return;
        await resolveAllRootWals(b);
        await rotateDueStaticRoles(b).catch((err: unknown) => b.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'static role rotation pass failed'));
      };
      return {
        help: HELP,
        paths: [...configPaths(b), ...adminPaths(b), ...rolePaths(b), ...staticRolePaths(b), ...credsPaths(b)],
        secrets: [credsSecret(b)],
        async init() {
          // Settle interrupted root rotations in the background: unsealing must not wait for databases.
          void resolveAllRootWals(b).catch(() => undefined);
        },
        periodic: housekeeping,
        async close() {
          closed = true;
          await b.connections.closeAll();
        },
      };
    },
  };
}

/** The database secrets engine (mount type `database`). */
export const databaseEngine: EngineFactory = createDatabaseEngineFactory();
