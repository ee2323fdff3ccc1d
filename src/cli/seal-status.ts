import type { Client } from './client.js';
import { ResponseError } from './client.js';
import { errorText } from './command.js';
import { tableOutput } from './format/columnize.js';
import type { OutputContext } from './format/output.js';
import { outputData } from './format/output.js';
import { isRecord } from './secret.js';

/**
 * Vault's OutputSealStatus (command/format.go): the seal status joined with `sys/leader`, printed as the
 * `Seal Type / Initialized / Sealed / ...` table or as the SealStatusOutput struct in JSON/YAML.
 */

const s = (v: unknown): string => (typeof v === 'string' ? v : '');
const n = (v: unknown): number => (typeof v === 'number' ? v : 0);
const b = (v: unknown): boolean => v === true;

/** GET sys/seal-status (unauthenticated), as a plain object. */
export async function fetchSealStatus(client: Client): Promise<Record<string, unknown>> {
  const res = await client.call('GET', 'sys/seal-status', { wrap: false });
  return isRecord(res.json) ? res.json : {};
}

/** Prints a seal status (from sys/seal-status or sys/unseal); returns the exit code (1 when sys/leader fails). */
export async function outputSealStatus(ctx: OutputContext, client: Client, status: Record<string, unknown>): Promise<number> {
  let leader: Record<string, unknown>;
  try {
    const res = await client.call('GET', 'sys/leader', { wrap: false });
    leader = isRecord(res.json) ? res.json : {};
  } catch (e) {
    // Vault masks "sealed" here: HA is then assumed enabled but its details are unknown.
    if (e instanceof ResponseError && errorText(e).includes('Vault is sealed')) leader = { ha_enabled: true };
    else {
      ctx.ui.err(`Error checking leader status: ${errorText(e)}`);
      return 1;
    }
  }
  if (ctx.format === 'table') {
    ctx.ui.out(sealStatusTable(status, leader));
    return 0;
  }
  return outputData(ctx, sealStatusStruct(status, leader));
}

/** The SealStatusOutput struct (api.SealStatusResponse + leader fields) in Go field order. */
export function sealStatusStruct(st: Record<string, unknown>, leader: Record<string, unknown>): Map<string, unknown> {
  const m = new Map<string, unknown>([
    ['type', s(st.type)],
    ['initialized', b(st.initialized)],
    ['sealed', b(st.sealed)],
    ['t', n(st.t)],
    ['n', n(st.n)],
    ['progress', n(st.progress)],
    ['nonce', s(st.nonce)],
    ['version', s(st.version)],
    ['build_date', s(st.build_date)],
    ['migration', b(st.migration)],
  ]);
  const omitEmpty = (k: string, v: unknown): void => {
    if (v !== '' && v !== false && v !== 0 && v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0)) m.set(k, v);
  };
  omitEmpty('cluster_name', s(st.cluster_name));
  omitEmpty('cluster_id', s(st.cluster_id));
  m.set('recovery_seal', b(st.recovery_seal));
  omitEmpty('recovery_seal_type', s(st.recovery_seal_type));
  omitEmpty('storage_type', s(st.storage_type));
  omitEmpty('warnings', Array.isArray(st.warnings) ? st.warnings : undefined);
  m.set('ha_enabled', b(leader.ha_enabled));
  omitEmpty('is_self', b(leader.is_self));
  m.set('active_time', s(leader.active_time) || '0001-01-01T00:00:00Z');
  omitEmpty('leader_address', s(leader.leader_address));
  omitEmpty('leader_cluster_address', s(leader.leader_cluster_address));
  omitEmpty('performance_standby', b(leader.performance_standby));
  omitEmpty('performance_standby_last_remote_wal', n(leader.performance_standby_last_remote_wal));
  omitEmpty('raft_committed_index', n(leader.raft_committed_index));
  omitEmpty('raft_applied_index', n(leader.raft_applied_index));
  return m;
}

/** Vault's TableFormatter.OutputSealStatusStruct. */
export function sealStatusTable(st: Record<string, unknown>, leader: Record<string, unknown>): string {
  const prefix = b(st.recovery_seal) ? 'Recovery ' : '';
  const sealed = b(st.sealed);
  const out = ['Key | Value', `${prefix}Seal Type | ${s(st.type)}`, `Initialized | ${b(st.initialized)}`, `Sealed | ${sealed}`, `Total ${prefix}Shares | ${n(st.n)}`, `Threshold | ${n(st.t)}`];
  if (sealed) {
    out.push(`Unseal Progress | ${n(st.progress)}/${n(st.t)}`);
    out.push(`Unseal Nonce | ${s(st.nonce)}`);
  }
  if (b(st.migration)) out.push('Seal Migration in Progress | true');
  out.push(`Version | ${s(st.version)}`);
  out.push(`Build Date | ${s(st.build_date)}`);
  out.push(`Storage Type | ${s(st.storage_type)}`);
  if (s(st.cluster_name) !== '' && s(st.cluster_id) !== '') {
    out.push(`Cluster Name | ${s(st.cluster_name)}`);
    out.push(`Cluster ID | ${s(st.cluster_id)}`);
  }
  const ha = b(leader.ha_enabled);
  out.push(`HA Enabled | ${ha}`);
  if (ha && !sealed) {
    out.push(`HA Cluster | ${s(leader.leader_cluster_address)}`);
    const self = b(leader.is_self);
    out.push(`HA Mode | ${self ? 'active' : 'standby'}`);
    if (self && s(leader.active_time) !== '' && !s(leader.active_time).startsWith('0001-01-01')) out.push(`Active Since | ${s(leader.active_time)}`);
    if (!self) out.push(`Active Node Address | ${s(leader.leader_address) || '<none>'}`);
    if (b(leader.performance_standby)) {
      out.push('Performance Standby Node | true');
      out.push(`Performance Standby Last Remote WAL | ${n(leader.performance_standby_last_remote_wal)}`);
    }
  }
  if (n(leader.raft_committed_index) > 0) out.push(`Raft Committed Index | ${n(leader.raft_committed_index)}`);
  if (n(leader.raft_applied_index) > 0) out.push(`Raft Applied Index | ${n(leader.raft_applied_index)}`);
  if (n(leader.last_wal) !== 0) out.push(`Last WAL | ${n(leader.last_wal)}`);
  if (Array.isArray(st.warnings) && st.warnings.length > 0) out.push(`Warnings | [${st.warnings.join(' ')}]`);
  return tableOutput(out, { delim: '|' });
}
