import type { Clock } from '../lib/clock.js';
import { invalidRequest, permissionDenied } from '../lib/errors.js';
import type { ExpirationManager } from '../expiration/expiration-manager.js';
import { EXPIRATION_STORAGE_PREFIX, type LeaseRecord, type MaxSource } from '../expiration/lease-record.js';
import type { Logger } from '../framework/logger.js';
import type { TokenEntry } from './token-entry.js';
import { TokenStore } from './token-store.js';

/** What a new token gets; the service fills in handle, accessor, times and its lease. */
export interface TokenSpec {
  policies: string[];
  parentHandle: string;
  path: string;
  displayName: string;
  meta: Record<string, string>;
  /** Seconds; 0 = the mount/system default (or never, for root-policy tokens without a ttl). */
  ttl: number;
  /** Seconds; role/method max TTL, 0 = mount/system. */
  maxTTL: number;
  explicitMaxTTL: number;
  period: number;
  numUses: number;
  renewable: boolean;
  type: 'service' | 'batch';
  entityId: string;
  role: string;
  boundCidrs: string[];
  authMountPath: string;
  authMountAccessor: string;
  loginInternal: Record<string, unknown>;
  aliasName: string;
  /** A chosen value (root/sudo `id`, dev root token). */
  id?: string;
  /** Tokens with the root policy and no TTL never expire (Vault's rule for root tokens). */
  allowNonExpiring: boolean;
  requestId: string;
  remoteAddress: string;
}

export interface TokenDefaults {
  /** Seconds: the token mount's default and max TTL, resolved through system defaults. */
  defaultTTL(): number;
  maxTTL(): number;
}

export interface TokenHooks {
  /** Removes the token's cubbyhole. */
  destroyCubbyhole(handle: string): Promise<void>;
}

/**
 * Token semantics over the store: TTL arithmetic, the parent/child tree, use counts, renewal, revocation. A token's
 * life is a lease in the expiration manager, so token expiry uses the same durable due-time index as secrets.
 */
export class TokenService {
  constructor(
    readonly store: TokenStore,
    private readonly expiration: ExpirationManager,
    private readonly clock: Clock,
    private readonly defaults: TokenDefaults,
    private readonly hooks: TokenHooks,
    private readonly logger: Logger,
    /** Where the expiration manager's keys live in the token store's storage (the barrier root). */
    private readonly leaseKeyPrefix = EXPIRATION_STORAGE_PREFIX,
  ) {}

  /** Creates a token and, when it expires, its life lease. Returns the token value (shown once) and the entry. */
  async create(spec: TokenSpec): Promise<{ token: string; entry: TokenEntry }> {
    if (spec.numUses < 0) throw invalidRequest('number of uses cannot be negative');
    if (spec.type === 'batch' && (spec.period > 0 || spec.numUses > 0 || spec.explicitMaxTTL > 0)) {
      throw invalidRequest('batch tokens cannot be periodic, have a use limit, or an explicit max TTL');
    }
    if (spec.period > 0 && spec.numUses > 0) throw invalidRequest('periodic tokens cannot have a use limit');
    if (spec.explicitMaxTTL > 0 && spec.ttl > spec.explicitMaxTTL) throw invalidRequest('ttl cannot be greater than explicit_max_ttl');
    const now = this.clock.now();
    const times = this.lifetime(spec, now);
    const token = spec.id ?? TokenStore.newToken(spec.type);
    const handle = await this.store.handleOf(token);
    if (spec.id !== undefined && (await this.store.byHandle(handle))) throw invalidRequest('cannot create a token with a duplicate ID');
    const entry: TokenEntry = {
      handle,
      // A generated service token is stored as one row under an accessor derived from its handle; a chosen ID gets a
      // random accessor (and two rows), so that an ID revoked and created again never gets its old accessor back.
      accessor: spec.type === 'batch' ? '' : spec.id !== undefined ? TokenStore.newAccessor() : await this.store.accessorFor(handle),
      parentHandle: spec.parentHandle,
      policies: spec.policies,
      path: spec.path,
      displayName: spec.displayName,
      meta: spec.meta,
      creationTime: now,
      creationTTL: times.ttl,
      expireTime: times.ttl > 0 ? now + times.ttl * 1000 : 0,
      maxExpireTime: times.max > 0 ? now + times.max * 1000 : 0,
      explicitMaxTTL: spec.explicitMaxTTL,
      numUses: spec.numUses,
      period: spec.period,
      renewable: spec.type === 'batch' || times.ttl === 0 ? false : spec.renewable,
      type: spec.type,
      entityId: spec.entityId,
      orphan: spec.parentHandle === '',
      role: spec.role,
      boundCidrs: spec.boundCidrs,
      lastRenewalTime: 0,
      authMountPath: spec.authMountPath,
      authMountAccessor: spec.authMountAccessor,
      loginInternal: spec.loginInternal,
      aliasName: spec.aliasName,
      leaseId: '',
    };
    if (entry.expireTime > 0) entry.leaseId = `${spec.path}/${handle}`;
    // The token and its life lease commit together: a token that nothing would expire can never exist.
    const leaseOps = entry.leaseId
      ? this.expiration.registerOps(this.leaseFor(entry, spec, times.maxSource)).map((o) => ({ ...o, key: this.leaseKeyPrefix + o.key }))
      : [];
    await this.store.create(entry, leaseOps);
    return { token, entry };
  }

  private leaseFor(entry: TokenEntry, spec: Pick<TokenSpec, 'requestId' | 'remoteAddress'>, maxSource: MaxSource): LeaseRecord {
    return {
      id: entry.leaseId,
      kind: 'auth',
      path: entry.path,
      mountUuid: 'auth-token',
      mountPath: 'auth/token/',
      secretType: '',
      internal: {},
      tokenHandle: entry.handle,
      tokenAccessor: entry.accessor,
      entityId: entry.entityId,
      requestId: spec.requestId,
      remoteAddress: spec.remoteAddress,
      issueTime: entry.creationTime,
      expireTime: entry.expireTime,
      maxExpireTime: entry.maxExpireTime || entry.expireTime,
      maxSource,
      lastRenewalTime: 0,
      renewable: entry.renewable,
      state: 'active',
      attempts: 0,
      nextAttempt: 0,
      lastError: '',
    };
  }

  /** TTL and hard end of a new token, in seconds. */
  private lifetime(spec: TokenSpec, _now: number): { ttl: number; max: number; maxSource: MaxSource } {
    const systemMax = this.defaults.maxTTL();
    if (spec.period > 0) {
      const ttl = spec.explicitMaxTTL > 0 ? Math.min(spec.period, spec.explicitMaxTTL) : spec.period;
      return { ttl, max: spec.explicitMaxTTL, maxSource: 'explicit' };
    }
    if (spec.ttl === 0 && spec.allowNonExpiring && spec.policies.includes('root') && spec.explicitMaxTTL === 0) {
      return { ttl: 0, max: 0, maxSource: 'system' };
    }
    let max = systemMax;
    let maxSource: MaxSource = 'mount';
    if (spec.maxTTL > 0 && spec.maxTTL < max) {
      max = spec.maxTTL;
      maxSource = 'role';
    }
    if (spec.explicitMaxTTL > 0 && spec.explicitMaxTTL < max) {
      max = spec.explicitMaxTTL;
      maxSource = 'explicit';
    }
    const wanted = spec.ttl > 0 ? spec.ttl : this.defaults.defaultTTL();
    return { ttl: Math.min(wanted, max), max, maxSource };
  }

  /**
   * Resolves a presented token for a request: unknown → null; expired → revoked now, then null (its record must not
   * outlive it, whatever the worker's pace).
   */
  async resolve(token: string): Promise<Readonly<TokenEntry> | null> {
    return this.live(await this.store.lookup(token));
  }

  /** The entry if it has not expired; an expired one is revoked on the spot and reads as absent. */
  async live(entry: Readonly<TokenEntry> | null): Promise<Readonly<TokenEntry> | null> {
    if (!entry) return null;
    if (entry.expireTime > 0 && entry.expireTime <= this.clock.now()) {
      await this.revokeTree(entry.handle);
      return null;
    }
    return entry;
  }

  /**
   * Spends one use of a use-limited token. Returns true when this was its last use: the caller revokes it once the
   * request is answered, as Vault does.
   */
  async use(entry: Readonly<TokenEntry>): Promise<boolean> {
    if (entry.numUses <= 0) return false;
    const left = entry.numUses - 1;
    if (left === 0) return true;
    await this.store.save({ ...structuredClone(entry as TokenEntry), numUses: left });
    return false;
  }

  /**
   * Renews a token by `increment` seconds (0 = its own TTL), capped by its hard end; a periodic token's TTL resets to
   * its period. `limits` are the current values from the auth method that issued it, if any.
   */
  async renew(entry: Readonly<TokenEntry>, increment: number, limits?: { ttl: number; maxTTL: number; period: number }): Promise<TokenEntry> {
    if (entry.type === 'batch') throw invalidRequest('batch tokens cannot be renewed');
    if (entry.expireTime === 0) throw invalidRequest('lease is not renewable');
    if (!entry.renewable) throw invalidRequest('lease is not renewable');
    const now = this.clock.now();
    const period = limits?.period ?? entry.period;
    let ttl: number;
    if (period > 0) ttl = period;
    else ttl = increment > 0 ? increment : limits?.ttl || entry.creationTTL;
    let end = now + ttl * 1000;
    let hard = entry.maxExpireTime;
    if (period === 0 && limits && limits.maxTTL > 0) hard = hard > 0 ? Math.min(hard, entry.creationTime + limits.maxTTL * 1000) : entry.creationTime + limits.maxTTL * 1000;
    if (hard > 0) end = Math.min(end, hard);
    if (end <= now) throw permissionDenied('token has reached its maximum lifetime');
    const next: TokenEntry = { ...structuredClone(entry as TokenEntry), expireTime: end, lastRenewalTime: now, period };
    await this.store.save(next);
    if (next.leaseId) {
      const rec = await this.expiration.get(next.leaseId);
      if (rec) await this.expiration.update(rec, { ...rec, expireTime: end, lastRenewalTime: now });
    }
    return next;
  }

  /**
   * Revokes a token, every descendant, and every lease any of them issued. Children go first, depth-first, so a
   * crash half-way leaves a smaller tree that is still rooted and can be revoked again.
   */
  async revokeTree(handle: string): Promise<void> {
    for (const child of await this.store.children(handle)) await this.revokeTree(child);
    const entry = await this.store.byHandle(handle);
    await this.expiration.revokeByToken(handle);
    if (!entry) return;
    await this.hooks.destroyCubbyhole(handle);
    if (entry.leaseId) await this.expiration.forget(entry.leaseId);
    await this.store.remove(entry);
    this.logger.debug({ accessor: entry.accessor }, 'token revoked');
  }

  /** Revokes a token and its leases but not its children, which become orphans (revoke-orphan). */
  async revokeOrphan(handle: string): Promise<void> {
    for (const child of await this.store.children(handle)) {
      const c = await this.store.byHandle(child);
      if (c) await this.store.save({ ...structuredClone(c as TokenEntry), parentHandle: '', orphan: true });
      await this.store.dropChildIndex(handle, child);
    }
    await this.revokeTree(handle);
  }
}
