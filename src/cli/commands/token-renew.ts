import type { CommandSpec } from '../command.js';
import { errorText } from '../command.js';
import { outputSecret } from '../format/output.js';
import { flagSet } from '../flagsets.js';
import type { Secret } from '../secret.js';

/** Vault's truncateToSeconds: a duration flag in whole seconds. */
export function wholeSeconds(ns: bigint): number {
  return Number(ns / 1_000_000_000n);
}

/** `ward token renew [TOKEN]`: renew-self, renew or renew-accessor with the increment in seconds. */
export const tokenRenewCommand: CommandSpec = {
  path: ['token', 'renew'],
  synopsis: 'Renew a token lease',
  help: `Usage: ward token renew [options] [TOKEN]

  Renews a token's lease, extending the amount of time it can be used. If a
  TOKEN is not provided, the locally authenticated token is used. A token
  accessor can be used as well. Lease renewal will fail if the token is not
  renewable, the token has already been revoked, or if the token has already
  reached its maximum TTL.

  Renew a token (this uses the /auth/token/renew endpoint and permission):

      $ ward token renew 96ddf4bc-d217-f3ba-f9bd-017055595017

  Renew the currently authenticated token (this uses the /auth/token/renew-self
  endpoint and permission):

      $ ward token renew

  Renew a token requesting a specific increment value:

      $ ward token renew -increment=30m 96ddf4bc-d217-f3ba-f9bd-017055595017

  For a full list of examples, please see the documentation.`,
  flags: flagSet(
    { format: true },
    { name: 'accessor', kind: 'bool', section: 'Command Options', usage: 'Treat the argument as an accessor instead of a token. When this option is selected, the output will NOT include the token.' },
    {
      name: 'increment',
      kind: 'duration',
      aliases: ['i'],
      section: 'Command Options',
      usage: 'Request a specific increment for renewal. This increment may not be honored, for instance in the case of periodic tokens. If not supplied, Ward will use the default TTL. This is specified as a numeric string with suffix like "30s" or "5m".',
    },
  ),
  async run(ctx) {
    const args = ctx.args;
    if (args.length > 1) {
      ctx.ui.err(`Too many arguments (expected 1, got ${args.length})`);
      return 1;
    }
    const token = args.length === 1 ? (args[0] as string).trim() : '';
    const increment = wholeSeconds(ctx.flags.duration('increment'));
    const client = ctx.client();
    let secret: Secret | null;
    try {
      if (token === '') secret = await client.send('PUT', 'auth/token/renew-self', { increment });
      else if (ctx.flags.bool('accessor')) secret = await client.send('POST', 'auth/token/renew-accessor', { accessor: token, increment });
      else secret = await client.send('PUT', 'auth/token/renew', { token, increment });
    } catch (e) {
      ctx.ui.err(`Error renewing token: ${errorText(e)}`);
      return 2;
    }
    if (!secret) return 0;
    return outputSecret(ctx.out, secret);
  },
};
