import type { CommandSpec } from './command.js';
import { checkArgs, errorText } from './command.js';
import { ResponseError } from './client.js';
import { outputSecret } from './format/output.js';
import { flagSet, mountFlag } from './flagsets.js';
import { addPrefixToKVPath, parseVersionsFlags, resolveKvTarget } from './kv-helpers.js';
import type { Secret } from './secret.js';

/** Builds `kv undelete` / `kv destroy`: POST `<mount>/<verb>/<key>` with `{versions}` on a v2 mount. */
export function kvVersionsCommand(verb: 'undelete' | 'destroy', opts: { synopsis: string; help: string; notOnV1: string }): CommandSpec {
  return {
    path: ['kv', verb],
    synopsis: opts.synopsis,
    help: opts.help,
    flags: flagSet({ format: true }, { name: 'versions', kind: 'strings', section: 'Common Options', usage: `Specifies the version numbers to ${verb}.` }, mountFlag(verb)),
    async run(ctx) {
      const bad = checkArgs(ctx.args, 1);
      if (bad) {
        ctx.ui.err(bad);
        return 1;
      }
      const versions = parseVersionsFlags(ctx.flags.list('versions'));
      if (versions.length === 0) {
        ctx.ui.err(`No versions provided, use the "-versions" flag to specify the version to ${verb}.`);
        return 1;
      }
      const client = ctx.client();
      let target;
      try {
        target = await resolveKvTarget(client, ctx.args[0] as string, ctx.flags.str('mount'));
      } catch (e) {
        ctx.ui.err(errorText(e));
        return 2;
      }
      if (!target.v2) {
        ctx.ui.err(opts.notOnV1);
        return 1;
      }
      const path = addPrefixToKVPath(target.partialPath, target.mountPath, verb);
      let secret: Secret | null;
      try {
        secret = await client.write(path, { versions });
      } catch (e) {
        ctx.ui.err(`Error writing data to ${path}: ${errorText(e)}`);
        if (e instanceof ResponseError && e.secret) outputSecret(ctx.out, e.secret);
        return 2;
      }
      if (!secret) {
        if (ctx.out.format === 'table') ctx.ui.out(`Success! Data written to: ${path}`);
        return 0;
      }
      return outputSecret(ctx.out, secret);
    },
  };
}
