import type { CommandSpec } from '../command.js';
import { ensureTrailingSlash, errorText } from '../command.js';
import { flagSet } from '../flagsets.js';
import { KvArgError, parseArgsDataString } from '../kv-args.js';

/** `ward audit enable TYPE [K=V...]`: PUT sys/audit/<path> with Vault's EnableAuditOptions. */
export const auditEnableCommand: CommandSpec = {
  path: ['audit', 'enable'],
  synopsis: 'Enables an audit device',
  help: `Usage: ward audit enable [options] TYPE [CONFIG K=V...]

  Enables an audit device at a given path.

  This command enables an audit device of TYPE. Additional options for
  configuring the audit device can be specified after the type in the same
  format as the "ward write" command in key/value pairs.

  For example, to configure the file audit device to write audit logs at the
  path "/var/log/audit.log":

      $ ward audit enable file file_path=/var/log/audit.log`,
  flags: flagSet(
    {},
    { name: 'description', kind: 'string', section: 'Command Options', usage: 'Human-friendly description for the purpose of this audit device.' },
    {
      name: 'path',
      kind: 'string',
      section: 'Command Options',
      usage: 'Place where the audit device will be accessible. This must be unique across all audit devices. This defaults to the "type" of the audit device.',
    },
    { name: 'local', kind: 'bool', section: 'Command Options', usage: 'Mark the audit device as a local-only device. Local devices are not replicated or removed by replication.' },
  ),
  async run(ctx) {
    if (ctx.args.length < 1) {
      ctx.ui.err("Error enabling audit device: audit type missing. Valid types include 'file', 'socket' and 'syslog'.");
      return 1;
    }
    const f = ctx.flags;
    const auditType = (ctx.args[0] as string).trim();
    const auditPath = ensureTrailingSlash(f.str('path') || auditType);
    let options: Record<string, string>;
    try {
      options = await parseArgsDataString(ctx.args.slice(1), ctx.ui);
    } catch (e) {
      if (!(e instanceof KvArgError)) throw e;
      ctx.ui.err(`Failed to parse K=V data: ${e.message}`);
      return 1;
    }
    const body = { type: auditType, description: f.str('description'), options, local: f.bool('local') };
    try {
      await ctx.client().call('PUT', `sys/audit/${auditPath}`, { body });
    } catch (e) {
      ctx.ui.err(`Error enabling audit device: ${errorText(e)}`);
      return 2;
    }
    ctx.ui.out(`Success! Enabled the ${auditType} audit device at: ${auditPath}`);
    return 0;
  },
};
