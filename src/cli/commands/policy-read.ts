import type { CommandSpec } from '../command.js';
import { checkArgs, errorText } from '../command.js';
import { outputData } from '../format/output.js';
import { flagSet } from '../flagsets.js';

/** `ward policy read NAME`: GET sys/policies/acl/<name>; the table format prints the policy text itself. */
export const policyReadCommand: CommandSpec = {
  path: ['policy', 'read'],
  synopsis: 'Prints the contents of a policy',
  help: `Usage: ward policy read [options] [NAME]

  Prints the contents and metadata of the Ward policy named NAME. If the policy
  does not exist, an error is returned.

  Read the policy named "my-policy":

      $ ward policy read my-policy`,
  flags: flagSet({ format: true }),
  async run(ctx) {
    const bad = checkArgs(ctx.args, 1);
    if (bad) {
      ctx.ui.err(bad);
      return 1;
    }
    const name = (ctx.args[0] as string).trim().toLowerCase();
    let rules = '';
    try {
      const client = ctx.client();
      const res = await client.raw('GET', `sys/policies/acl/${name}`);
      // As Vault's GetPolicy: a 404 means "no such policy", not an error.
      if (res.status !== 404) {
        const secret = client.secretOf(res);
        if (!secret || !secret.data) throw new Error('data from server response is empty');
        if (!('policy' in secret.data)) throw new Error('no policy found in response');
        rules = String(secret.data.policy);
      }
    } catch (e) {
      ctx.ui.err(`Error reading policy named ${name}: ${errorText(e)}`);
      return 2;
    }
    if (rules === '') {
      ctx.ui.err(`No policy named: ${name}`);
      return 2;
    }
    if (ctx.out.format === 'table') {
      ctx.ui.out(rules.trim());
      return 0;
    }
    return outputData(ctx.out, { policy: rules });
  },
};
