import type { CommandSpec } from '../command.js';
import { checkArgs, errorText } from '../command.js';
import { flagSet } from '../flagsets.js';

/** `ward policy delete NAME`: DELETE sys/policies/acl/<name>. */
export const policyDeleteCommand: CommandSpec = {
  path: ['policy', 'delete'],
  synopsis: 'Deletes a policy by name',
  help: `Usage: ward policy delete [options] NAME

  Deletes the policy named NAME in the Ward server. Once the policy is deleted,
  all tokens associated with the policy are affected immediately.

  Delete the policy named "my-policy":

      $ ward policy delete my-policy

  Note that it is not possible to delete the "default" or "root" policies.
  These are built-in policies.`,
  flags: flagSet({}),
  async run(ctx) {
    const bad = checkArgs(ctx.args, 1);
    if (bad) {
      ctx.ui.err(bad);
      return 1;
    }
    const name = (ctx.args[0] as string).toLowerCase().trim();
    try {
      await ctx.client().call('DELETE', `sys/policies/acl/${name}`);
    } catch (e) {
      ctx.ui.err(`Error deleting ${name}: ${errorText(e)}`);
      return 2;
    }
    ctx.ui.out(`Success! Deleted policy: ${name}`);
    return 0;
  },
};
