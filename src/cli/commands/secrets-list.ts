import type { CommandSpec } from '../command.js';
import { checkArgs, errorText } from '../command.js';
import { tableOutput } from '../format/columnize.js';
import { compareGoStrings, goValue } from '../format/gofmt.js';
import { outputData } from '../format/output.js';
import { flagSet } from '../flagsets.js';
import { isRecord } from '../secret.js';

const s = (v: unknown): string => (typeof v === 'string' ? v : '');
const n = (v: unknown): number => (typeof v === 'number' ? v : 0);
const b = (v: unknown): boolean => v === true;

/** A mount entry as Go's api.MountOutput (field order, zero values, `config` as MountConfigOutput). */
export function mountOutputStruct(m: Record<string, unknown>): Map<string, unknown> {
  const c = isRecord(m.config) ? m.config : {};
  const config = new Map<string, unknown>([
    ['default_lease_ttl', n(c.default_lease_ttl)],
    ['max_lease_ttl', n(c.max_lease_ttl)],
    ['force_no_cache', b(c.force_no_cache)],
  ]);
  for (const k of ['audit_non_hmac_request_keys', 'audit_non_hmac_response_keys', 'listing_visibility', 'passthrough_request_headers', 'allowed_response_headers', 'token_type', 'allowed_managed_keys', 'plugin_name']) {
    const v = c[k];
    if (v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0)) config.set(k, v);
  }
  return new Map<string, unknown>([
    ['uuid', s(m.uuid)],
    ['type', s(m.type)],
    ['description', s(m.description)],
    ['accessor', s(m.accessor)],
    ['config', config],
    ['options', isRecord(m.options) ? m.options : null],
    ['local', b(m.local)],
    ['seal_wrap', b(m.seal_wrap)],
    ['external_entropy_access', b(m.external_entropy_access)],
    ['plugin_version', s(m.plugin_version)],
    ['running_plugin_version', s(m.running_plugin_version)],
    ['running_sha256', s(m.running_sha256)],
    ['deprecation_status', s(m.deprecation_status)],
  ]);
}

/** `ward secrets list`: GET sys/mounts. */
export const secretsListCommand: CommandSpec = {
  path: ['secrets', 'list'],
  synopsis: 'List enabled secrets engines',
  help: `Usage: ward secrets list [options]

  Lists the enabled secret engines on the Ward server. This command also
  outputs information about the enabled path including configured TTLs and
  human-friendly descriptions. A TTL of "system" indicates that the system
  default is in use.

  List all enabled secrets engines:

      $ ward secrets list

  List all enabled secrets engines with detailed output:

      $ ward secrets list -detailed`,
  flags: flagSet(
    { format: true },
    { name: 'detailed', kind: 'bool', section: 'Command Options', usage: 'Print detailed information such as TTLs and replication status about each secrets engine.' },
  ),
  async run(ctx) {
    const bad = checkArgs(ctx.args, 0);
    if (bad) {
      ctx.ui.err(bad);
      return 1;
    }
    let mounts: Record<string, Record<string, unknown>>;
    try {
      const res = await ctx.client().call('GET', 'sys/mounts');
      const body = isRecord(res.json) ? res.json : {};
      if (!isRecord(body.data)) throw new Error('data from server response is empty');
      mounts = {};
      for (const [k, v] of Object.entries(body.data)) if (isRecord(v)) mounts[k] = v;
    } catch (e) {
      ctx.ui.err(`Error listing secrets engines: ${errorText(e)}`);
      return 2;
    }
    if (ctx.out.format !== 'table') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(mounts)) out[k] = mountOutputStruct(v);
      return outputData(ctx.out, out);
    }
    const paths = Object.keys(mounts).sort(compareGoStrings);
    if (ctx.flags.bool('detailed')) {
      const calcTTL = (typ: string, ttl: number): string => (typ === 'system' || typ === 'cubbyhole' ? '' : ttl !== 0 ? String(ttl) : 'system');
      const lines = ['Path | Plugin | Accessor | Default TTL | Max TTL | Force No Cache | Replication | Seal Wrap | External Entropy Access | Options | Description | UUID'];
      for (const p of paths) {
        const m = mounts[p] ?? {};
        const c = isRecord(m.config) ? m.config : {};
        const type = s(m.type);
        const plugin = type === 'plugin' ? s(c.plugin_name) : type;
        const options = isRecord(m.options) ? m.options : {};
        lines.push(
          [p, plugin, s(m.accessor), calcTTL(type, n(c.default_lease_ttl)), calcTTL(type, n(c.max_lease_ttl)), String(b(c.force_no_cache)), b(m.local) ? 'local' : 'replicated', String(b(m.seal_wrap)), String(b(m.external_entropy_access)), goValue(options), s(m.description), s(m.uuid)].join(' | '),
        );
      }
      ctx.ui.out(tableOutput(lines));
      return 0;
    }
    const lines = ['Path | Type | Accessor | Description'];
    for (const p of paths) {
      const m = mounts[p] ?? {};
      lines.push(`${p} | ${s(m.type)} | ${s(m.accessor)} | ${s(m.description)}`);
    }
    ctx.ui.out(tableOutput(lines));
    return 0;
  },
};
