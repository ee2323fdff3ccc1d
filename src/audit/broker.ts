import { randomBytes, randomUUID } from 'node:crypto';
import type { Logger } from '../framework/logger.js';
import type { Storage } from '../framework/storage.js';
import { WardError, invalidRequest } from '../lib/errors.js';
import { AuditDevice } from './device.js';
import { builtinSinkFactories } from './devices/index.js';
import type { SinkFactory } from './devices/sink.js';
import { AuditFailureError } from './errors.js';
import { newSalt } from './hash.js';
import { parseCommonOptions } from './options.js';
import { AuditTable, type AuditTableEntry } from './table.js';
import type { AuditRequestInput, AuditResponseInput } from './types.js';

/** What the broker reports to telemetry (the `Telemetry` class implements it). Never given entry contents. */
export interface AuditMetrics {
  /** Every device failed: the request was refused (`vault.audit.log_request_failure` / `_response_failure`). */
  auditFailure(kind: 'request' | 'response'): void;
  /** One device's write (`vault.audit.sink.success` / `.failure`). */
  auditSink(device: string, ok: boolean): void;
  /** Time to log one entry on every device, ms (`vault.audit.log_request` / `log_response`). */
  auditTiming(kind: 'request' | 'response', ms: number): void;
}

export interface AuditBrokerOptions {
  /** Barrier-encrypted storage at the root (the table lives at `core/audit`, salts at `audit/<uuid>/salt`). */
  storage: Storage;
  logger: Logger;
  metrics?: AuditMetrics;
  /** Entry timestamps, ms since the epoch (fractions kept); default: the high-resolution wall clock. */
  now?: () => number;
  /** Device types; default file, socket, syslog. */
  sinks?: ReadonlyMap<string, SinkFactory>;
}

/** `sys/audit` listing of one device. */
export interface AuditDeviceInfo {
  type: string;
  description: string;
  options: Record<string, string>;
  path: string;
  local: boolean;
}

const hiResNow = (): number => performance.timeOrigin + performance.now();

function normalisePath(path: string): string {
  const p = path.replace(/^\/+/, '');
  const withSlash = p.endsWith('/') ? p : `${p}/`;
  if (withSlash === '/') throw invalidRequest('backend path must be specified');
  return withSlash;
}

/**
 * The audit broker (Vault's `AuditBroker` plus the audit table): enables and disables devices, persists them, and
 * logs every request and response to all of them. Fails closed: with at least one device enabled, an entry that no
 * device could write throws `AuditFailureError`, and the core refuses the request.
 */
export class AuditBroker {
  /** The audit table as persisted, by path (a device that failed to start stays listed). */
  private entries = new Map<string, AuditTableEntry>();
  /** Running devices, by path. */
  private devices = new Map<string, AuditDevice>();
  private readonly table: AuditTable;
  private readonly logger: Logger;
  private readonly metrics: AuditMetrics | undefined;
  private readonly now: () => number;
  private readonly sinks: ReadonlyMap<string, SinkFactory>;
  /** Serialises table changes (enable, disable, load, unload). Logging never waits for it. */
  private lock: Promise<unknown> = Promise.resolve();

  constructor(o: AuditBrokerOptions) {
    this.table = new AuditTable(o.storage);
    this.logger = o.logger;
    this.metrics = o.metrics;
    this.now = o.now ?? hiResNow;
    this.sinks = o.sinks ?? builtinSinkFactories;
  }

  /** Number of enabled devices. */
  get count(): number {
    return this.devices.size;
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.catch(() => undefined);
    return run;
  }

  /**
   * Starts the persisted devices (after unseal). A device that cannot start is logged and skipped; if devices are
   * configured and none starts, throws, so the server stays sealed rather than serve unaudited (as Vault).
   */
  load(): Promise<void> {
    return this.exclusive(async () => {
      const entries = await this.table.entries();
      this.entries = new Map(entries.map((e) => [e.path, e]));
      for (const entry of entries) {
        if (this.devices.has(entry.path)) continue;
        try {
          let salt = await this.table.salt(entry.uuid);
          if (!salt) {
            salt = newSalt();
            await this.table.putSalt(entry.uuid, salt);
          }
          this.devices.set(entry.path, this.build(entry, salt));
        } catch (err) {
          this.logger.error({ device: entry.path, type: entry.type, err: (err as Error).message }, 'failed to start audit device');
        }
      }
      if (entries.length > 0 && this.devices.size === 0) throw new WardError('internal', 'failed to setup audit table');
    });
  }

  /** Stops every device (before seal), after their writes in flight have landed. */
  unload(): Promise<void> {
    return this.exclusive(async () => {
      const devices = [...this.devices.values()];
      this.devices = new Map();
      this.entries = new Map();
      await Promise.all(devices.map((d) => d.close().catch((err: unknown) => this.logger.error({ device: d.entry.path, err: (err as Error).message }, 'closing audit device failed'))));
    });
  }

  /**
   * Enables a device: checks its options, writes a test entry (unless `skip_test=true`) so an unusable destination
   * is a 400 now rather than refused requests later, then persists salt and table entry.
   */
  enable(path: string, type: string, options: Record<string, string> = {}, description = '', local = false): Promise<void> {
    return this.exclusive(async () => {
      const p = normalisePath(path);
      for (const existing of this.entries.keys()) {
        if (existing.startsWith(p) || p.startsWith(existing)) throw invalidRequest('path already in use');
      }
      if (!this.sinks.has(type)) throw invalidRequest(`unknown backend type: ${JSON.stringify(type)}`);
      const entry: AuditTableEntry = { path: p, type, description, options: { ...options }, local, uuid: randomUUID(), accessor: `audit_${type}_${randomBytes(4).toString('hex')}` };
      const salt = newSalt();
      const device = this.build(entry, salt);
      try {
        if (options.skip_test !== 'true') {
          try {
            await device.logRequest({ id: randomUUID(), operation: 'update', path: 'sys/audit/test' });
          } catch (err) {
            throw invalidRequest(`audit backend failed test message: ${(err as Error).message}`);
          }
        }
        await this.table.putSalt(entry.uuid, salt);
        try {
          await this.table.save([...this.entries.values(), entry]);
        } catch (err) {
          await this.table.deleteSalt(entry.uuid).catch(() => undefined);
          throw err;
        }
      } catch (err) {
        await device.close().catch(() => undefined);
        if (err instanceof WardError) throw err;
        this.logger.error({ device: p, err: (err as Error).message }, 'failed to update audit table');
        throw new WardError('internal', 'failed to update audit table');
      }
      this.entries.set(p, entry);
      this.devices.set(p, device);
      this.logger.info({ device: p, type }, 'enabled audit backend');
    });
  }

  /**
   * Disables a device; false when none is enabled at `path`. The device stops receiving entries at once, and its
   * file or socket is closed only after every entry already handed to it is written.
   */
  disable(path: string): Promise<boolean> {
    return this.exclusive(async () => {
      const p = normalisePath(path);
      const entry = this.entries.get(p);
      if (!entry) return false;
      const rest = [...this.entries.values()].filter((e) => e !== entry);
      try {
        await this.table.save(rest);
      } catch (err) {
        this.logger.error({ device: p, err: (err as Error).message }, 'failed to update audit table');
        throw new WardError('internal', 'failed to update audit table');
      }
      this.entries.delete(p);
      const device = this.devices.get(p);
      this.devices.delete(p);
      await device?.close().catch((err: unknown) => this.logger.error({ device: p, err: (err as Error).message }, 'closing audit device failed'));
      await this.table.deleteSalt(entry.uuid).catch(() => undefined);
      this.logger.info({ device: p }, 'disabled audit backend');
      return true;
    });
  }

  /** `sys/audit`: `"<path>/"` → `{type, description, options, path, local}`. */
  list(): Record<string, AuditDeviceInfo> {
    const out: Record<string, AuditDeviceInfo> = {};
    for (const entry of this.entries.values()) {
      out[entry.path] = { type: entry.type, description: entry.description, options: { ...entry.options }, path: entry.path, local: entry.local };
    }
    return out;
  }

  /** `sys/audit-hash/:path`: the device's HMAC of `input`, as its log would show it. */
  hash(path: string, input: string): string {
    const p = normalisePath(path);
    const device = this.devices.get(p);
    if (!device) throw invalidRequest(`unknown audit backend ${p}`);
    return device.hash(input);
  }

  /** Writes the request entry on every device; throws `AuditFailureError` when devices exist and none wrote it. */
  logRequest(input: AuditRequestInput): Promise<void> {
    return this.fanOut('request', (d) => d.logRequest(input));
  }

  /** Writes the response entry on every device; throws `AuditFailureError` when devices exist and none wrote it. */
  logResponse(input: AuditResponseInput): Promise<void> {
    return this.fanOut('response', (d) => d.logResponse(input));
  }

  /** SIGHUP: every device reopens its destination (log rotation). Failures are logged; writes retry the open. */
  async reload(): Promise<void> {
    await Promise.all([...this.devices.values()].map(async (d) => {
      try {
        await d.reopen();
      } catch (err) {
        this.logger.error({ device: d.entry.path, err: (err as Error).message }, 'reopening audit device failed');
      }
    }));
  }

  private async fanOut(kind: 'request' | 'response', write: (d: AuditDevice) => Promise<void>): Promise<void> {
    if (this.devices.size === 0) return;
    const started = performance.now();
    // Every device is handed the entry synchronously (a disable that starts meanwhile waits for these writes).
    const devices = [...this.devices.values()];
    const results = await Promise.allSettled(devices.map(write));
    let written = 0;
    results.forEach((r, i) => {
      const path = (devices[i] as AuditDevice).entry.path;
      this.metrics?.auditSink(path, r.status === 'fulfilled');
      if (r.status === 'fulfilled') written++;
      else this.logger.error({ device: path, err: (r.reason as Error).message }, `backend failed to log ${kind}`);
    });
    this.metrics?.auditTiming(kind, performance.now() - started);
    if (written === 0) {
      this.metrics?.auditFailure(kind);
      this.logger.error({}, `no audit backend succeeded in logging the ${kind}`);
      throw new AuditFailureError(kind);
    }
  }

  private build(entry: AuditTableEntry, salt: Buffer): AuditDevice {
    const factory = this.sinks.get(entry.type);
    if (!factory) throw invalidRequest(`unknown backend type: ${JSON.stringify(entry.type)}`);
    const common = parseCommonOptions(entry.options);
    const sink = factory.create(entry.options, this.logger.child({ device: entry.path }));
    return new AuditDevice(entry, salt, common, sink, this.now);
  }
}
