import type { CommandSpec } from '../command.js';
import { checkArgs, errorText } from '../command.js';
import { flagSet } from '../flagsets.js';
import { goFsError } from '../kv-args.js';

/** `ward policy write NAME PATH|-`: PUT sys/policies/acl/<name> with the file (or stdin) as `policy`. */
export const policyWriteCommand: CommandSpec = {
  path: ['policy', 'write'],
  synopsis: 'Uploads a named policy from a file',
  help: `Usage: ward policy write [options] NAME PATH

  Uploads a policy with name NAME from the contents of a local file PATH or
  stdin. If PATH is "-", the policy is read from stdin. Otherwise, it is
  loaded from the file at the given path on the local disk.

  Upload a policy named "my-policy" from "/tmp/policy.hcl" on the local disk:

      $ ward policy write my-policy /tmp/policy.hcl

  Upload a policy from stdin:

      $ cat my-policy.hcl | ward policy write my-policy -`,
  flags: flagSet({}),
  async run(ctx) {
    const bad = checkArgs(ctx.args, 2);
    if (bad) {
      ctx.ui.err(bad);
      return 1;
    }
    const policyName = ctx.args[0] as string;
    const formattedName = policyName.toLowerCase().trim();
    const path = (ctx.args[1] as string).trim();
    let rules: string;
    if (path === '-') {
      try {
        rules = await ctx.ui.readStdin();
      } catch (e) {
        ctx.ui.err(`Error reading policy: ${errorText(e)}`);
        return 2;
      }
    } else {
      try {
        rules = ctx.ui.readFile(path);
      } catch (e) {
        ctx.ui.err(`Error opening policy file: ${goFsError(e, path)}`);
        return 2;
      }
    }
    try {
      await ctx.client().call('PUT', `sys/policies/acl/${formattedName}`, { body: { policy: rules } });
    } catch (e) {
      ctx.ui.err(`Error uploading policy: ${errorText(e)}`);
      return 2;
    }
    if (policyName !== formattedName) ctx.ui.err(`Policy name was converted from "${policyName}" to "${formattedName}"`);
    ctx.ui.out(`Success! Uploaded policy: ${formattedName}`);
    return 0;
  },
};
