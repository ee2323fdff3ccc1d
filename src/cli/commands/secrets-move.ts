import type { CommandSpec } from '../command.js';
import { checkArgs, ensureTrailingSlash, errorText } from '../command.js';
import { flagSet } from '../flagsets.js';
import { isRecord } from '../secret.js';

/** How long to wait between polls of sys/remount/status (Vault waits 10 s; Ward moves synchronously). */
const POLL_MS = 1000;

/** `ward secrets move SOURCE DESTINATION`: sys/remount, then polls the migration status. */
export const secretsMoveCommand: CommandSpec = {
  path: ['secrets', 'move'],
  synopsis: 'Move a secrets engine to a new path',
  help: `Usage: ward secrets move [options] SOURCE DESTINATION

  Moves an existing secrets engine to a new path. Any leases from the old
  secrets engine are revoked, but all configuration associated with the engine
  is preserved. It initiates the migration and intermittently polls its status,
  exiting if a final state is reached.

  WARNING! Moving a secrets engine will revoke any leases from the old engine.

  Move the secrets engine at secret/ to generic/:

      $ ward secrets move secret/ generic/`,
  flags: flagSet({}),
  async run(ctx) {
    const bad = checkArgs(ctx.args, 2);
    if (bad) {
      ctx.ui.err(bad);
      return 1;
    }
    const source = ensureTrailingSlash(ctx.args[0] as string);
    const destination = ensureTrailingSlash(ctx.args[1] as string);
    const client = ctx.client();
    let migrationId = '';
    try {
      const res = await client.call('POST', 'sys/remount', { body: { from: source, to: destination } });
      const body = isRecord(res.json) ? res.json : {};
      const data = isRecord(body.data) ? body.data : body;
      migrationId = typeof data.migration_id === 'string' ? data.migration_id : '';
    } catch (e) {
      ctx.ui.err(`Error moving secrets engine ${source} to ${destination}: ${errorText(e)}`);
      return 2;
    }
    if (migrationId === '') {
      // A server that moves synchronously and answers 204 (Vault before 1.10).
      ctx.ui.out(`Success! Moved secrets engine ${source} to: ${destination}`);
      return 0;
    }
    ctx.ui.out(`Started moving secrets engine ${source} to ${destination}, with migration ID ${migrationId}`);
    for (;;) {
      let status = '';
      try {
        const res = await client.call('GET', `sys/remount/status/${migrationId}`);
        const body = isRecord(res.json) ? res.json : {};
        const data = isRecord(body.data) ? body.data : {};
        const info = isRecord(data.migration_info) ? data.migration_info : {};
        status = typeof info.status === 'string' ? info.status : '';
      } catch (e) {
        ctx.ui.err(`Error checking migration status of secrets engine ${source} to ${destination}: ${errorText(e)}`);
        return 2;
      }
      if (status === 'success') {
        ctx.ui.out(`Success! Finished moving secrets engine ${source} to ${destination}, with migration ID ${migrationId}`);
        return 0;
      }
      if (status === 'failure') {
        ctx.ui.err(`Failure! Error encountered moving secrets engine ${source} to ${destination}, with migration ID ${migrationId}`);
        return 0;
      }
      ctx.ui.out(`Waiting for terminal status in migration of secrets engine ${source} to ${destination}, with migration ID ${migrationId}`);
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  },
};
