import { Core } from '../core/core.js';
import { builtinSecretEngines } from '../engines/builtin.js';
import { builtinAuthMethods } from '../auth/builtin.js';
import { buildHttpApp } from '../http/app.js';
import { type BoundListener, bindListener } from '../http/listeners.js';
import { openPhysical } from '../storage/index.js';
import { type ServerConfig, loadServerConfig } from './config.js';
import { createLogger } from './logger.js';
import type { Clock } from '../lib/clock.js';

export interface StartOptions {
  configPath?: string;
  /** In-memory, initialised, unsealed, with kv v2 at `secret/` (never for production). */
  dev?: boolean;
  devRootTokenId?: string;
  devListenAddress?: string;
  logLevel?: string;
  /** Time source (tests move a manual clock instead of sleeping). */
  clock?: Clock;
  /** Where logs go (tests capture them); default stderr. */
  logDestination?: NodeJS.WritableStream;
}

export interface RunningServer {
  addresses: string[];
  rootToken?: string;
  /** Dev mode only: the single unseal key, hex. */
  unsealKey?: string;
  core: Core;
  close(): Promise<void>;
}

const DEV_CONFIG: ServerConfig = {
  storage: { type: 'inmem' },
  listeners: [{ type: 'tcp', address: '127.0.0.1:8200', tlsDisable: true }],
  ui: false,
  defaultLeaseTtl: 2_764_800,
  maxLeaseTtl: 2_764_800,
  logLevel: 'info',
  disableMlock: true,
};

/** Starts a server from a config file, or in dev mode. Resolves once every listener is bound. */
export async function startServer(opts: StartOptions): Promise<RunningServer> {
  let config: ServerConfig;
  if (opts.dev) {
    config = { ...DEV_CONFIG, listeners: [{ type: 'tcp', address: opts.devListenAddress ?? '127.0.0.1:8200', tlsDisable: true }] };
  } else if (opts.configPath) {
    config = await loadServerConfig(opts.configPath);
  } else {
    throw new Error('a configuration file must be given with -config, or use -dev for a development server');
  }
  const logger = createLogger(opts.logLevel ?? config.logLevel, opts.logDestination);
  const physical = await openPhysical(config.storage);
  const core = new Core({
    physical,
    storageType: config.storage.type,
    factories: [...builtinSecretEngines, ...builtinAuthMethods],
    logger,
    ...(opts.clock ? { clock: opts.clock } : {}),
    defaultLeaseTTL: config.defaultLeaseTtl,
    maxLeaseTTL: config.maxLeaseTtl,
    ...(config.clusterName ? { clusterName: config.clusterName } : {}),
    ...(config.telemetry ? { telemetry: config.telemetry } : {}),
  });
  // SIGHUP reopens audit files (log rotation), as Vault does; it also keeps Node from exiting on the signal.
  const onHup = () => void core.audit.reload();
  process.on('SIGHUP', onHup);
  let rootToken: string | undefined;
  let unsealKey: string | undefined;
  if (opts.dev) {
    const init = await core.init(1, 1, opts.devRootTokenId);
    rootToken = init.rootToken;
    unsealKey = (init.keys[0] as Buffer).toString('hex');
    await core.unseal(init.keys[0] as Buffer, false);
    await core.mounts.mount('mounts', { path: 'secret/', type: 'kv', options: { version: '2' }, description: 'key/value secret storage' });
  }
  const app = await buildHttpApp(core, logger);
  const listeners: BoundListener[] = [];
  try {
    for (const l of config.listeners) {
      listeners.push(await bindListener(app.server, { address: l.address, tlsDisable: l.tlsDisable, ...(l.tlsCertFile ? { tlsCertFile: l.tlsCertFile } : {}), ...(l.tlsKeyFile ? { tlsKeyFile: l.tlsKeyFile } : {}) }));
    }
  } catch (err) {
    for (const l of listeners) await l.close();
    await physical.close();
    throw err;
  }
  logger.info({ addresses: listeners.map((l) => l.url), storage: config.storage.type }, 'ward server started');
  let closed = false;
  return {
    addresses: listeners.map((l) => l.url),
    ...(rootToken ? { rootToken } : {}),
    ...(unsealKey ? { unsealKey } : {}),
    core,
    close: async () => {
      if (closed) return;
      closed = true;
      process.off('SIGHUP', onHup);
      for (const l of listeners) await l.close();
      await app.fastify.close();
      await core.seal();
      await physical.close();
    },
  };
}
