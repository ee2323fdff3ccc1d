import type { CommandSpec } from '../command.js';
import { errorText } from '../command.js';
import { outputSecret } from '../format/output.js';
import { flagSet } from '../flagsets.js';
import type { Secret } from '../secret.js';

/** `ward lease lookup ID`: PUT sys/leases/lookup. */
export const leaseLookupCommand: CommandSpec = {
  path: ['lease', 'lookup'],
  synopsis: 'Lookup the lease of a secret',
  help: `Usage: ward lease lookup ID

  Lookup the lease information of a secret.

  Every secret in Ward has a lease associated with it. Users can look up
  information on the lease by referencing the lease ID.

  Lookup lease of a secret:

      $ ward lease lookup database/creds/readonly/2f6a614c...`,
  flags: flagSet({ format: true }),
  async run(ctx) {
    const args = ctx.args;
    if (args.length === 0) {
      ctx.ui.err('Missing ID!');
      return 1;
    }
    if (args.length > 1) {
      ctx.ui.err(`Too many arguments (expected 1, got ${args.length})`);
      return 1;
    }
    const leaseId = (args[0] as string).trim();
    let secret: Secret | null;
    try {
      secret = await ctx.client().send('PUT', 'sys/leases/lookup', { lease_id: leaseId });
    } catch (e) {
      ctx.ui.err(`error looking up lease id ${leaseId}: ${errorText(e)}`);
      return 2;
    }
    if (!secret) return 0;
    return outputSecret(ctx.out, secret);
  },
};
