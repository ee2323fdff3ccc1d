import { hostname as osHostname } from 'node:os';
import type { AuditMetrics } from '../audit/broker.js';
import type { LeaseState } from '../expiration/lease-record.js';
import type { TelemetryConfig } from '../server/config.js';
import type { MetricsSummary } from './inmem.js';
import { EXPIRE_HELP, EXPIRE_OPS, type ExpireOp, METRICS, ttlBucket } from './names.js';
import { type BoundCounter, type CounterHandle, type GaugeHandle, MetricSink, type SummaryHandle } from './sink.js';

/** Vault has one namespace here: every namespaced metric says `root`. */
const NS = { namespace: 'root' };

export interface TelemetryOptions {
  /** The server's `telemetry` stanza; absent when the file has none (Prometheus output is then off, as in Vault). */
  config?: TelemetryConfig;
  /** Host name gauges carry unless `disable_hostname`; default the machine's. */
  hostname?: string;
  /** Wall clock for the JSON intervals (ms). */
  now?: () => number;
}

/** Token counts by dimension (service tokens, as Vault counts them). */
export interface TokenCounts {
  total: number;
  byPolicy?: Record<string, number>;
  byAuth?: Record<string, number>;
  byTTL?: Record<string, number>;
}

/**
 * Ward's metrics under Vault's names, for `sys/metrics` (JSON and Prometheus). The core calls the `observe…`,
 * `…Created` and `set…` methods; the audit broker reports through `AuditMetrics`. Nothing here accepts a secret value:
 * labels are mount paths, method and engine types, policy names and TTL buckets.
 */
export class Telemetry implements AuditMetrics {
  /** Prometheus output is served only when `prometheus_retention_time` is set and not 0 (Vault's rule). */
  readonly prometheusEnabled: boolean;
  private readonly sink: MetricSink;
  private readonly requests: SummaryHandle;
  private readonly logins: SummaryHandle;
  private readonly expire = new Map<ExpireOp, SummaryHandle>();
  private readonly c: Record<'tokenCreation' | 'leaseCreation' | 'auditReqFail' | 'auditRespFail' | 'sinkOk' | 'sinkFail', CounterHandle>;
  private readonly g: Record<'numLeases' | 'irrevocable' | 'leaseStates' | 'tokens' | 'byPolicy' | 'byAuth' | 'byTTL' | 'alloc' | 'sys' | 'handles', GaugeHandle>;
  private readonly auditReq: SummaryHandle;
  private readonly auditResp: SummaryHandle;
  private readonly collectors: (() => Promise<void> | void)[] = [];
  /**
   * Bound series of the per-issue counters, by their label values: a login adds one to a series found by a string
   * key instead of building, checking and hashing a label object. As many as the series prom-client keeps anyway.
   */
  private readonly bound = new Map<string, BoundCounter>();

  constructor(o: TelemetryOptions = {}) {
    this.prometheusEnabled = (o.config?.prometheusRetentionTime ?? 0) > 0;
    const host = o.config?.disableHostname ? null : sanitiseHost(o.hostname ?? osHostname());
    const s = (this.sink = new MetricSink(host, o.now ?? Date.now));
    this.requests = s.summary(METRICS.handleRequest);
    this.logins = s.summary(METRICS.handleLoginRequest);
    for (const op of EXPIRE_OPS) this.expire.set(op, s.summary({ key: ['vault', 'expire', op], help: EXPIRE_HELP[op] }));
    this.auditReq = s.summary(METRICS.auditLogRequest);
    this.auditResp = s.summary(METRICS.auditLogResponse);
    this.c = {
      tokenCreation: s.counter(METRICS.tokenCreation),
      leaseCreation: s.counter(METRICS.leaseCreation),
      auditReqFail: s.counter(METRICS.auditLogRequestFailure),
      auditRespFail: s.counter(METRICS.auditLogResponseFailure),
      sinkOk: s.counter(METRICS.auditSinkSuccess),
      sinkFail: s.counter(METRICS.auditSinkFailure),
    };
    this.g = {
      numLeases: s.gauge(METRICS.numLeases),
      irrevocable: s.gauge(METRICS.numIrrevocableLeases),
      leaseStates: s.gauge(METRICS.leaseStates),
      tokens: s.gauge(METRICS.tokenCount),
      byPolicy: s.gauge(METRICS.tokenCountByPolicy),
      byAuth: s.gauge(METRICS.tokenCountByAuth),
      byTTL: s.gauge(METRICS.tokenCountByTTL),
      alloc: s.gauge(METRICS.allocBytes),
      sys: s.gauge(METRICS.sysBytes),
      handles: s.gauge(METRICS.numGoroutines),
    };
  }

  /** One request handled, end to end (`vault.core.handle_request`, or `handle_login_request` for logins). */
  observeRequest(ms: number, login = false): void {
    (login ? this.logins : this.requests).observe({}, ms);
  }

  /** One expiration-manager operation (`vault.expire.revoke`, `renew`, `register`, …). */
  observeExpire(op: ExpireOp, ms: number): void {
    this.expire.get(op)?.observe({}, ms);
  }

  /** A token was issued (`vault.token.creation`). `mountPoint` is the auth mount path (`auth/approle/`). */
  tokenCreated(l: { authMethod: string; mountPoint: string; tokenType: string; ttlSeconds: number }): void {
    const ttl = ttlBucket(l.ttlSeconds);
    this.series(this.c.tokenCreation, JSON.stringify(['t', l.authMethod, l.mountPoint, ttl, l.tokenType]), () => ({ ...NS, auth_method: l.authMethod, mount_point: l.mountPoint, creation_ttl: ttl, token_type: l.tokenType })).inc();
  }

  /** A leased secret was issued (`vault.secret.lease.creation`). */
  leaseCreated(l: { secretEngine: string; mountPoint: string; ttlSeconds: number }): void {
    const ttl = ttlBucket(l.ttlSeconds);
    this.series(this.c.leaseCreation, JSON.stringify(['l', l.secretEngine, l.mountPoint, ttl]), () => ({ ...NS, secret_engine: l.secretEngine, mount_point: l.mountPoint, creation_ttl: ttl })).inc();
  }

  /** The bound series of `counter` for the label values `key` stands for (a JSON array: unambiguous). */
  private series(counter: CounterHandle, key: string, labels: () => Record<string, string>): BoundCounter {
    let b = this.bound.get(key);
    if (!b) {
      b = counter.bind(labels());
      this.bound.set(key, b);
    }
    return b;
  }

  /**
   * Lease counts by mount and state (from a periodic count of the lease table). Sets `vault.expire.num_leases`
   * (all), `vault.expire.num_irrevocable_leases` and Ward's `ward.expire.leases{mount,state}`.
   */
  setLeaseCounts(byMount: Record<string, Partial<Record<LeaseState, number>>>): void {
    let total = 0;
    let irrevocable = 0;
    this.g.leaseStates.reset();
    for (const [mount, states] of Object.entries(byMount)) {
      for (const [state, n] of Object.entries(states) as [LeaseState, number][]) {
        total += n;
        if (state === 'irrevocable') irrevocable += n;
        this.g.leaseStates.set({ mount, state }, n);
      }
    }
    this.g.numLeases.set({}, total);
    this.g.irrevocable.set({}, irrevocable);
  }

  /** Token counts (`vault.token.count`, `.by_policy`, `.by_auth`, `.by_ttl`). */
  setTokenCounts(c: TokenCounts): void {
    this.g.tokens.set(NS, c.total);
    const each = (gauge: GaugeHandle, label: string, counts: Record<string, number> | undefined): void => {
      gauge.reset();
      for (const [k, n] of Object.entries(counts ?? {})) gauge.set({ ...NS, [label]: k }, n);
    };
    each(this.g.byPolicy, 'policy', c.byPolicy);
    each(this.g.byAuth, 'auth_method', c.byAuth);
    each(this.g.byTTL, 'creation_ttl', c.byTTL);
  }

  auditFailure(kind: 'request' | 'response'): void {
    (kind === 'request' ? this.c.auditReqFail : this.c.auditRespFail).inc();
  }

  auditSink(_device: string, ok: boolean): void {
    (ok ? this.c.sinkOk : this.c.sinkFail).inc();
  }

  auditTiming(kind: 'request' | 'response', ms: number): void {
    (kind === 'request' ? this.auditReq : this.auditResp).observe({}, ms);
  }

  /**
   * Registers work to run before metrics are served (e.g. counting leases by mount and state, then
   * `setLeaseCounts`): gauges that are costly to keep current are computed when asked for, with no timer.
   */
  addCollector(fn: () => Promise<void> | void): void {
    this.collectors.push(fn);
  }

  /** Runs the collectors; `sys/metrics` calls it before rendering. A failing collector leaves its gauges stale. */
  async collect(): Promise<void> {
    await Promise.all(this.collectors.map(async (fn) => {
      try {
        await fn();
      } catch {
        /* a stale gauge beats a failed scrape */
      }
    }));
  }

  /** `GET sys/metrics`: go-metrics' in-memory summary. */
  jsonSummary(): MetricsSummary {
    this.collectRuntime();
    return this.sink.inmem.summary();
  }

  /** `GET sys/metrics?format=prometheus`: the text exposition format. */
  prometheusText(): Promise<string> {
    this.collectRuntime();
    return this.sink.registry.metrics();
  }

  /** Content type of `prometheusText()` (`text/plain; version=0.0.4; charset=utf-8`, as Vault's expfmt.FmtText). */
  get prometheusContentType(): string {
    return this.sink.registry.contentType;
  }

  /** Node's equivalents of Go's runtime gauges, read when metrics are asked for. */
  private collectRuntime(): void {
    const mem = process.memoryUsage();
    this.g.alloc.set({}, mem.heapUsed);
    this.g.sys.set({}, mem.rss);
    this.g.handles.set({}, process.getActiveResourcesInfo().length);
  }
}

/** go-metrics uses the host name as one key part; dots in it would split it in the JSON name. */
function sanitiseHost(name: string): string {
  return name.replace(/[^a-zA-Z0-9_-]/g, '_');
}
