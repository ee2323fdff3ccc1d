import type { Core } from '../core/core.js';
import { timeline } from '../core/lease-ops.js';
import type { LeaseRecord } from '../expiration/lease-record.js';
import { definePath, field, type EngineRequest, type EngineResponse, type PathSpec } from '../framework/index.js';
import { abandonedLeaseInput } from '../audit/index.js';
import { rfc3339Nano } from '../lib/clock.js';
import { invalidRequest } from '../lib/errors.js';

/** Increments beyond this are refused as absurd (the system max is 768h; ten years is plainly a mistake). */
const MAX_INCREMENT = 10 * 365 * 86400;

function checkLeaseId(id: string | undefined, what = 'lease_id'): string {
  const v = (id ?? '').trim().replace(/^\/+/, '');
  if (v === '') throw invalidRequest(`${what} must be specified`);
  if (v.split('/').some((s) => s === '..' || s === '.') || v.includes('//')) throw invalidRequest(`invalid ${what} "${v}"`);
  return v;
}

/** Vault's lookup body (§2.5) plus Ward's revocation status and lease timeline. */
function lookupData(core: Core, rec: LeaseRecord): Record<string, unknown> {
  const now = core.clock.now();
  return {
    id: rec.id,
    issue_time: rfc3339Nano(rec.issueTime),
    last_renewal: rec.lastRenewalTime > 0 ? rfc3339Nano(rec.lastRenewalTime) : null,
    renewable: rec.renewable,
    ttl: Math.max(0, Math.round((rec.expireTime - now) / 1000)),
    ...timeline(rec),
    state: rec.state,
    attempts: rec.attempts,
    next_attempt: rec.state === 'retrying' ? rfc3339Nano(rec.nextAttempt) : null,
    last_error: rec.lastError || null,
  };
}

/** sys/leases/* and the legacy sys/renew, sys/revoke, sys/revoke-prefix, sys/revoke-force (§2.5). */
export function leasePaths(core: Core): PathSpec[] {
  const renew = async (id: string | undefined, increment: number): Promise<EngineResponse> => {
    const leaseId = checkLeaseId(id);
    if (increment > MAX_INCREMENT) throw invalidRequest(`increment ${increment}s is larger than any lease may live`);
    const rec = await core.leases.renew(leaseId, increment);
    return { leaseId: rec.id, renewable: rec.renewable, leaseDuration: Math.max(0, Math.round((rec.expireTime - core.clock.now()) / 1000)), data: null, leaseTimeline: timeline(rec) } as EngineResponse;
  };
  const revoke = async (id: string | undefined, sync: boolean): Promise<null> => {
    const leaseId = checkLeaseId(id);
    if (sync) await core.expiration.revoke(leaseId);
    else void core.expiration.revoke(leaseId).catch(() => undefined); // failures are kept as retrying leases
    return null;
  };
  const revokePrefix = async (req: EngineRequest, prefix: string | undefined, force: boolean): Promise<EngineResponse | null> => {
    const p = checkLeaseId(prefix, 'prefix');
    const result = await core.expiration.revokePrefix(p, force);
    for (const rec of result.forced) {
      core.logger.warn({ lease_id: rec.id, mount: rec.mountPath, secret_type: rec.secretType, last_error: rec.lastError }, 'revoke-force: lease removed without revoking its credential');
      // The operator's act and the credential it abandons go to the audit log, one entry per lease.
      await core.audit.logResponse(abandonedLeaseInput({
        id: req.id,
        path: `sys/${req.path}`,
        remoteAddress: req.remoteAddress,
        ...(req.auth ? { auth: { clientToken: '', accessor: req.auth.accessor, displayName: req.auth.displayName, policies: req.auth.policies, tokenPolicies: req.auth.policies, identityPolicies: [], metadata: req.auth.metadata, entityId: req.auth.entityId, tokenType: 'service' } } : {}),
      }, rec));
    }
    if (result.failed > 0) throw invalidRequest(`${result.failed} lease(s) under ${p} could not be revoked now; Ward keeps retrying them (see sys/leases/lookup)`);
    return null;
  };
  const idFields = { url_lease_id: field.string(), lease_id: field.string(), increment: field.duration({ default: 0 }), sync: field.bool({ default: true }) };
  const paths: PathSpec[] = [
    definePath({
      pattern: 'leases/lookup',
      synopsis: 'Looks up a lease: its times, and (Ward) its revocation state and hard end.',
      fields: { lease_id: field.string() },
      operations: {
        update: async (_req, f) => {
          const rec = await core.expiration.get(checkLeaseId(f.lease_id));
          if (!rec) throw invalidRequest('invalid lease');
          return { data: lookupData(core, rec) };
        },
      },
    }),
    definePath({
      pattern: 'leases/lookup/(?<prefix>.*)',
      synopsis: 'Lists lease ids under a prefix, with their state.',
      fields: { prefix: field.string({ default: '' }) },
      operations: {
        list: async (_req, f) => {
          if (f.prefix.split('/').some((s) => s === '..' || s === '.')) throw invalidRequest('invalid prefix');
          const keys = await core.expiration.list(f.prefix);
          const key_info: Record<string, unknown> = {};
          for (const k of keys) {
            if (k.endsWith('/')) continue;
            const rec = await core.expiration.get(f.prefix + k);
            if (rec) key_info[k] = { state: rec.state, attempts: rec.attempts, expire_time: rfc3339Nano(rec.expireTime), next_attempt: rec.state === 'retrying' ? rfc3339Nano(rec.nextAttempt) : null, last_error: rec.lastError || null };
          }
          return { data: { keys, key_info } };
        },
      },
    }),
    definePath({
      pattern: 'leases/count',
      synopsis: 'Counts leases (optionally under a prefix).',
      fields: { type: field.string(), include_child_namespaces: field.bool(), prefix: field.string({ default: '' }) },
      operations: { read: async (_req, f) => ({ data: { lease_count: await core.expiration.count(f.prefix), counts: null } }) },
    }),
    definePath({
      pattern: 'leases/tidy',
      synopsis: 'Removes index entries left behind by crashes. The worker also does this as it goes.',
      fields: {},
      operations: { update: async () => (await core.expiration.tidy(), null) },
    }),
  ];
  for (const base of ['leases/renew', 'renew']) {
    paths.push(definePath({
      pattern: `${base}(?:/(?<url_lease_id>.+))?`,
      synopsis: 'Renews a lease.',
      fields: idFields,
      operations: { update: async (_req, f) => renew(f.lease_id || f.url_lease_id, f.increment) },
    }));
  }
  for (const base of ['leases/revoke', 'revoke']) {
    paths.push(definePath({
      pattern: `${base}(?:/(?<url_lease_id>.+))?`,
      synopsis: 'Revokes a lease (sync by default).',
      fields: idFields,
      operations: { update: async (_req, f) => revoke(f.lease_id || f.url_lease_id, f.sync) },
    }));
  }
  for (const [base, force] of [['leases/revoke-prefix', false], ['revoke-prefix', false], ['leases/revoke-force', true], ['revoke-force', true]] as const) {
    paths.push(definePath({
      pattern: `${base}/(?<prefix>.+)`,
      synopsis: force ? 'Removes every lease under a prefix, revoking what it can and abandoning the rest (audited).' : 'Revokes every lease under a prefix, tokens included.',
      fields: { prefix: field.string(), sync: field.bool({ default: true }) },
      operations: { update: async (req, f) => revokePrefix(req, f.prefix, force) },
    }));
  }
  return paths;
}
