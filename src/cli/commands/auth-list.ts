import type { CommandSpec } from '../command.js';
import { checkArgs, errorText } from '../command.js';
import { tableOutput } from '../format/columnize.js';
import { compareGoStrings, goValue } from '../format/gofmt.js';
import { outputData } from '../format/output.js';
import { flagSet } from '../flagsets.js';
import { isRecord } from '../secret.js';
import { mountOutputStruct } from './secrets-list.js';

const s = (v: unknown): string => (typeof v === 'string' ? v : '');
const n = (v: unknown): number => (typeof v === 'number' ? v : 0);
const b = (v: unknown): boolean => v === true;

/** Vault's detailed-list TTL cell: blank for system mounts, the seconds when set, else `system`. */
function calcTTL(typ: string, ttl: number): string {
  if (typ === 'system' || typ === 'cubbyhole') return '';
  return ttl !== 0 ? String(ttl) : 'system';
}

/** The lines of `auth list` (Vault's simpleMounts / detailedMounts), before column alignment. */
export function authListLines(auths: Readonly<Record<string, Record<string, unknown>>>, detailed: boolean): string[] {
  const paths = Object.keys(auths).sort(compareGoStrings);
  if (!detailed) {
    return ['Path | Type | Accessor | Description | Version', ...paths.map((p) => {
      const m = auths[p] ?? {};
      return `${p} | ${s(m.type)} | ${s(m.accessor)} | ${s(m.description)} | ${s(m.plugin_version)}`;
    })];
  }
  const out = ['Path | Plugin | Accessor | Default TTL | Max TTL | Token Type | Replication | Seal Wrap | External Entropy Access | Options | Description | UUID | Version | Running Version | Running SHA256 | Deprecation Status'];
  for (const p of paths) {
    const m = auths[p] ?? {};
    const c = isRecord(m.config) ? m.config : {};
    const type = s(m.type);
    out.push(
      [
        p,
        type === 'plugin' ? s(c.plugin_name) : type,
        s(m.accessor),
        calcTTL(type, n(c.default_lease_ttl)),
        calcTTL(type, n(c.max_lease_ttl)),
        s(c.token_type),
        b(m.local) ? 'local' : 'replicated',
        String(b(m.seal_wrap)),
        String(b(m.external_entropy_access)),
        goValue(isRecord(m.options) ? m.options : {}),
        s(m.description),
        s(m.uuid),
        s(m.plugin_version),
        s(m.running_plugin_version),
        s(m.running_sha256),
        s(m.deprecation_status),
      ].join(' | '),
    );
  }
  return out;
}

/** `ward auth list`: GET sys/auth. */
export const authListCommand: CommandSpec = {
  path: ['auth', 'list'],
  synopsis: 'Lists enabled auth methods',
  help: `Usage: ward auth list [options]

  Lists the enabled auth methods on the Ward server. This command also outputs
  information about the method including configuration and human-friendly
  descriptions. A TTL of "system" indicates that the system default is in use.

  List all enabled auth methods:

      $ ward auth list

  List all enabled auth methods with detailed output:

      $ ward auth list -detailed`,
  flags: flagSet(
    { format: true },
    {
      name: 'detailed',
      kind: 'bool',
      section: 'Command Options',
      usage: 'Print detailed information such as configuration and replication status about each auth method. This option is only applicable to table-formatted output.',
    },
  ),
  async run(ctx) {
    const bad = checkArgs(ctx.args, 0);
    if (bad) {
      ctx.ui.err(bad);
      return 1;
    }
    let auths: Record<string, Record<string, unknown>>;
    try {
      const secret = await ctx.client().send('GET', 'sys/auth');
      if (!secret || !secret.data) throw new Error('data from server response is empty');
      auths = {};
      for (const [k, v] of Object.entries(secret.data)) if (isRecord(v)) auths[k] = v;
    } catch (e) {
      ctx.ui.err(`Error listing enabled authentications: ${errorText(e)}`);
      return 2;
    }
    if (ctx.out.format !== 'table') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(auths)) out[k] = mountOutputStruct(v);
      return outputData(ctx.out, out);
    }
    ctx.ui.out(tableOutput(authListLines(auths, ctx.flags.bool('detailed'))));
    return 0;
  },
};
