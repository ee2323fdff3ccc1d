import { WardError, type Logger, type Storage } from '../../framework/index.js';
import { readConnection, readRetired, toPluginConfig, type StoredConnection } from './connection-store.js';
import type { DatabasePlugin, DatabasePluginFactory } from './plugin.js';
import { pluginFactory } from './plugins/registry.js';

/** Bound on opening a plugin for a connection (no network: initialize without verify). */
const OPEN_TIMEOUT_MS = 15_000;

/**
 * One initialised plugin (one pool) and the connection settings it was built from. Calls run through `use`, and
 * `close` waits for the calls in flight, so replacing a connection (config write, reset, root rotation) never cuts a
 * credential's creation or revocation off half-way.
 */
export class PluginHandle {
  #active = 0;
  #closing = false;
  #drained: (() => void) | null = null;

  constructor(
    readonly plugin: DatabasePlugin,
    readonly conn: StoredConnection,
  ) {}

  get closing(): boolean {
    return this.#closing;
  }

  async use<T>(fn: (plugin: DatabasePlugin) => Promise<T>): Promise<T> {
    this.#active++;
    try {
      return await fn(this.plugin);
    } finally {
      this.#active--;
      if (this.#active === 0) this.#drained?.();
    }
  }

  async close(): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    if (this.#active > 0) await new Promise<void>((resolve) => (this.#drained = resolve));
    await this.plugin.close();
  }
}

/** What `ConnectionManager` needs. */
export interface ConnectionManagerDeps {
  storage: Storage;
  logger: Logger;
  factories?: readonly DatabasePluginFactory[];
}

/**
 * The plugin instances of one mount: one per configured connection, opened on first use and cached, replaced on
 * config writes, `reset` and root rotation, closed when the mount closes. Leases whose connection was deleted or
 * re-pointed get a short-lived instance built from the retired copy of their connection.
 */
export class ConnectionManager {
  readonly #live = new Map<string, Promise<PluginHandle>>();
  readonly #deps: ConnectionManagerDeps;

  constructor(deps: ConnectionManagerDeps) {
    this.#deps = deps;
  }

  /** The factory for a plugin name, or a 400 naming the plugins Ward has. */
  factoryFor(pluginName: string): DatabasePluginFactory {
    const f = pluginFactory(pluginName, this.#deps.factories);
    if (!f) throw new WardError('invalid_request', `error creating database object: plugin "${pluginName}" not found in the catalog`);
    return f;
  }

  /** A plugin built and initialised (without connecting) from stored settings. */
  async open(conn: StoredConnection): Promise<PluginHandle> {
    const plugin = this.factoryFor(conn.pluginName).create(conn.pluginName);
    try {
      await plugin.initialize(conn.config ?? toPluginConfig(conn.details), { verify: false, signal: AbortSignal.timeout(OPEN_TIMEOUT_MS) });
    } catch (err) {
      await plugin.close().catch(() => undefined);
      throw err;
    }
    return new PluginHandle(plugin, conn);
  }

  #get(name: string): Promise<PluginHandle> {
    const cached = this.#live.get(name);
    if (cached) return cached;
    const opening = (async () => {
      const conn = await readConnection(this.#deps.storage, name);
      if (!conn) throw new WardError('internal', `failed to find entry for connection with name: "${name}"`);
      return this.open(conn);
    })();
    this.#live.set(name, opening);
    opening.catch(() => {
      if (this.#live.get(name) === opening) this.#live.delete(name);
    });
    return opening;
  }

  /** Runs `fn` with the live plugin of connection `name` (500 when there is no such connection). */
  async use<T>(name: string, fn: (plugin: DatabasePlugin, conn: StoredConnection) => Promise<T>): Promise<T> {
    for (;;) {
      const handle = await this.#get(name);
      // Replaced meanwhile (put/drop update the map before closing): take the new one.
      if (handle.closing) continue;
      return handle.use((p) => fn(p, handle.conn));
    }
  }

  /**
   * Runs `fn` with the plugin for a lease issued on connection `name` while it had `id`: the live one when it still
   * has that id, else one built from the retired copy (closed afterwards). Throws when neither exists.
   */
  async useForLease<T>(name: string, id: string, fn: (plugin: DatabasePlugin) => Promise<T>): Promise<T> {
    const current = await readConnection(this.#deps.storage, name);
    if (current && (current.id === id || id === '')) return this.use(name, (p) => fn(p));
    const retired = id === '' ? null : await readRetired(this.#deps.storage, id);
    if (!retired) {
      throw new WardError('internal', `the connection "${name}" that issued this credential no longer exists and no copy of its settings is kept`);
    }
    const handle = await this.open(retired);
    try {
      return await handle.use((p) => fn(p));
    } finally {
      await handle.close().catch(() => undefined);
    }
  }

  /** Installs a freshly initialised instance for `name` (after a config write) and closes the one it replaces. */
  async put(name: string, handle: PluginHandle): Promise<void> {
    const previous = this.#live.get(name);
    this.#live.set(name, Promise.resolve(handle));
    await this.#closeQuietly(name, previous);
  }

  /** Closes and forgets the instance of `name`; the next use opens a new one from storage (`reset`). */
  async drop(name: string): Promise<void> {
    const previous = this.#live.get(name);
    this.#live.delete(name);
    await this.#closeQuietly(name, previous);
  }

  async #closeQuietly(name: string, handle: Promise<PluginHandle> | undefined): Promise<void> {
    const h = await handle?.catch(() => null);
    if (!h) return;
    try {
      await h.close();
    } catch (err) {
      this.#deps.logger.warn({ connection: name, err: err instanceof Error ? err.message : String(err) }, 'closing a database plugin failed');
    }
  }

  /** Closes every instance (mount disabled, server sealed). */
  async closeAll(): Promise<void> {
    const all = [...this.#live.entries()];
    this.#live.clear();
    await Promise.all(all.map(([name, h]) => this.#closeQuietly(name, h)));
  }
}
