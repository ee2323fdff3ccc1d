import type { CommandSpec } from '../command.js';
import { errorText } from '../command.js';
import { outputSecret } from '../format/output.js';
import { flagSet } from '../flagsets.js';
import type { Secret } from '../secret.js';
import { wholeSeconds } from './token-renew.js';

/** `ward lease renew [-increment=D] ID`: PUT sys/leases/renew. */
export const leaseRenewCommand: CommandSpec = {
  path: ['lease', 'renew'],
  synopsis: 'Renews the lease of a secret',
  help: `Usage: ward lease renew [options] ID

  Renews the lease on a secret, extending the time that it can be used before
  it is revoked by Ward.

  Every secret in Ward has a lease associated with it. If the owner of the
  secret wants to use it longer than the lease, then it must be renewed.
  Renewing the lease does not change the contents of the secret. The ID is the
  full path lease ID.

  Renew a secret:

      $ ward lease renew database/creds/readonly/2f6a614c...

  Lease renewal will fail if the secret is not renewable, the secret has already
  been revoked, or if the secret has already reached its maximum TTL.

  For a full list of examples, please see the documentation.`,
  flags: flagSet(
    { format: true },
    { name: 'increment', kind: 'duration', section: 'Command Options', usage: 'Request a specific increment in seconds. Ward is not required to honor this request.' },
  ),
  async run(ctx) {
    const args = ctx.args;
    if (args.length === 0) {
      ctx.ui.err('Missing ID!');
      return 1;
    }
    if (args.length > 1) {
      ctx.ui.err(`Too many arguments (expected 1-2, got ${args.length})`);
      return 1;
    }
    const leaseId = (args[0] as string).trim();
    let secret: Secret | null;
    try {
      secret = await ctx.client().send('PUT', 'sys/leases/renew', { increment: wholeSeconds(ctx.flags.duration('increment')), lease_id: leaseId });
    } catch (e) {
      ctx.ui.err(`Error renewing ${leaseId}: ${errorText(e)}`);
      return 2;
    }
    if (!secret) return 0;
    return outputSecret(ctx.out, secret);
  },
};
