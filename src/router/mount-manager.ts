import { randomBytes, randomUUID } from 'node:crypto';
import type { EngineFactory } from '../framework/engine.js';
import type { Logger } from '../framework/logger.js';
import type { Storage } from '../framework/storage.js';
import { deletePrefix, getJSON, prefixedStorage, putJSON } from '../framework/storage.js';
import type { SystemView } from '../framework/types.js';
import { invalidRequest } from '../lib/errors.js';
import { mountStoragePrefix, type MountConfig, type MountEntry, type MountTableName } from './mount-entry.js';
import type { MountedEngine, Router } from './router.js';

const TABLE_KEYS: Record<MountTableName, string> = { mounts: 'core/mounts', auth: 'core/auth' };
/** Paths no secret engine may take. */
const RESERVED = ['sys/', 'auth/', 'cubbyhole/', 'identity/'];

export interface SystemDefaults {
  now(): number;
  defaultLeaseTTL: number;
  maxLeaseTTL: number;
  generatePassword(policyName?: string): Promise<string>;
}

export interface MountRequest {
  path: string;
  type: string;
  description?: string;
  config?: Partial<MountConfig>;
  options?: Record<string, string>;
  local?: boolean;
  sealWrap?: boolean;
  builtin?: boolean;
}

/** Normalises a mount path: no leading slash, exactly one trailing slash. */
export function normaliseMountPath(path: string): string {
  const p = path.replace(/^\/+/, '').replace(/\/+$/, '');
  if (p === '' || p.includes('//') || p.split('/').some((s) => s === '.' || s === '..')) throw invalidRequest(`invalid mount path "${path}"`);
  return `${p}/`;
}

/** Vault's type aliases: `kv-v2` is kv with version 2, `generic` is kv version 1. */
function canonicalType(type: string, options: Record<string, string>): { type: string; options: Record<string, string> } {
  if (type === 'kv-v2') return { type: 'kv', options: { ...options, version: '2' } };
  if (type === 'kv-v1' || type === 'generic') return { type: 'kv', options: { ...options, version: options.version ?? '1' } };
  if (type === 'kv') return { type, options: { ...options, version: options.version ?? '1' } };
  return { type, options };
}

/**
 * Owns both mount tables: persists them through the barrier, builds engine instances for each row, and keeps the
 * router in step. Each mount's data lives under its UUID, so moving a mount never copies data.
 */
export class MountManager {
  private readonly tables: Record<MountTableName, MountEntry[]> = { mounts: [], auth: [] };
  private readonly systemViews = new WeakMap<MountEntry, SystemView>();

  constructor(
    private readonly barrier: Storage,
    private readonly router: Router,
    private readonly factories: ReadonlyMap<string, EngineFactory>,
    private readonly defaults: SystemDefaults,
    private readonly logger: Logger,
  ) {}

  hasFactory(type: string): boolean {
    return this.factories.has(type);
  }

  /** The live mount with this UUID (leases find their mount this way, wherever it has moved). */
  byUuid(uuid: string): MountedEngine | undefined {
    return this.router.all().find((m) => m.entry.uuid === uuid);
  }

  entries(table: MountTableName): readonly MountEntry[] {
    return this.tables[table];
  }

  fullPath(table: MountTableName, path: string): string {
    return table === 'auth' ? `auth/${path}` : path;
  }

  /**
   * The mount's view of time and TTL defaults. It reads `entry.config` on every call (tune changes it in place), so
   * one view per entry serves every request to the mount.
   */
  systemView(entry: MountEntry): SystemView {
    let view = this.systemViews.get(entry);
    if (!view) {
      view = this.makeSystemView(entry);
      this.systemViews.set(entry, view);
    }
    return view;
  }

  private makeSystemView(entry: MountEntry): SystemView {
    const d = this.defaults;
    return {
      now: () => d.now(),
      defaultLeaseTTL: () => {
        const max = entry.config.maxLeaseTTL || d.maxLeaseTTL;
        return Math.min(entry.config.defaultLeaseTTL || d.defaultLeaseTTL, max);
      },
      maxLeaseTTL: () => entry.config.maxLeaseTTL || d.maxLeaseTTL,
      generatePassword: (name) => d.generatePassword(name),
    };
  }

  /** Loads both tables and starts every engine (unseal). */
  async load(): Promise<void> {
    for (const table of ['mounts', 'auth'] as const) {
      this.tables[table] = (await getJSON<MountEntry[]>(this.barrier, TABLE_KEYS[table])) ?? [];
      for (const entry of this.tables[table]) await this.start(table, entry);
    }
  }

  /** Closes every engine (seal). */
  async unload(): Promise<void> {
    for (const m of this.router.clear()) await this.closeEngine(m);
    this.tables.mounts = [];
    this.tables.auth = [];
  }

  private async closeEngine(m: MountedEngine): Promise<void> {
    try {
      await m.engine.close?.();
    } catch (err) {
      this.logger.warn({ mount: m.fullPath, err: (err as Error).message }, 'engine close failed');
    }
  }

  private async start(table: MountTableName, entry: MountEntry): Promise<MountedEngine> {
    const factory = this.factories.get(entry.type);
    if (!factory) throw invalidRequest(`plugin not found in the catalog: ${entry.type}`);
    const storage = prefixedStorage(this.barrier, mountStoragePrefix(table, entry.uuid));
    const fullPath = this.fullPath(table, entry.path);
    const engine = await factory.create({
      mount: { path: fullPath, type: entry.type, uuid: entry.uuid, accessor: entry.accessor, options: entry.options },
      storage,
      system: this.systemView(entry),
      logger: this.logger.child({ mount: fullPath }),
    });
    await engine.init?.();
    const mounted: MountedEngine = { table, entry, engine, storage, fullPath };
    this.router.add(mounted);
    return mounted;
  }

  private async persist(table: MountTableName): Promise<void> {
    await putJSON(this.barrier, TABLE_KEYS[table], this.tables[table]);
  }

  /** Enables an engine at a path (sys/mounts/:path, sys/auth/:path). */
  async mount(table: MountTableName, req: MountRequest): Promise<MountEntry> {
    const path = normaliseMountPath(req.path);
    const full = this.fullPath(table, path);
    if (table === 'mounts' && !req.builtin && RESERVED.some((r) => path.startsWith(r) || r === path)) {
      throw invalidRequest(`cannot mount at reserved path "${path}"`);
    }
    const clash = this.router.conflict(full);
    if (clash) throw invalidRequest(`path is already in use at ${full}`);
    const { type, options } = canonicalType(req.type, req.options ?? {});
    const factory = this.factories.get(type);
    if (!factory || (factory.kind === 'auth') !== (table === 'auth')) {
      throw invalidRequest(`plugin not found in the catalog: ${req.type}`);
    }
    const entry: MountEntry = {
      path,
      type,
      description: req.description ?? '',
      uuid: randomUUID(),
      accessor: `${table === 'auth' ? 'auth_' : ''}${type}_${randomBytes(4).toString('hex')}`,
      config: { defaultLeaseTTL: 0, maxLeaseTTL: 0, forceNoCache: false, ...req.config },
      options,
      local: req.local ?? false,
      sealWrap: req.sealWrap ?? false,
      ...(req.builtin ? { builtin: true } : {}),
    };
    await this.start(table, entry);
    this.tables[table] = [...this.tables[table], entry];
    try {
      await this.persist(table);
    } catch (err) {
      const m = this.router.remove(full);
      if (m) await this.closeEngine(m);
      this.tables[table] = this.tables[table].filter((e) => e !== entry);
      throw err;
    }
    return entry;
  }

  /** Disables a mount and deletes its data. Absent = success. `beforeDelete` revokes its leases first. */
  async unmount(table: MountTableName, rawPath: string, beforeDelete?: (m: MountedEngine) => Promise<void>): Promise<void> {
    const path = normaliseMountPath(rawPath);
    const full = this.fullPath(table, path);
    const mounted = this.router.get(full);
    if (!mounted || mounted.table !== table) return;
    if (mounted.entry.builtin) throw invalidRequest(`cannot unmount "${path}"`);
    await beforeDelete?.(mounted);
    this.tables[table] = this.tables[table].filter((e) => e.uuid !== mounted.entry.uuid);
    await this.persist(table);
    this.router.remove(full);
    await this.closeEngine(mounted);
    await deletePrefix(this.barrier, mountStoragePrefix(table, mounted.entry.uuid));
  }

  /** Moves a mount to a new path; its data stays where it is (keyed by UUID). */
  async remount(table: MountTableName, from: string, to: string): Promise<void> {
    const fromPath = normaliseMountPath(from);
    const toPath = normaliseMountPath(to);
    const mounted = this.router.get(this.fullPath(table, fromPath));
    if (!mounted) throw invalidRequest(`no matching mount at "${fromPath}"`);
    if (mounted.entry.builtin) throw invalidRequest(`cannot remount "${fromPath}"`);
    if (table === 'mounts' && RESERVED.some((r) => toPath.startsWith(r))) throw invalidRequest(`cannot remount to reserved path "${toPath}"`);
    const toFull = this.fullPath(table, toPath);
    const clash = this.router.conflict(toFull);
    if (clash && clash !== mounted) throw invalidRequest(`path already in use at ${toFull}`);
    const moved: MountEntry = { ...mounted.entry, path: toPath };
    this.tables[table] = this.tables[table].map((e) => (e.uuid === moved.uuid ? moved : e));
    await this.persist(table);
    this.router.remove(mounted.fullPath);
    await this.closeEngine(mounted);
    await this.start(table, moved);
  }

  /** Changes a mount's config, description or options (sys/mounts/:path/tune). */
  async tune(table: MountTableName, rawPath: string, change: { config?: Partial<MountConfig>; description?: string; options?: Record<string, string> }): Promise<MountEntry> {
    const mounted = this.router.get(this.fullPath(table, normaliseMountPath(rawPath)));
    if (!mounted) throw invalidRequest(`no mount at "${rawPath}"`);
    const entry = mounted.entry;
    if (change.config) Object.assign(entry.config, change.config);
    if (change.description !== undefined) entry.description = change.description;
    if (change.options) {
      if (entry.type === 'kv' && entry.options.version === '2' && change.options.version === '1') {
        throw invalidRequest('cannot downgrade mount from KV version 2');
      }
      const versionChanged = change.options.version !== undefined && change.options.version !== entry.options.version;
      entry.options = { ...entry.options, ...change.options };
      await this.persist(table);
      if (versionChanged) {
        this.router.remove(mounted.fullPath);
        await this.closeEngine(mounted);
        await this.start(table, entry);
      }
      return entry;
    }
    await this.persist(table);
    return entry;
  }

  /** Resolves a path to the table entry it names, in either table (sys/mounts/:path, sys/auth/:path). */
  find(table: MountTableName, rawPath: string): MountedEngine | undefined {
    const m = this.router.get(this.fullPath(table, normaliseMountPath(rawPath)));
    return m && m.table === table ? m : undefined;
  }
}
