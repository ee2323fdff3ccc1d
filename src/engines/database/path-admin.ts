import { definePath, field, internalError, pattern, type PathSpec } from '../../framework/index.js';
import { callSignal, type DatabaseBackend } from './backend.js';
import { readConnection } from './connection-store.js';
import { PluginHandle } from './connection-manager.js';
import { pluginFailure } from './plugin-errors.js';
import { rotateRoot } from './root-rotation.js';

const nameField = { name: field.string({ required: true, description: 'Name of the database connection.' }) };

/** `reset/:name` and `rotate-root/:name`. */
export function adminPaths(b: DatabaseBackend): PathSpec[] {
  return [
    definePath({
      pattern: `reset/${pattern.name('name')}`,
      fields: nameField,
      synopsis: 'Resets a database plugin.',
      help: 'Closes the connection pool of the named connection and opens a new one from its stored configuration (connecting, unless verify_connection is false).',
      operations: {
        update: (_req, f) =>
          b.connectionLocks.run(f.name, async () => {
            const conn = await readConnection(b.storage, f.name);
            if (!conn) throw internalError(`failed to find entry for connection with name: "${f.name}"`);
            await b.connections.drop(f.name);
            const plugin = b.connections.factoryFor(conn.pluginName).create(conn.pluginName);
            try {
              await plugin.initialize(conn.config, { verify: conn.verifyConnection, signal: callSignal() });
            } catch (err) {
              await plugin.close().catch(() => undefined);
              throw pluginFailure(err, [conn.config.password], 'upstream', 'error creating database object');
            }
            await b.connections.put(f.name, new PluginHandle(plugin, conn));
            return null;
          }),
      },
    }),
    definePath({
      pattern: `rotate-root/${pattern.name('name')}`,
      fields: nameField,
      synopsis: 'Request to rotate the root credentials for a certain database connection.',
      help: "Generates a new password for the connection's root user, sets it at the database and stores it. A write-ahead record makes the change safe against crashes. The new password is never shown.",
      operations: {
        update: async (_req, f) => {
          await b.connectionLocks.run(f.name, () => rotateRoot(b, f.name));
          return null;
        },
      },
    }),
  ];
}
