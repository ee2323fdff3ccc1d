import type { CommandSpec } from '../command.js';
import { checkArgs, errorText } from '../command.js';
import { outputData } from '../format/output.js';
import { flagSet } from '../flagsets.js';

/** `ward policy list`: GET sys/policies/acl?list=true; the table format prints one name a line. */
export const policyListCommand: CommandSpec = {
  path: ['policy', 'list'],
  synopsis: 'Lists the installed policies',
  help: `Usage: ward policy list [options]

  Lists the names of the policies that are installed on the Ward server.`,
  flags: flagSet({ format: true }),
  async run(ctx) {
    const bad = checkArgs(ctx.args, 0);
    if (bad) {
      ctx.ui.err(bad);
      return 1;
    }
    let policies: string[] | null;
    try {
      const secret = await ctx.client().send('GET', 'sys/policies/acl', undefined, { query: { list: 'true' } });
      if (!secret || !secret.data) throw new Error('data from server response is empty');
      policies = Array.isArray(secret.data.keys) ? secret.data.keys.map((k) => String(k)) : null;
    } catch (e) {
      ctx.ui.err(`Error listing policies: ${errorText(e)}`);
      return 2;
    }
    if (ctx.out.format === 'table') {
      for (const p of policies ?? []) ctx.ui.out(p);
      return 0;
    }
    return outputData(ctx.out, policies);
  },
};
