import type { Core } from '../core/core.js';
import { definePath, field, type PathSpec } from '../framework/index.js';
import { invalidRequest } from '../lib/errors.js';
import { parseGoBool } from '../lib/parse-bool.js';
import { plainJSON } from './respond.js';

function code(value: unknown, name: string, fallback: number): number {
  if (value === undefined || value === null || value === '') return fallback;
  const n = typeof value === 'number' ? value : /^\d+$/.test(String(value)) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n < 100 || n > 999) throw invalidRequest(`unable to parse ${name} parameter`);
  return n;
}

function flag(value: unknown, name: string): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'boolean') return value;
  const s = String(value);
  if (s === '') return true; // `?standbyok` with no value counts as set, as in old Vault clients
  const b = parseGoBool(s);
  if (b === undefined) throw invalidRequest(`unable to parse ${name} parameter`);
  return b;
}

/** sys/health and sys/leader (§2.1). One node, no HA: never standby. */
export function healthPaths(core: Core): PathSpec[] {
  return [
    definePath({
      pattern: 'health',
      synopsis: 'Health of the server, as an HTTP status code and a body.',
      fields: {
        standbyok: field.raw({ description: 'Answer as if active when standby.' }),
        perfstandbyok: field.raw({ description: 'Answer as if active when performance standby.' }),
        activecode: field.raw({ description: 'Status when active (200).' }),
        standbycode: field.raw({ description: 'Status when standby (429).' }),
        drsecondarycode: field.raw({ description: 'Status for a DR secondary (472).' }),
        performancestandbycode: field.raw({ description: 'Status for a performance standby (473).' }),
        sealedcode: field.raw({ description: 'Status when sealed (503).' }),
        uninitcode: field.raw({ description: 'Status when not initialised (501).' }),
      },
      operations: {
        read: async (_req, f) => {
          flag(f.standbyok, 'standbyok');
          flag(f.perfstandbyok, 'perfstandbyok');
          const active = code(f.activecode, 'activecode', 200);
          code(f.standbycode, 'standbycode', 429);
          code(f.drsecondarycode, 'drsecondarycode', 472);
          code(f.performancestandbycode, 'performancestandbycode', 473);
          const sealed = code(f.sealedcode, 'sealedcode', 503);
          const uninit = code(f.uninitcode, 'uninitcode', 501);
          const initialized = await core.initialized();
          const cluster = core.clusterInfo();
          const body: Record<string, unknown> = {
            initialized,
            sealed: core.sealed,
            standby: false,
            performance_standby: false,
            replication_performance_mode: 'disabled',
            replication_dr_mode: 'disabled',
            server_time_utc: Math.floor(core.clock.now() / 1000),
            version: core.version,
          };
          if (cluster) {
            body.cluster_name = cluster.name;
            body.cluster_id = cluster.id;
          }
          const status = !initialized ? uninit : core.sealed ? sealed : active;
          return plainJSON(body, status);
        },
      },
    }),
    definePath({
      pattern: 'leader',
      synopsis: 'High-availability status: Ward runs as a single active node.',
      fields: {},
      operations: {
        read: async () => {
          return plainJSON({
            ha_enabled: false,
            is_self: false,
            active_time: '0001-01-01T00:00:00Z',
            leader_address: '',
            leader_cluster_address: '',
            performance_standby: false,
            performance_standby_last_remote_wal: 0,
          });
        },
      },
    }),
  ];
}
