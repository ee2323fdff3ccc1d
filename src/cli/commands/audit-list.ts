import type { CommandSpec } from '../command.js';
import { checkArgs, errorText } from '../command.js';
import { tableOutput } from '../format/columnize.js';
import { compareGoStrings } from '../format/gofmt.js';
import { outputData } from '../format/output.js';
import { flagSet } from '../flagsets.js';
import { isRecord } from '../secret.js';

/** One device as the Go client decodes it (api.Audit). */
export interface AuditListing {
  type: string;
  description: string;
  options: Record<string, string> | null;
  local: boolean;
  path: string;
}

const s = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The `sys/audit` data as api.Audit values (fields the server left out are zero values, as mapstructure leaves them). */
export function auditListings(data: Readonly<Record<string, unknown>>): Record<string, AuditListing> {
  const out: Record<string, AuditListing> = {};
  for (const [k, v] of Object.entries(data)) {
    if (!isRecord(v)) continue;
    let options: Record<string, string> | null = null;
    if (isRecord(v.options)) {
      options = {};
      for (const [ok, ov] of Object.entries(v.options)) options[ok] = typeof ov === 'string' ? ov : JSON.stringify(ov);
    }
    out[k] = { type: s(v.type), description: s(v.description), options, local: v.local === true, path: s(v.path) };
  }
  return out;
}

/**
 * The lines of `audit list` (Vault's simpleAudits / detailedAudits), before column alignment. Vault joins the
 * options in Go's random map order; here they are sorted so the output is stable.
 */
export function auditListLines(audits: Readonly<Record<string, AuditListing>>, detailed: boolean): string[] {
  const paths = Object.keys(audits).sort(compareGoStrings);
  if (!detailed) {
    return ['Path | Type | Description', ...paths.map((p) => {
      const a = audits[p] as AuditListing;
      return `${a.path} | ${a.type} | ${a.description}`;
    })];
  }
  return ['Path | Type | Description | Replication | Options', ...paths.map((p) => {
    const a = audits[p] as AuditListing;
    const opts = Object.keys(a.options ?? {})
      .sort(compareGoStrings)
      .map((k) => `${k}=${(a.options ?? {})[k] ?? ''}`)
      .join(' ');
    return `${p} | ${a.type} | ${a.description} | ${a.local ? 'local' : 'replicated'} | ${opts}`;
  })];
}

/** `ward audit list`: GET sys/audit. */
export const auditListCommand: CommandSpec = {
  path: ['audit', 'list'],
  synopsis: 'Lists enabled audit devices',
  help: `Usage: ward audit list [options]

  Lists the enabled audit devices in the Ward server. The output lists the
  enabled audit devices and the options for those devices.

  List all audit devices:

      $ ward audit list

  List detailed output about the audit devices:

      $ ward audit list -detailed`,
  flags: flagSet(
    { format: true },
    {
      name: 'detailed',
      kind: 'bool',
      section: 'Command Options',
      usage: 'Print detailed information such as options and replication status about each audit device.',
    },
  ),
  async run(ctx) {
    const bad = checkArgs(ctx.args, 0);
    if (bad) {
      ctx.ui.err(bad);
      return 1;
    }
    let audits: Record<string, AuditListing>;
    try {
      const secret = await ctx.client().send('GET', 'sys/audit');
      if (!secret || !secret.data) throw new Error('data from server response is empty');
      audits = auditListings(secret.data);
    } catch (e) {
      ctx.ui.err(`Error listing audits: ${errorText(e)}`);
      return 2;
    }
    if (ctx.out.format !== 'table') {
      // Go's api.Audit field order; an empty table prints `{}` so that scripts always get the requested format.
      const out: Record<string, Map<string, unknown>> = {};
      for (const [k, a] of Object.entries(audits)) {
        out[k] = new Map<string, unknown>([
          ['type', a.type],
          ['description', a.description],
          ['options', a.options],
          ['local', a.local],
          ['path', a.path],
        ]);
      }
      return outputData(ctx.out, out);
    }
    if (Object.keys(audits).length === 0) {
      ctx.ui.out('No audit devices are enabled.');
      return 0;
    }
    ctx.ui.out(tableOutput(auditListLines(audits, ctx.flags.bool('detailed'))));
    return 0;
  },
};
