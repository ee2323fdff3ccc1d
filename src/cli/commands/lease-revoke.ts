import type { CommandSpec } from '../command.js';
import { checkArgs, errorText } from '../command.js';
import { wrapAtLength } from '../format/wrap.js';
import { flagSet } from '../flagsets.js';

/**
 * `ward lease revoke [-prefix] [-force] [-sync] ID`: PUT sys/leases/revoke/<id> (or revoke-prefix/, revoke-force/),
 * with `{"sync": ...}` except in force mode, as Vault's RevokeWithOptions.
 */
export const leaseRevokeCommand: CommandSpec = {
  path: ['lease', 'revoke'],
  synopsis: 'Revokes leases and secrets',
  help: `Usage: ward lease revoke [options] ID

  Revokes secrets by their lease ID. This command can revoke a single secret
  or multiple secrets based on a path-matched prefix.

  The default behavior when not using -force is to revoke asynchronously; Ward
  will queue the revocation and keep trying if it fails (including across
  restarts). The -sync flag can be used to force a synchronous operation, but
  it is then up to the caller to retry on failure. Force mode always operates
  synchronously.

  Revoke a single lease:

      $ ward lease revoke database/creds/readonly/2f6a614c...

  Revoke all leases for a role:

      $ ward lease revoke -prefix aws/creds/deploy

  Force delete leases from Ward even if secret engine revocation fails:

      $ ward lease revoke -force -prefix consul/creds

  For a full list of examples and paths, please see the documentation that
  corresponds to the secret engine in use.`,
  flags: flagSet(
    {},
    {
      name: 'force',
      kind: 'bool',
      aliases: ['f'],
      section: 'Command Options',
      usage: 'Delete the lease from Ward even if the secret engine revocation fails. This is meant for recovery situations where the secret in the target secret engine was manually removed. If this flag is specified, -prefix is also required.',
    },
    { name: 'prefix', kind: 'bool', section: 'Command Options', usage: 'Treat the ID as a prefix instead of an exact lease ID. This can revoke multiple leases simultaneously.' },
    { name: 'sync', kind: 'bool', section: 'Command Options', usage: 'Force a synchronous operation; on failure it is up to the client to retry.' },
  ),
  async run(ctx) {
    const bad = checkArgs(ctx.args, 1);
    if (bad) {
      ctx.ui.err(bad);
      return 1;
    }
    const force = ctx.flags.bool('force');
    const prefix = ctx.flags.bool('prefix');
    const sync = ctx.flags.bool('sync');
    if (force && !prefix) {
      ctx.ui.err('Specifying -force requires also specifying -prefix');
      return 1;
    }
    const leaseId = (ctx.args[0] as string).trim();
    if (force) ctx.ui.err(wrapAtLength('Warning! Force-removing leases can cause Ward to become out of sync with secret engines!'));
    const base = force ? 'sys/leases/revoke-force/' : prefix ? 'sys/leases/revoke-prefix/' : 'sys/leases/revoke/';
    try {
      await ctx.client().call('PUT', base + leaseId, force ? {} : { body: { sync } });
    } catch (e) {
      if (force) ctx.ui.err(`Error force revoking leases with prefix ${leaseId}: ${errorText(e)}`);
      else if (prefix) ctx.ui.err(`Error revoking leases with prefix ${leaseId}: ${errorText(e)}`);
      else ctx.ui.err(`Error revoking lease ${leaseId}: ${errorText(e)}`);
      return 2;
    }
    if (force) ctx.ui.out(`Success! Force revoked any leases with prefix: ${leaseId}`);
    else if (sync) ctx.ui.out(prefix ? `Success! Revoked any leases with prefix: ${leaseId}` : `Success! Revoked lease: ${leaseId}`);
    else ctx.ui.out('All revocation operations queued successfully!');
    return 0;
  },
};
