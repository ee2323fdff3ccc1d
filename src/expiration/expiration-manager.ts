import { randomBytes } from 'node:crypto';
import type { Logger } from '../framework/logger.js';
import type { BatchOp, Storage } from '../framework/storage.js';
import { getJSON } from '../framework/storage.js';
import type { Clock } from '../lib/clock.js';
import { WardError, invalidRequest } from '../lib/errors.js';
import { type LeaseRecord, dueEnd, dueKey, dueTime, idFromDueKey, leaseKey, tokenIndexKey } from './lease-record.js';
import { retryDelay } from './ttl.js';

/** What the core does to revoke or renew a lease at its target (engine hook, or token revocation). */
export interface LeaseTargets {
  /** Destroys the credential (or the token) behind the lease. Idempotent; throws to ask for a retry. */
  revoke(rec: LeaseRecord): Promise<void>;
}

export interface ExpirationOptions {
  /** The barrier view under `expire/`. */
  storage: Storage;
  clock: Clock;
  logger: Logger;
  targets: LeaseTargets;
  /** Revocations in flight per mount (fair pacing: one busy target cannot starve others or request serving). */
  perMountConcurrency?: number;
  /** Due leases read per page. */
  pageSize?: number;
  /** First retry delay, ms (doubles per failure). */
  retryBaseMs?: number;
  /** Longest retry delay, ms (1 h by default). */
  retryCapMs?: number;
  /** How often the worker looks for due leases, ms. */
  pollMs?: number;
  /** Scrubs secret values out of an error before it is stored or logged. */
  scrub?: (message: string) => string;
}

const enc = (v: unknown): Buffer => Buffer.from(JSON.stringify(v));
/** How long revoked leases wait to share one removal commit, and the most that share one. */
const REMOVAL_GROUP_MS = 5;
/** The worker starts revocations for this long, then leaves the event loop to requests for as long (see `pace`). */
const WORKER_SLICE_MS = 5;
const REMOVAL_GROUP_MAX = 256;
const EMPTY = Buffer.alloc(0);

/** Random suffix of lease ids: 24 base62-ish characters from a CSPRNG. */
export function leaseSuffix(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * Owns every lease (DESIGN.md, Leases). Expiry is driven by a time-ordered index in storage, read page by page: no
 * lease is held in memory except those being revoked, so start-up and unseal cost nothing per lease. A failed
 * revocation is retried with capped exponential backoff and jitter, forever, and stays visible (state, attempts,
 * next attempt, last error) until it succeeds or an operator forces it.
 */
export class ExpirationManager {
  private readonly storage: Storage;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly targets: LeaseTargets;
  private readonly perMount: number;
  private readonly pageSize: number;
  private readonly retryBaseMs: number;
  private readonly retryCapMs: number;
  private readonly pollMs: number;
  private readonly scrub: (m: string) => string;
  /** Leases being revoked by the worker, by id. */
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Leases revoked at the target whose records are being removed in the background (see `attempt`). */
  private readonly removing = new Set<string>();
  private readonly removals = new Set<Promise<void>>();
  private readonly activePerMount = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<number> | null = null;
  private stopped = true;

  constructor(o: ExpirationOptions) {
    this.storage = o.storage;
    this.clock = o.clock;
    this.logger = o.logger;
    this.targets = o.targets;
    this.perMount = o.perMountConcurrency ?? 8;
    this.pageSize = o.pageSize ?? 256;
    this.retryBaseMs = o.retryBaseMs ?? 1000;
    this.retryCapMs = o.retryCapMs ?? 3_600_000;
    this.pollMs = o.pollMs ?? 1000;
    this.scrub = o.scrub ?? ((m) => m);
  }

  /** Starts the background worker (after unseal). Reads nothing up front. */
  start(): void {
    this.stopped = false;
    const loop = () => {
      if (this.stopped) return;
      void this.tick()
        .catch((err: unknown) => this.logger.error({ err: this.scrub(String(err)) }, 'expiration tick failed'))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(loop, this.pollMs).unref();
        });
    };
    this.timer = setTimeout(loop, this.pollMs).unref();
  }

  /** Stops the worker and waits for revocations in flight (seal). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.ticking?.catch(() => 0);
    await Promise.allSettled([...this.inFlight.values()]);
    await Promise.allSettled([...this.removals]);
  }

  // ---- records -------------------------------------------------------------------------------------------------

  async get(id: string): Promise<LeaseRecord | null> {
    if (this.removing.has(id)) return null; // revoked; its record's removal is still committing
    return getJSON<LeaseRecord>(this.storage, leaseKey(id));
  }

  /**
   * Persists a new lease with its index entries in one atomic batch. Called before the credential is returned: if
   * this throws, the caller must revoke the credential.
   */
  async register(rec: LeaseRecord): Promise<void> {
    await this.storage.batch(this.registerOps(rec));
  }

  /**
   * The writes that register `rec`, with keys relative to this manager's storage, for a caller that must commit
   * them together with its own (a token and its life lease in one commit).
   */
  registerOps(rec: LeaseRecord): BatchOp[] {
    const ops: BatchOp[] = [
      { op: 'put', key: leaseKey(rec.id), value: enc(rec) },
      { op: 'put', key: dueKey(dueTime(rec), rec.id), value: EMPTY },
    ];
    // An auth lease is the life of the token it names, and `revokeByToken` skips it (the token store removes it with
    // the token): a by-token entry for it would be written by every login and never used. Removal still deletes the
    // key, so entries written before this change go away with their lease.
    if (rec.kind !== 'auth') ops.push({ op: 'put', key: tokenIndexKey(rec.tokenHandle, rec.id), value: EMPTY });
    return ops;
  }

  /** Rewrites a record, moving its due-index entry when its due time changed. */
  async update(before: LeaseRecord, after: LeaseRecord): Promise<void> {
    const ops: Parameters<Storage['batch']>[0] = [{ op: 'put', key: leaseKey(after.id), value: enc(after) }];
    const oldDue = dueKey(dueTime(before), before.id);
    const newDue = dueKey(dueTime(after), after.id);
    if (oldDue !== newDue) ops.push({ op: 'delete', key: oldDue }, { op: 'put', key: newDue, value: EMPTY });
    await this.storage.batch(ops);
  }

  private removeOps(rec: LeaseRecord): BatchOp[] {
    return [
      { op: 'delete', key: leaseKey(rec.id) },
      { op: 'delete', key: dueKey(dueTime(rec), rec.id) },
      { op: 'delete', key: tokenIndexKey(rec.tokenHandle, rec.id) },
    ];
  }

  private async remove(rec: LeaseRecord): Promise<void> {
    await this.storage.batch(this.removeOps(rec));
  }

  private pendingRemovals: { ops: BatchOp[]; waiters: Array<{ resolve: () => void; reject: (err: unknown) => void }> } | null = null;

  /**
   * Removes a revoked lease's records, grouped with the other removals of the same turn of the event loop into one
   * durable commit: a mass expiry costs one commit per group, not per lease. Resolves once the commit is done.
   */
  private removeGrouped(rec: LeaseRecord): Promise<void> {
    if (!this.pendingRemovals) {
      this.pendingRemovals = { ops: [], waiters: [] };
      // A few milliseconds let removals from many event-loop turns share one commit; requests run in between.
      setTimeout(() => void this.flushRemovals(), REMOVAL_GROUP_MS);
    }
    const group = this.pendingRemovals;
    group.ops.push(...this.removeOps(rec));
    const done = new Promise<void>((resolve, reject) => group.waiters.push({ resolve, reject }));
    if (group.waiters.length >= REMOVAL_GROUP_MAX) void this.flushRemovals();
    return done;
  }

  private async flushRemovals(): Promise<void> {
    const group = this.pendingRemovals;
    this.pendingRemovals = null;
    if (!group) return;
    try {
      await this.storage.batch(group.ops);
      for (const w of group.waiters) w.resolve();
    } catch (err) {
      for (const w of group.waiters) w.reject(err);
    }
  }

  // ---- revocation ----------------------------------------------------------------------------------------------

  /**
   * Revokes one lease now (user request). An absent lease is success (already revoked). On failure the lease is
   * put into `retrying` (it is never forgotten) and the error is rethrown for the caller to report.
   */
  async revoke(id: string): Promise<void> {
    const running = this.inFlight.get(id);
    if (running) return running;
    const rec = await this.get(id);
    if (!rec) return;
    await this.attempt(rec, true);
  }

  /**
   * Removes a lease without revoking its credential: an explicit operator act (revoke-force). Returns the record
   * it abandoned so the caller can audit it.
   */
  async forget(id: string): Promise<LeaseRecord | null> {
    const rec = await this.get(id);
    if (rec) await this.remove(rec);
    return rec;
  }

  /**
   * One revocation attempt: success deletes the record; failure schedules a retry and (if asked) throws.
   * `targetDone` is called as soon as the target has answered, before the bookkeeping commit: the worker's per-mount
   * slot bounds the load on the target, not the time the record takes to be removed.
   */
  private async attempt(rec: LeaseRecord, rethrow: boolean, targetDone?: () => void): Promise<void> {
    try {
      await this.targets.revoke(rec);
      targetDone?.();
    } catch (err) {
      const message = this.scrub(err instanceof Error ? err.message : String(err));
      const attempts = rec.attempts + 1;
      const next: LeaseRecord = {
        ...rec,
        state: 'retrying',
        attempts,
        lastError: message,
        nextAttempt: this.clock.now() + retryDelay(attempts, this.retryBaseMs, this.retryCapMs),
      };
      await this.update(rec, next);
      this.logger.warn({ lease_id: rec.id, attempts, next_attempt: new Date(next.nextAttempt).toISOString(), err: message }, 'lease revocation failed; will retry');
      if (rethrow) throw new WardError('invalid_request', `failed to revoke lease ${rec.id}: ${message} (Ward keeps retrying; see sys/leases/lookup)`);
      return;
    }
    // The worker's mass revocations share commits.
    if (!rethrow) {
      await this.removeGrouped(rec);
      return;
    }
    // A caller's revoke is answered as soon as the target has destroyed the credential: the record's removal commits
    // in the background, hidden from `get` meanwhile. If Ward stops before it is durable, the lease is revoked again
    // later, which is a no-op for a credential that is already gone (revoke hooks are idempotent).
    this.removing.add(rec.id);
    const removal = this.remove(rec)
      .catch((err: unknown) => this.logger.error({ lease_id: rec.id, err: this.scrub(String(err)) }, 'removing a revoked lease failed; it will be revoked again'))
      .finally(() => {
        this.removing.delete(rec.id);
        this.removals.delete(removal);
      });
    this.removals.add(removal);
  }

  /** Revokes every lease whose id starts with `prefix` (sys/leases/revoke-prefix). Returns how many. */
  async revokePrefix(prefix: string, force = false): Promise<{ revoked: number; failed: number; forced: LeaseRecord[] }> {
    let revoked = 0;
    let failed = 0;
    const forced: LeaseRecord[] = [];
    let after = '';
    for (;;) {
      const page = await this.storage.scan({ start: leaseKey(prefix) + after, end: `${leaseKey(prefix)}\u{10ffff}`, limit: this.pageSize });
      if (page.length === 0) break;
      for (const entry of page) {
        const rec = JSON.parse(entry.value.toString('utf8')) as LeaseRecord;
        try {
          await this.revoke(rec.id);
          revoked++;
        } catch (err) {
          if (!force) {
            failed++;
            continue;
          }
          const gone = await this.forget(rec.id);
          if (gone) forced.push({ ...gone, lastError: this.scrub(err instanceof Error ? err.message : String(err)) });
        }
      }
      const last = page[page.length - 1] as { key: string };
      after = `${last.key.slice(leaseKey(prefix).length)}\u0000`;
    }
    return { revoked, failed, forced };
  }

  /** Revokes every lease a token issued (the token is being revoked). Failures stay retrying, never dropped. */
  async revokeByToken(tokenHandle: string): Promise<void> {
    const prefix = `by-token/${tokenHandle}/`;
    for (;;) {
      const page = await this.storage.scan({ start: prefix, end: `${prefix}\u{10ffff}`, limit: this.pageSize });
      const ids = page.map((e) => e.key.slice(prefix.length));
      let progressed = false;
      for (const id of ids) {
        const rec = await this.get(id);
        if (!rec) {
          await this.storage.delete(tokenIndexKey(tokenHandle, id));
          progressed = true;
          continue;
        }
        if (rec.kind === 'auth') continue; // the token's own life lease: the token store removes it
        try {
          await this.revoke(id);
          progressed = true;
        } catch {
          // Kept as retrying; detach it from the token so the loop ends and the worker owns it from now on.
          await this.storage.delete(tokenIndexKey(tokenHandle, id));
          progressed = true;
        }
      }
      if (page.length < this.pageSize || !progressed) return;
    }
  }

  /** The token-index ids of a token: its secret leases (a token's own auth lease is not indexed by token). */
  async leasesOfToken(tokenHandle: string): Promise<string[]> {
    const prefix = `by-token/${tokenHandle}/`;
    const page = await this.storage.scan({ start: prefix, end: `${prefix}\u{10ffff}` });
    return page.map((e) => e.key.slice(prefix.length));
  }

  // ---- worker --------------------------------------------------------------------------------------------------

  /**
   * Looks for due leases and starts their revocation, within the per-mount concurrency. Returns how many it started.
   * Tests call it directly with a manual clock.
   */
  tick(): Promise<number> {
    if (this.ticking) return this.ticking;
    this.ticking = this.runTick().finally(() => {
      this.ticking = null;
    });
    return this.ticking;
  }

  private async runTick(): Promise<number> {
    const now = this.clock.now();
    let started = 0;
    let start = 'due/';
    const end = dueEnd(now);
    for (;;) {
      const page = await this.storage.scan({ start, end, limit: this.pageSize });
      if (page.length === 0) break;
      for (const { key } of page) {
        const id = idFromDueKey(key);
        if (this.inFlight.has(id)) continue;
        const rec = await this.get(id);
        if (!rec) {
          await this.storage.delete(key); // an index entry left by a crash between writes
          continue;
        }
        if (dueKey(dueTime(rec), rec.id) !== key) {
          await this.storage.delete(key); // stale entry: the record moved on (renewed)
          continue;
        }
        await this.slot(rec.mountUuid);
        // Storage calls can complete synchronously, so without this the loop would never let the HTTP server run
        // during a mass expiry: give the event loop a turn between revocations, and once the worker has been
        // starting revocations for a whole slice, step aside for as long again (it may use at most about half of
        // the event loop; fair pacing, issue point 7).
        await this.pace();
        let slotHeld = true;
        const releaseSlot = (): void => {
          if (!slotHeld) return;
          slotHeld = false;
          this.release(rec.mountUuid);
        };
        // The lease stays in flight (skipped by later ticks) until its record is gone or marked retrying.
        const job = this.attempt(rec, false, releaseSlot)
          .catch((err: unknown) => this.logger.error({ lease_id: id, err: this.scrub(String(err)) }, 'revocation bookkeeping failed'))
          .finally(() => {
            this.inFlight.delete(id);
            releaseSlot();
          });
        this.inFlight.set(id, job);
        started++;
      }
      if (page.length < this.pageSize) break;
      start = `${(page[page.length - 1] as { key: string }).key}\u0000`;
    }
    return started;
  }

  private sliceStart = 0;

  private async pace(): Promise<void> {
    const now = performance.now();
    if (now - this.sliceStart < WORKER_SLICE_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      return;
    }
    await new Promise<void>((resolve) => setTimeout(resolve, WORKER_SLICE_MS));
    this.sliceStart = performance.now();
  }

  /** Waits until every revocation the worker started has finished. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight.values()]);
  }

  private readonly waiters = new Map<string, Array<() => void>>();

  /** Waits for a free revocation slot on a mount. */
  private async slot(mount: string): Promise<void> {
    const active = this.activePerMount.get(mount) ?? 0;
    if (active < this.perMount) {
      this.activePerMount.set(mount, active + 1);
      return;
    }
    await new Promise<void>((resolve) => {
      const list = this.waiters.get(mount) ?? [];
      list.push(resolve);
      this.waiters.set(mount, list);
    });
  }

  private release(mount: string): void {
    const next = this.waiters.get(mount)?.shift();
    if (next) next(); // the slot passes straight to the next waiter
    else this.activePerMount.set(mount, Math.max(0, (this.activePerMount.get(mount) ?? 1) - 1));
  }

  /** Counts leases (sys/leases/count), walking the records in pages. */
  async count(prefix = ''): Promise<number> {
    let n = 0;
    let start = leaseKey(prefix);
    const end = `${leaseKey(prefix)}\u{10ffff}`;
    for (;;) {
      const page = await this.storage.scan({ start, end, limit: 1000 });
      n += page.length;
      if (page.length < 1000) return n;
      start = `${(page[page.length - 1] as { key: string }).key}\u0000`;
      await new Promise<void>((resolve) => setImmediate(resolve)); // let requests run between pages
    }
  }

  /**
   * Removes due-index and token-index entries whose lease record is gone (left by a crash between two writes in
   * older data, or by a token revoked half-way). Pages through both indexes.
   */
  async tidy(): Promise<number> {
    let removed = 0;
    for (const prefix of ['due/', 'by-token/']) {
      let start = prefix;
      for (;;) {
        const page = await this.storage.scan({ start, end: `${prefix}\u{10ffff}`, limit: this.pageSize });
        for (const { key } of page) {
          const id = prefix === 'due/' ? idFromDueKey(key) : key.slice(prefix.length).split('/').slice(1).join('/');
          if (!(await this.get(id))) {
            await this.storage.delete(key);
            removed++;
          }
        }
        if (page.length < this.pageSize) break;
        start = `${(page[page.length - 1] as { key: string }).key}\u0000`;
      }
    }
    return removed;
  }

  private stateCounts: { at: number; counts: Record<string, Partial<Record<LeaseRecord['state'], number>>> } | null = null;
  private counting: Promise<void> | null = null;

  /**
   * Leases by mount path and state, for metrics. Counting pages through every record, so the result is kept for a
   * minute and refreshed in the background while the previous one is served: a scrape never waits on a large table
   * except the very first time.
   */
  async countsByMountState(maxAgeMs = 60_000): Promise<Record<string, Partial<Record<LeaseRecord['state'], number>>>> {
    const fresh = this.stateCounts && this.clock.now() - this.stateCounts.at < maxAgeMs;
    if (!fresh && !this.counting) {
      this.counting = this.countAll().finally(() => {
        this.counting = null;
      });
    }
    if (!this.stateCounts) await this.counting;
    return this.stateCounts?.counts ?? {};
  }

  private async countAll(): Promise<void> {
    const counts: Record<string, Partial<Record<LeaseRecord['state'], number>>> = {};
    let start = 'lease/';
    for (;;) {
      const page = await this.storage.scan({ start, end: 'lease/\u{10ffff}', limit: this.pageSize });
      for (const { value } of page) {
        const rec = JSON.parse(value.toString('utf8')) as LeaseRecord;
        const byState = (counts[rec.mountPath] ??= {});
        byState[rec.state] = (byState[rec.state] ?? 0) + 1;
      }
      if (page.length < this.pageSize) break;
      start = `${(page[page.length - 1] as { key: string }).key}\u0000`;
      // Storage reads settle at once, so without a turn of the event loop between pages a count over a million
      // leases would hold every request for seconds.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    this.stateCounts = { at: this.clock.now(), counts };
  }

  /** One level of lease ids below `prefix` (LIST sys/leases/lookup/<prefix>). */
  async list(prefix: string): Promise<string[]> {
    if (prefix !== '' && !prefix.endsWith('/')) throw invalidRequest('prefix must end with "/"');
    return this.storage.list(leaseKey(prefix));
  }
}
