import { randomBytes, randomUUID } from 'node:crypto';
import { combine, split } from 'shamir-secret-sharing';
import { Barrier } from '../barrier/barrier.js';
import { helpResponse, routeEngineRequest, resolveWriteOperation, runEngineOperation } from '../framework/dispatch.js';
import type { Engine, EngineFactory } from '../framework/engine.js';
import { engineHelp } from '../framework/help.js';
import type { Logger } from '../framework/logger.js';
import { matchPath, type PathMatch } from '../framework/path.js';
import { getJSON, putJSON } from '../framework/storage.js';
import type { EngineRequest, RequestAuth, SystemView } from '../framework/types.js';
import { type Clock, systemClock } from '../lib/clock.js';
import { WardError, invalidRequest, notFound, permissionDenied, sealedError } from '../lib/errors.js';
import type { ACL } from '../policy/acl.js';
import { PolicyStore } from '../policy/policy-store.js';
import { PasswordPolicyStore } from '../sys/password-policies.js';
import { ExpirationManager } from '../expiration/expiration-manager.js';
import { EXPIRATION_STORAGE_PREFIX } from '../expiration/lease-record.js';
import { TokenService } from '../tokens/token-service.js';
import { prefixedStorage } from '../framework/storage.js';
import { destroyCubbyhole } from '../engines/cubbyhole/index.js';
import { LeaseOps } from './lease-ops.js';
import { Wrapping } from './wrapping.js';
import { createTokenBackend } from './token-backend.js';
import { issueLoginToken } from './login.js';
import type { Identity } from './identity.js';
import { AuditBroker, auditAuthFromToken, auditResponseFromCore, isAuditExempt, isAuditFailure, type AuditRequestInput } from '../audit/index.js';
import { Telemetry } from '../telemetry/index.js';
import type { TelemetryConfig } from '../server/config.js';
import { IdentityStore, identityEngine } from '../identity/index.js';
import { MountManager } from '../router/mount-manager.js';
import { type MountedEngine, Router } from '../router/router.js';
import type { Physical } from '../storage/physical.js';
import { createSystemBackend } from '../sys/index.js';
import { TokenStore, type TokenEntry } from '../tokens/token-store.js';
import { ipAllowed } from './cidr.js';
import type { CoreRequest, CoreResponse } from './request.js';
import { type SealConfig, newSealConfig, shareIndex } from './seal-config.js';

const SEAL_CONFIG_KEY = 'seal/config';
const CLUSTER_KEY = 'core/cluster';
/** System default and maximum lease TTL: 768h, as Vault. */
export const SYSTEM_DEFAULT_TTL = 2_764_800;

/** Paths under sys/ that answer while sealed (everything else is 503). */
const SEALED_OK = /^sys\/(init|seal-status|unseal|health|leader|generate-root\/.*|rekey\/.*)$/;

export interface CoreOptions {
  physical: Physical;
  /** Name shown in seal-status (`sqlite`, `inmem`). */
  storageType: string;
  factories: EngineFactory[];
  logger: Logger;
  clock?: Clock;
  defaultLeaseTTL?: number;
  maxLeaseTTL?: number;
  clusterName?: string;
  version?: string;
  /** The `telemetry` stanza of the server config. */
  telemetry?: TelemetryConfig;
  /** Built-in engines that need the core itself (identity); created once the core exists. */
  extraFactories?: (core: Core) => EngineFactory[];
}

export interface SealStatus {
  type: 'shamir';
  initialized: boolean;
  sealed: boolean;
  t: number;
  n: number;
  progress: number;
  nonce: string;
  version: string;
  build_date: string;
  migration: boolean;
  recovery_seal: boolean;
  storage_type: string;
  cluster_name?: string;
  cluster_id?: string;
}

export interface InitResult {
  keys: Buffer[];
  rootToken: string;
}

/**
 * The request pipeline and the seal state machine (DESIGN.md, "The path of a request"). Transport-neutral: http/
 * turns HTTP into `CoreRequest`s and renders the answers.
 */
export class Core {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly version: string;
  readonly storageType: string;
  readonly defaultLeaseTTL: number;
  readonly maxLeaseTTL: number;
  readonly barrier: Barrier;
  readonly router = new Router();
  readonly mounts: MountManager;
  readonly tokenStore: TokenStore;
  readonly tokens: TokenService;
  readonly policies: PolicyStore;
  readonly passwordPolicies: PasswordPolicyStore;
  readonly expiration: ExpirationManager;
  readonly leases: LeaseOps;
  /** Entities, aliases and groups. */
  readonly identity: Identity;
  /** Raw tokens of in-flight requests to the token store (lookup-self shows the token as `id`). */
  readonly rawTokens = new WeakMap<EngineRequest, string>();
  /** Requested wrap TTLs of in-flight requests (sys/wrapping/wrap must have one). */
  readonly rawWrapTTL = new WeakMap<EngineRequest, number>();
  readonly wrapping: Wrapping;
  readonly audit: AuditBroker;
  readonly telemetry: Telemetry;
  readonly telemetryConfig: TelemetryConfig | undefined;
  private readonly auditExemptOptions: { unauthenticatedMetrics: boolean };
  /** Compiled ACLs of entity-less tokens, by (frozen) token entry, with the policy store revision they were made at. */
  private readonly tokenACLs = new WeakMap<Readonly<TokenEntry>, { revision: number; acl: ACL }>();
  private readonly physical: Physical;
  private readonly sysMount: MountedEngine;
  private sealConfig: SealConfig | null = null;
  /** Distinct share indexes given so far, with their bytes, until the threshold is met. */
  private unsealShares = new Map<number, Buffer>();
  private unsealNonce = '';
  private cluster: { name: string; id: string } | null = null;
  private readonly configuredClusterName: string | undefined;
  private periodicTimer: NodeJS.Timeout | null = null;
  /** Serialises init/unseal/seal so that concurrent calls cannot interleave. */
  private sealLock: Promise<unknown> = Promise.resolve();

  constructor(options: CoreOptions) {
    this.physical = options.physical;
    this.storageType = options.storageType;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger;
    this.version = options.version ?? '0.1.0';
    this.defaultLeaseTTL = options.defaultLeaseTTL || SYSTEM_DEFAULT_TTL;
    this.maxLeaseTTL = options.maxLeaseTTL || SYSTEM_DEFAULT_TTL;
    this.configuredClusterName = options.clusterName;
    this.barrier = new Barrier(this.physical);
    this.tokenStore = new TokenStore(this.barrier);
    this.policies = new PolicyStore(prefixedStorage(this.barrier, 'sys/'));
    this.passwordPolicies = new PasswordPolicyStore(prefixedStorage(this.barrier, 'sys/'));
    this.leases = new LeaseOps(this);
    this.wrapping = new Wrapping(this);
    this.telemetryConfig = options.telemetry;
    this.auditExemptOptions = { unauthenticatedMetrics: options.telemetry?.unauthenticatedMetricsAccess === true };
    this.telemetry = new Telemetry({ ...(options.telemetry ? { config: options.telemetry } : {}), now: () => this.clock.now() });
    this.audit = new AuditBroker({ storage: this.barrier, logger: this.logger.child({ component: 'audit' }), metrics: this.telemetry });
    // Lease gauges (vault_expire_num_leases, ward_expire_leases{mount,state}) are counted when metrics are read.
    this.telemetry.addCollector(async () => {
      if (!this.sealed) this.telemetry.setLeaseCounts(await this.expiration.countsByMountState());
    });
    this.expiration = new ExpirationManager({
      storage: prefixedStorage(this.barrier, EXPIRATION_STORAGE_PREFIX),
      clock: this.clock,
      logger: this.logger.child({ component: 'expiration' }),
      targets: { revoke: (rec) => this.leases.revokeAtTarget(rec) },
      scrub: scrubSecrets,
    });
    this.tokens = new TokenService(
      this.tokenStore,
      this.expiration,
      this.clock,
      {
        defaultTTL: () => this.tokenMountView().defaultLeaseTTL(),
        maxTTL: () => this.tokenMountView().maxLeaseTTL(),
      },
      { destroyCubbyhole: (handle) => this.destroyCubbyholeOf(handle) },
      this.logger.child({ component: 'tokens' }),
    );
    const identityStore = new IdentityStore(prefixedStorage(this.barrier, 'sys/identity/'), this.clock);
    this.identity = identityStore;
    const identityFactory: EngineFactory = {
      type: 'identity',
      kind: 'secret',
      create: () => identityEngine(identityStore, (accessor) => this.mountByAccessor(accessor)),
    };
    const factories = new Map([...options.factories, createTokenBackend(this), identityFactory, ...(options.extraFactories?.(this) ?? [])].map((f) => [f.type, f]));
    this.mounts = new MountManager(
      this.barrier,
      this.router,
      factories,
      { now: () => this.clock.now(), defaultLeaseTTL: this.defaultLeaseTTL, maxLeaseTTL: this.maxLeaseTTL, generatePassword: (name) => this.passwordPolicies.generate(name) },
      this.logger,
    );
    const sysEntry = {
      path: 'sys/', type: 'system', description: 'system endpoints used for control, policy and debugging',
      uuid: '00000000-0000-0000-0000-000000000000', accessor: 'system_00000000', options: {}, local: false, sealWrap: true, builtin: true,
      config: { defaultLeaseTTL: 0, maxLeaseTTL: 0, forceNoCache: false },
    };
    const sysEngine: Engine = createSystemBackend(this);
    this.sysMount = { table: 'mounts', entry: sysEntry, engine: sysEngine, storage: this.barrier, fullPath: 'sys/' };
  }

  /** Serialises seal-state transitions. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.sealLock.then(fn, fn);
    this.sealLock = run.catch(() => undefined);
    return run;
  }

  get sealed(): boolean {
    return this.barrier.sealed;
  }

  /** Table row of the built-in sys mount (for listings). */
  get systemMount(): MountedEngine {
    return this.sysMount;
  }

  async readSealConfig(): Promise<SealConfig | null> {
    if (this.sealConfig) return this.sealConfig;
    const raw = await this.physical.get(SEAL_CONFIG_KEY);
    this.sealConfig = raw ? (JSON.parse(raw.toString('utf8')) as SealConfig) : null;
    return this.sealConfig;
  }

  async initialized(): Promise<boolean> {
    return (await this.readSealConfig()) !== null;
  }

  async sealStatus(): Promise<SealStatus> {
    const config = await this.readSealConfig();
    const status: SealStatus = {
      type: 'shamir',
      initialized: config !== null,
      sealed: this.sealed,
      t: config?.secretThreshold ?? 0,
      n: config?.secretShares ?? 0,
      progress: this.unsealShares.size,
      nonce: this.unsealNonce,
      version: this.version,
      build_date: '2026-11-23T00:00:00Z',
      migration: false,
      recovery_seal: false,
      storage_type: this.storageType,
    };
    if (!this.sealed && this.cluster) {
      status.cluster_name = this.cluster.name;
      status.cluster_id = this.cluster.id;
    }
    return status;
  }

  clusterInfo(): { name: string; id: string } | null {
    return this.sealed ? null : this.cluster;
  }

  /**
   * Initialises storage: a fresh unseal key split into Shamir shares, a root key and keyring, the built-in mounts
   * and a root token. Leaves the server sealed, as Vault does.
   */
  init(secretShares: number, secretThreshold: number, rootTokenId?: string): Promise<InitResult> {
    return this.exclusive(async () => {
      if (!Number.isInteger(secretShares) || secretShares < 1 || secretShares > 255) throw invalidRequest('invalid seal configuration: secret shares must be between 1 and 255');
      if (!Number.isInteger(secretThreshold) || secretThreshold < 1 || secretThreshold > secretShares) throw invalidRequest('invalid seal configuration: threshold must be between 1 and the number of shares');
      if (secretThreshold === 1 && secretShares > 1) throw invalidRequest('invalid seal configuration: threshold must be greater than one for multiple shares');
      if (await this.initialized()) throw invalidRequest('Vault is already initialized');
      const unsealKey = randomBytes(32);
      const keys = secretShares === 1 ? [Buffer.from(unsealKey)] : await splitKey(unsealKey, secretShares, secretThreshold);
      const config = newSealConfig(keys, secretThreshold);
      await this.barrier.initialize(unsealKey, this.clock.now());
      await this.barrier.unseal(unsealKey);
      let rootToken: string;
      try {
        this.cluster = { name: this.configuredClusterName ?? `ward-cluster-${randomBytes(4).toString('hex')}`, id: randomUUID() };
        await putJSON(this.barrier, CLUSTER_KEY, this.cluster);
        await this.mounts.load();
        await this.mounts.mount('mounts', { path: 'cubbyhole/', type: 'cubbyhole', description: 'per-token private secret storage', builtin: true, local: true });
        if (this.mounts.hasFactory('identity')) await this.mounts.mount('mounts', { path: 'identity/', type: 'identity', description: 'identity store', builtin: true });
        await this.mounts.mount('auth', { path: 'token/', type: 'token', description: 'token based credentials', builtin: true });
        await this.policies.ensureDefault();
        rootToken = (await this.createRootToken(rootTokenId)).token;
        // The seal config is written last: a crash before this point leaves the server uninitialised, not broken.
        await this.physical.put(SEAL_CONFIG_KEY, Buffer.from(JSON.stringify(config)));
        this.sealConfig = config;
      } finally {
        await this.sealInternal();
        unsealKey.fill(0);
      }
      this.logger.info({ shares: secretShares, threshold: secretThreshold }, 'server initialised');
      return { keys, rootToken };
    });
  }

  /** Adds one unseal share; unseals when the threshold is met. `reset` discards the progress. */
  unseal(key: Buffer | null, reset: boolean): Promise<SealStatus> {
    return this.exclusive(async () => {
      const config = await this.readSealConfig();
      if (!config) throw invalidRequest('Vault is not initialized');
      if (reset) {
        this.clearProgress();
        return this.sealStatus();
      }
      if (!this.sealed) return this.sealStatus();
      if (!key) throw invalidRequest("'key' must be specified in request body as JSON, or 'reset' set to true");
      const index = shareIndex(config, key);
      if (index < 0) throw invalidRequest('invalid key: this is not one of the unseal keys of this server');
      if (this.unsealShares.has(index)) throw invalidRequest('this unseal key has already been given; progress is unchanged');
      if (this.unsealShares.size === 0) this.unsealNonce = randomUUID();
      this.unsealShares.set(index, key);
      if (this.unsealShares.size < config.secretThreshold) return this.sealStatus();
      const shares = [...this.unsealShares.values()];
      let unsealKey: Buffer;
      try {
        unsealKey = shares.length === 1 ? Buffer.from(shares[0] as Buffer) : await combineShares(shares);
      } finally {
        this.clearProgress();
      }
      try {
        await this.barrier.unseal(unsealKey);
      } finally {
        unsealKey.fill(0);
      }
      await this.postUnseal();
      return this.sealStatus();
    });
  }

  private clearProgress(): void {
    for (const s of this.unsealShares.values()) s.fill(0);
    this.unsealShares = new Map();
    this.unsealNonce = '';
  }

  private async postUnseal(): Promise<void> {
    try {
      this.cluster = await getJSON<{ name: string; id: string }>(this.barrier, CLUSTER_KEY);
      await this.mounts.load();
      await this.policies.ensureDefault();
      await this.audit.load();
      this.expiration.start();
      this.startPeriodic();
      this.logger.info({}, 'server unsealed');
    } catch (err) {
      await this.sealInternal();
      throw err;
    }
  }

  seal(): Promise<void> {
    return this.exclusive(() => this.sealInternal());
  }

  private async sealInternal(): Promise<void> {
    if (this.periodicTimer) clearInterval(this.periodicTimer);
    this.periodicTimer = null;
    await this.expiration.stop();
    await this.audit.unload();
    await this.mounts.unload();
    this.tokenStore.reset();
    this.policies.invalidate();
    this.barrier.seal();
    this.logger.info({}, 'server sealed');
  }

  /**
   * Runs every engine's `periodic()` about once a minute (static-role rotation, clean-up of half-made credentials,
   * tidy). One slow or failing engine does not hold up the others, and a run is skipped while the previous one for
   * that mount is still going.
   */
  private startPeriodic(intervalMs = 60_000): void {
    const running = new Set<string>();
    this.periodicTimer = setInterval(() => {
      for (const m of this.router.all()) {
        if (!m.engine.periodic || running.has(m.entry.uuid)) continue;
        running.add(m.entry.uuid);
        m.engine.periodic()
          .catch((err: unknown) => this.logger.warn({ mount: m.fullPath, err: err instanceof Error ? err.message : String(err) }, 'periodic function failed'))
          .finally(() => running.delete(m.entry.uuid));
      }
    }, intervalMs).unref();
  }

  /** Rotates the barrier's data key (sys/rotate). */
  async rotate(): Promise<void> {
    await this.barrier.rotate(this.clock.now());
  }

  /** A root token (init, dev mode, generate-root): policies ["root"], never expires. */
  createRootToken(id?: string): Promise<{ token: string; entry: TokenEntry }> {
    return this.tokens.create({
      policies: ['root'], parentHandle: '', path: 'auth/token/root', displayName: 'root', meta: {}, ttl: 0, maxTTL: 0, explicitMaxTTL: 0,
      period: 0, numUses: 0, renewable: false, type: 'service', entityId: '', role: '', boundCidrs: [], authMountPath: '', authMountAccessor: '',
      loginInternal: {}, aliasName: '', allowNonExpiring: true, requestId: '', remoteAddress: '', ...(id ? { id } : {}),
    });
  }

  /** Path and type of the mount with this accessor, in either table (identity aliases show them). */
  mountByAccessor(accessor: string): { path: string; type: string } | undefined {
    const m = this.router.all().find((x) => x.entry.accessor === accessor);
    return m ? { path: m.fullPath, type: m.entry.type } : undefined;
  }

  /** The token mount's TTL defaults (auth/token/, tuned like any mount). */
  tokenMountView(): SystemView {
    const m = this.router.get('auth/token/');
    return m ? this.mounts.systemView(m.entry) : { now: () => this.clock.now(), defaultLeaseTTL: () => this.defaultLeaseTTL, maxLeaseTTL: () => this.maxLeaseTTL, generatePassword: (name) => this.passwordPolicies.generate(name) };
  }

  private async destroyCubbyholeOf(handle: string): Promise<void> {
    const cubby = this.router.get('cubbyhole/');
    if (cubby) await destroyCubbyhole(cubby.storage, handle);
  }

  /** Resolves the presented token; throws 403 when it is missing, unknown or expired. */
  async authenticate(token: string): Promise<Readonly<TokenEntry>> {
    if (token === '') throw permissionDenied();
    const entry = await this.tokens.resolve(token);
    // Vault's exact multierror text: clients that match on it keep working.
    if (!entry) throw new WardError('permission_denied', '2 errors occurred:\n\t* permission denied\n\t* invalid token\n\n');
    return entry;
  }

  /** Identity policies of a token's entity (group policies included). */
  async identityPolicies(entry: Readonly<TokenEntry>): Promise<string[]> {
    if (!entry.entityId) return [];
    return this.identity.policiesFor(entry.entityId);
  }

  /** The ACL {@link Core.aclFor} compiled for this token entry, if it is still current. */
  private cachedACL(entry: Readonly<TokenEntry>): ACL | undefined {
    const cached = this.tokenACLs.get(entry);
    return cached && cached.revision === this.policies.revision ? cached.acl : undefined;
  }

  /** The compiled ACL of a token: its policies, its entity's policies, templated with its entity. */
  async aclFor(entry: Readonly<TokenEntry>): Promise<ACL> {
    // Without an entity the ACL depends only on the token's policies and the policy store's contents. Store entries
    // are frozen (a changed token is a new object), so the ACL can hang off the entry until a policy changes.
    if (!entry.entityId && Object.isFrozen(entry) && Object.isFrozen(entry.policies)) {
      const revision = this.policies.revision;
      const cached = this.tokenACLs.get(entry);
      if (cached && cached.revision === revision) return cached.acl;
      const acl = await this.policies.acl(entry.policies);
      this.tokenACLs.set(entry, { revision, acl });
      return acl;
    }
    const names = [...entry.policies, ...(await this.identityPolicies(entry))];
    const template = entry.entityId ? await this.identity.templateContext(entry.entityId) : undefined;
    return this.policies.acl(names, template);
  }

  /** Routes a request through seal check → token → ACL → engine (DESIGN.md). Null means "nothing": 404 or 204. */
  async handle(req: CoreRequest): Promise<CoreResponse | null> {
    const started = performance.now();
    const login = { value: false };
    try {
      return await this.handleAudited(req, login);
    } finally {
      this.telemetry.observeRequest(performance.now() - started, login.value);
    }
  }

  /**
   * Routes a request through seal check → route → token → ACL → audit (request) → engine → lease/token/wrap →
   * audit (response). Auditing fails closed: a request no device can log is refused before the engine runs, and a
   * response no device can log is withheld, with whatever it issued revoked.
   */
  private async handleAudited(req: CoreRequest, login: { value: boolean }): Promise<CoreResponse | null> {
    const isSys = req.path === 'sys' || req.path.startsWith('sys/');
    if (this.sealed && !(isSys && SEALED_OK.test(req.path))) throw sealedError();
    // Whether the path is audited at all; entries are built only while a device is enabled (`this.logs`), which is
    // exactly when the broker would write them.
    const audited = !this.sealed && !isAuditExempt(req.path, this.auditExemptOptions);
    const auditIn: AuditRequestInput = { id: req.id, operation: req.operation, path: req.path, data: req.data, remoteAddress: req.remoteAddress };
    if (req.wrapTTL) auditIn.wrapTTL = req.wrapTTL;
    if (req.token) auditIn.clientToken = req.token;

    let prepared: Prepared;
    try {
      prepared = await this.prepare(req, auditIn);
    } catch (err) {
      if (audited && this.logs) await this.audit.logRequest({ ...auditIn, error: errorText(err) });
      throw err;
    }
    if ('help' in prepared) return prepared.help;
    const { mount, engineReq, match, caller } = prepared;
    login.value = mount.table === 'auth' && caller === null;
    if (audited && this.logs) await this.audit.logRequest(await this.withAuditAuth(auditIn, req, caller));

    let response: CoreResponse | null;
    let unwrapped: CoreResponse | null = null;
    try {
      const out = await runEngineOperation(engineReq, match);
      response = out === null ? null : { ...out, mountType: mount.entry.type };
      if (response?.auth && mount.table === 'auth') response = await issueLoginToken(this, mount, engineReq, req.path, response);
      if (response?.secret) response = await this.leases.registerSecret(mount, engineReq, req.path, caller, response);
      if (response && req.wrapTTL && !response.raw) {
        unwrapped = response;
        response = await this.wrapping.wrap(response, req.wrapTTL, req.path, req.id, req.remoteAddress);
      }
    } catch (err) {
      if (audited && this.logs) await this.audit.logResponse({ ...(await this.withAuditAuth(auditIn, req, caller)), error: errorText(err) });
      throw err;
    } finally {
      if (caller?.lastUse) await this.tokens.revokeTree(caller.entry.handle);
    }
    this.countIssued(mount, unwrapped ?? response);
    if (audited && this.logs) {
      try {
        await this.audit.logResponse({ ...(await this.withAuditAuth(auditIn, req, caller)), response: auditResponseFromCore(response, unwrapped) });
      } catch (err) {
        if (isAuditFailure(err)) await this.withdraw(unwrapped ?? response, response);
        throw err;
      }
    }
    return response;
  }

  /** Whether any audit device is enabled (the broker writes nothing otherwise). */
  private get logs(): boolean {
    return this.audit.count > 0;
  }

  /** Adds the caller to the audit input (once; again at logging time if a device was enabled since routing). */
  private async withAuditAuth(auditIn: AuditRequestInput, req: CoreRequest, caller: Caller | null): Promise<AuditRequestInput> {
    if (caller && !auditIn.auth) auditIn.auth = auditAuthFromToken(req.token, caller.entry, await this.identityPolicies(caller.entry), this.clock.now());
    return auditIn;
  }

  /** Routing, create-vs-update, and access control; fills in the audit input as it learns the mount. */
  private async prepare(req: CoreRequest, auditIn: AuditRequestInput): Promise<Prepared> {
    const isSys = req.path === 'sys' || req.path.startsWith('sys/');
    let mount: MountedEngine;
    let relPath: string;
    if (isSys) {
      mount = this.sysMount;
      relPath = req.path.slice(4);
    } else {
      const route = this.router.match(req.path);
      if (!route) throw notFound(`no handler for route "${req.path}". route entry not found.`);
      mount = route.mount;
      relPath = route.relPath;
    }
    const engine = mount.engine;
    const entry = mount.entry;
    Object.assign(auditIn, { mountType: entry.type, mountPoint: mount.fullPath, mountAccessor: entry.accessor, mountClass: mount.table === 'auth' ? 'auth' : 'secret' });
    const engineReq: EngineRequest = {
      id: req.id,
      operation: req.operation,
      path: relPath,
      data: req.data,
      storage: mount.storage,
      mount: { path: mount.fullPath, type: entry.type, uuid: entry.uuid, accessor: entry.accessor, options: entry.options },
      system: this.mounts.systemView(entry),
      auth: null,
      remoteAddress: req.remoteAddress,
      logger: new LazyChildLogger(this.logger, { request_id: req.id, mount: mount.fullPath }),
    };
    if (req.operation === 'help' && (relPath === '' || !matchPath(engine.paths, relPath))) {
      await this.checkAccess(req, engine, relPath, mount, engineReq);
      return { help: helpResponse(engineHelp(engine)) };
    }
    const match = routeEngineRequest(engine, relPath);
    if (req.operation === 'update' || req.operation === 'create') {
      engineReq.operation = await resolveWriteOperation(engineReq, match);
      auditIn.operation = engineReq.operation;
    }
    const caller = await this.checkAccess(req, engine, relPath, mount, engineReq);
    if (this.logs) await this.withAuditAuth(auditIn, req, caller);
    if (entry.type === 'token' || entry.type === 'system') this.rawTokens.set(engineReq, req.token);
    if (req.wrapTTL) this.rawWrapTTL.set(engineReq, req.wrapTTL);
    return { mount, engineReq, match, caller };
  }

  /** Metrics for what a response issued (labels: mount paths and types, never values). */
  private countIssued(mount: MountedEngine, resp: CoreResponse | null): void {
    const auth = resp?.issuedAuth;
    if (auth) {
      this.telemetry.tokenCreated({ authMethod: mount.entry.type, mountPoint: mount.fullPath, tokenType: String(auth.token_type ?? 'service'), ttlSeconds: Number(auth.lease_duration ?? 0) });
    }
    if (resp?.leaseId && resp.leaseTimeline) {
      this.telemetry.leaseCreated({ secretEngine: mount.entry.type, mountPoint: mount.fullPath, ttlSeconds: resp.leaseDuration ?? 0 });
    }
  }

  /** Revokes what an unlogged response issued: no credential may be live that the audit log does not show. */
  private async withdraw(resp: CoreResponse | null, sent: CoreResponse | null): Promise<void> {
    const undo: Array<Promise<unknown>> = [];
    if (resp?.leaseId) undo.push(this.expiration.revoke(resp.leaseId));
    const accessor = resp?.issuedAuth?.accessor;
    if (typeof accessor === 'string' && accessor) {
      undo.push(this.tokenStore.byAccessor(accessor).then((e) => (e ? this.tokens.revokeTree(e.handle) : undefined)));
    }
    const wrapAccessor = sent?.wrapInfo?.accessor;
    if (typeof wrapAccessor === 'string' && wrapAccessor) {
      undo.push(this.tokenStore.byAccessor(wrapAccessor).then((e) => (e ? this.tokens.revokeTree(e.handle) : undefined)));
    }
    const results = await Promise.allSettled(undo);
    for (const r of results) if (r.status === 'rejected') this.logger.error({ err: String(r.reason) }, 'could not withdraw a credential whose response was not audited');
  }

  private async checkAccess(req: CoreRequest, engine: Engine, relPath: string, _mount: MountedEngine, engineReq: EngineRequest): Promise<Caller | null> {
    if (matchesAny(engine.special?.unauthenticated, relPath)) {
      // A token on an unauthenticated path is used when valid (it may widen what the path shows), never required.
      const known = req.token === '' || this.sealed ? null : await this.tokens.resolve(req.token);
      if (known) engineReq.auth = requestAuth(known);
      return null;
    }
    const token = await this.authenticate(req.token);
    if (token.boundCidrs.length > 0 && !ipAllowed(req.remoteAddress, token.boundCidrs)) throw permissionDenied();
    if (token.entityId && (await this.identity.entityDisabled(token.entityId))) throw permissionDenied();
    engineReq.auth = requestAuth(token);
    const sudo = matchesAny(engine.special?.sudo, relPath);
    const acl = this.cachedACL(token) ?? (await this.aclFor(token));
    const verdict = acl.check({ operation: engineReq.operation, path: req.path, data: req.data, sudo, ...(req.wrapTTL ? { wrapTTL: req.wrapTTL } : {}) });
    if (!verdict.allowed) {
      this.logger.debug({ request_id: req.id, path: req.path, reason: verdict.reason }, 'permission denied');
      throw permissionDenied();
    }
    // Only use-limited tokens have a use to spend (TokenService.use answers false for the others).
    return { entry: token, lastUse: token.numUses > 0 ? await this.tokens.use(token) : false };
  }
}

function requestAuth(token: Readonly<TokenEntry>): RequestAuth {
  return {
    displayName: token.displayName,
    policies: token.policies,
    entityId: token.entityId,
    accessor: token.accessor,
    metadata: token.meta,
    tokenHandle: token.handle,
  };
}

/** Vault's special-path matching: exact, or prefix when the pattern ends with `*`. */
function matchesAny(patterns: readonly string[] | undefined, path: string): boolean {
  if (!patterns) return false;
  return patterns.some((p) => (p.endsWith('*') ? path.startsWith(p.slice(0, -1)) : path === p || path === `${p}/`));
}

/** shamir-secret-sharing insists on plain Uint8Arrays (a Buffer fails its check); the copies are wiped after use. */
async function splitKey(key: Buffer, shares: number, threshold: number): Promise<Buffer[]> {
  const plain = new Uint8Array(key);
  try {
    return (await split(plain, shares, threshold)).map((s) => Buffer.from(s));
  } finally {
    plain.fill(0);
  }
}

async function combineShares(shares: Buffer[]): Promise<Buffer> {
  const plain = shares.map((b) => new Uint8Array(b));
  try {
    return Buffer.from(await combine(plain));
  } finally {
    for (const p of plain) p.fill(0);
  }
}

/**
 * A child logger made on first use: most requests never log, and a pino child costs a serialisation. A class rather
 * than closures: one small object per request.
 */
class LazyChildLogger implements Logger {
  private made: Logger | undefined;

  constructor(
    private readonly parent: Logger,
    private readonly bindings: Record<string, unknown>,
  ) {}

  private get logger(): Logger {
    return (this.made ??= this.parent.child(this.bindings));
  }

  trace(obj: Record<string, unknown>, msg?: string): void {
    this.logger.trace(obj, msg);
  }

  debug(obj: Record<string, unknown>, msg?: string): void {
    this.logger.debug(obj, msg);
  }

  info(obj: Record<string, unknown>, msg?: string): void {
    this.logger.info(obj, msg);
  }

  warn(obj: Record<string, unknown>, msg?: string): void {
    this.logger.warn(obj, msg);
  }

  error(obj: Record<string, unknown>, msg?: string): void {
    this.logger.error(obj, msg);
  }

  child(bindings: Record<string, unknown>): Logger {
    return this.logger.child(bindings);
  }
}

/** A child logger made on first use (see {@link LazyChildLogger}). */
export function lazyChildLogger(parent: Logger, bindings: Record<string, unknown>): Logger {
  return new LazyChildLogger(parent, bindings);
}

/** The token behind an authenticated request, and whether this request spent its last use. */
interface Caller {
  entry: Readonly<TokenEntry>;
  lastUse: boolean;
}

type Prepared =
  | { help: CoreResponse }
  | { mount: MountedEngine; engineReq: EngineRequest; match: PathMatch; caller: Caller | null };

/** The client-facing text of an error, for the audit entry (never an internal error's own message). */
function errorText(err: unknown): string {
  return err instanceof WardError ? err.messages.join('; ') || err.code : 'internal error';
}

/**
 * A last line of defence for revocation errors stored in lease records and logs: engines scrub their own errors,
 * but a message must never carry credentials in a URL or a password literal, whatever produced it.
 */
export function scrubSecrets(message: string): string {
  return message
    .replace(/(\w+:\/\/[^:/\s@]*):[^@\s]*@/g, '$1:***@')
    .replace(/(password\s*(?:=|:|\s)\s*)('[^']*'|"[^"]*"|\S+)/gi, '$1***')
    .replace(/\b(hv[sb]\.[A-Za-z0-9]{10,})\b/g, '***');
}
