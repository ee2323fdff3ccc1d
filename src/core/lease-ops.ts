import { rfc3339Nano } from '../lib/clock.js';
import { WardError, invalidRequest } from '../lib/errors.js';
import { leaseSuffix } from '../expiration/expiration-manager.js';
import { EXPIRATION_STORAGE_PREFIX, type LeaseRecord, type MaxSource } from '../expiration/lease-record.js';
import { leaseTTL } from '../expiration/ttl.js';
import type { LeaseView, SecretSpec } from '../framework/secret.js';
import type { EngineRequest, OpenCreation } from '../framework/types.js';
import { mountStoragePrefix } from '../router/mount-entry.js';
import type { MountedEngine } from '../router/router.js';
import type { TokenEntry } from '../tokens/token-entry.js';
import { type Core, lazyChildLogger } from './core.js';
import type { CoreResponse } from './request.js';

/** The engine request a lease hook runs in: the lease's mount, wherever it is now, with no caller. */
function hookRequest(core: Core, mount: MountedEngine, rec: LeaseRecord): EngineRequest {
  return {
    id: rec.requestId,
    operation: 'delete',
    path: rec.path.slice(mount.fullPath.length),
    data: {},
    storage: mount.storage,
    mount: { path: mount.fullPath, type: mount.entry.type, uuid: mount.entry.uuid, accessor: mount.entry.accessor, options: mount.entry.options },
    system: core.mounts.systemView(mount.entry),
    auth: null,
    remoteAddress: rec.remoteAddress,
    logger: lazyChildLogger(core.logger, { lease_id: rec.id, mount: mount.fullPath }),
  };
}

function secretSpec(mount: MountedEngine, type: string): SecretSpec {
  const spec = mount.engine.secrets?.find((s) => s.type === type);
  if (!spec) throw new WardError('internal', `secret type "${type}" is not declared by the ${mount.entry.type} engine at ${mount.fullPath}`);
  return spec;
}

/** Tells an open creation that its lease was not recorded, and waits until the engine has abandoned it. */
async function abandon(creation: OpenCreation | undefined, err: unknown): Promise<void> {
  if (!creation) return;
  creation.leaseRecorded(err instanceof Error ? err : new Error(String(err)));
  await creation.created.catch(() => undefined);
}

/**
 * The core's side of leases: registering what engines return (lease written before the credential leaves, revoked
 * at once if that fails), and running engine hooks for revocation and renewal.
 */
export class LeaseOps {
  constructor(private readonly core: Core) {}

  /**
   * Registers a leased secret; returns the response with lease_id, renewable and lease_duration (and the timeline).
   * A credential whose creation is still open (`secret.creation`) is made visible only once its lease is durable, and
   * its lease is revoked at once if the creation then fails.
   */
  async registerSecret(mount: MountedEngine, req: EngineRequest, path: string, caller: { entry: Readonly<TokenEntry> } | null, resp: CoreResponse): Promise<CoreResponse> {
    const secret = resp.secret;
    if (!secret) return resp;
    const core = this.core;
    const creation = secret.creation;
    let spec: SecretSpec;
    let rec: LeaseRecord;
    try {
      spec = secretSpec(mount, secret.type);
      rec = this.leaseRecord(mount, req, path, caller, secret, spec);
    } catch (err) {
      await abandon(creation, err);
      throw err;
    }
    const lease: LeaseView<unknown> = { leaseId: rec.id, internal: rec.internal, issueTime: rec.issueTime, expireTime: rec.expireTime, increment: 0 };
    try {
      // The lease and the engine's bookkeeping for it (e.g. its pending-creation record dropped) in one commit.
      const enginePrefix = mountStoragePrefix(mount.table, mount.entry.uuid);
      await core.barrier.batch([
        ...core.expiration.registerOps(rec).map((op) => ({ ...op, key: EXPIRATION_STORAGE_PREFIX + op.key })),
        ...(spec.recordedWrites?.(lease) ?? []).map((op) => ({ ...op, key: enginePrefix + op.key })),
      ]);
    } catch (err) {
      if (creation) {
        await abandon(creation, err);
        core.logger.error({ request_id: req.id, err: (err as Error).message }, 'lease could not be recorded; the credential was not created');
        throw new WardError('internal', 'failed to record the lease; the credential was not created');
      }
      // Never hand out a credential nothing would revoke: undo it now, and fail the request.
      core.logger.error({ request_id: req.id, err: (err as Error).message }, 'lease could not be recorded; revoking the credential');
      await spec.revoke(hookRequest(core, mount, rec), lease).catch((e: unknown) => {
        core.logger.error({ request_id: req.id, err: (e as Error).message }, 'revoking an unrecorded credential failed');
      });
      throw new WardError('internal', 'failed to record the lease; the credential was revoked');
    }
    if (creation) {
      creation.leaseRecorded(null);
      try {
        await creation.created;
      } catch (err) {
        // The lease stands for whatever the failed creation may have left: revoke it now; if the target cannot be
        // reached, the lease stays (retrying, visible in lookups) until it can.
        await core.expiration.revoke(rec.id).catch((e: unknown) => {
          core.logger.warn({ request_id: req.id, lease_id: rec.id, err: (e as Error).message }, 'revoking the lease of a failed creation failed; will retry');
        });
        throw err;
      }
    }
    const { secret: _s, ...rest } = resp;
    return {
      ...rest,
      leaseId: rec.id,
      renewable: rec.renewable,
      leaseDuration: Math.round((rec.expireTime - rec.issueTime) / 1000),
      data: { ...(resp.data ?? {}) },
      leaseTimeline: timeline(rec),
    };
  }

  /** The record of a new secret lease: TTL arithmetic (spec §1.6), capped by the caller's token. */
  private leaseRecord(mount: MountedEngine, req: EngineRequest, path: string, caller: { entry: Readonly<TokenEntry> } | null, secret: NonNullable<CoreResponse['secret']>, spec: SecretSpec): LeaseRecord {
    const core = this.core;
    const internal = spec.internal.parse(secret.internal) as Record<string, unknown>;
    const now = core.clock.now();
    const t = leaseTTL({
      requested: secret.ttl,
      roleMax: secret.maxTTL,
      mountDefault: mount.entry.config.defaultLeaseTTL,
      mountMax: mount.entry.config.maxLeaseTTL,
      systemDefault: core.defaultLeaseTTL,
      systemMax: core.maxLeaseTTL,
    });
    let maxExpire = now + t.max * 1000;
    let maxSource: MaxSource = t.maxSource;
    // A lease dies with its token: it cannot outlive the token's hard end.
    const tokenEnd = caller ? caller.entry.maxExpireTime || (caller.entry.period > 0 ? 0 : caller.entry.expireTime) : 0;
    if (tokenEnd > 0 && tokenEnd < maxExpire) {
      maxExpire = tokenEnd;
      maxSource = 'token';
    }
    const expire = Math.min(now + t.ttl * 1000, maxExpire);
    return {
      id: `${path}/${leaseSuffix()}`,
      kind: 'secret',
      path,
      mountUuid: mount.entry.uuid,
      mountPath: mount.fullPath,
      secretType: secret.type,
      internal,
      tokenHandle: caller?.entry.handle ?? '',
      tokenAccessor: caller?.entry.accessor ?? '',
      entityId: caller?.entry.entityId ?? '',
      requestId: req.id,
      remoteAddress: req.remoteAddress,
      issueTime: now,
      expireTime: expire,
      maxExpireTime: maxExpire,
      maxSource,
      lastRenewalTime: 0,
      renewable: secret.renewable && spec.renew !== undefined,
      state: 'active',
      attempts: 0,
      nextAttempt: 0,
      lastError: '',
    };
  }

  /** ExpirationManager target: revoke the credential (or token) behind a lease. */
  async revokeAtTarget(rec: LeaseRecord): Promise<void> {
    const core = this.core;
    if (rec.kind === 'auth') {
      await core.tokens.revokeTree(rec.tokenHandle);
      return;
    }
    const mount = core.mounts.byUuid(rec.mountUuid);
    if (!mount) throw new Error(`the mount that issued this lease (${rec.mountPath}) is not available`);
    const spec = secretSpec(mount, rec.secretType);
    const internal = spec.internal.parse(rec.internal);
    await spec.revoke(hookRequest(core, mount, rec), { leaseId: rec.id, internal, issueTime: rec.issueTime, expireTime: rec.expireTime, increment: 0 });
  }

  /** Renews a secret lease by `increment` seconds (0 = its original TTL), within its hard end. */
  async renew(id: string, increment: number): Promise<LeaseRecord> {
    const core = this.core;
    const rec = await core.expiration.get(id);
    if (!rec) throw invalidRequest('lease not found');
    if (rec.kind === 'auth') throw invalidRequest('tokens cannot be renewed through this endpoint');
    if (!rec.renewable) throw invalidRequest('lease is not renewable');
    if (rec.state !== 'active') throw invalidRequest(`lease is being revoked (${rec.state})`);
    const mount = core.mounts.byUuid(rec.mountUuid);
    if (!mount) throw invalidRequest('the mount that issued this lease is not available');
    const spec = secretSpec(mount, rec.secretType);
    const now = core.clock.now();
    const original = Math.max(1, Math.round((rec.expireTime - (rec.lastRenewalTime || rec.issueTime)) / 1000));
    let expire = Math.min(now + (increment > 0 ? increment : original) * 1000, rec.maxExpireTime);
    if (expire <= now) throw invalidRequest('lease has reached its maximum TTL and cannot be renewed');
    const internal = spec.internal.parse(rec.internal);
    const answer = await spec.renew?.(hookRequest(core, mount, rec), { leaseId: rec.id, internal, issueTime: rec.issueTime, expireTime: expire, increment });
    if (answer && answer.ttl) expire = Math.min(now + answer.ttl * 1000, rec.maxExpireTime);
    const next: LeaseRecord = { ...rec, expireTime: expire, lastRenewalTime: now };
    await core.expiration.update(rec, next);
    return next;
  }
}

/** Ward's addition to leased responses and lookups: when the lease hard-ends and which limit set that. */
export function timeline(rec: LeaseRecord): { expire_time: string; max_expire_time: string; max_ttl_source: MaxSource } {
  return { expire_time: rfc3339Nano(rec.expireTime), max_expire_time: rfc3339Nano(rec.maxExpireTime), max_ttl_source: rec.maxSource };
}
