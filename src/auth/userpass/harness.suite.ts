import {
  isWardError,
  prefixedStorage,
  resolveWriteOperation,
  routeEngineRequest,
  runEngineOperation,
  silentLogger,
  type Engine,
  type EngineRequest,
  type EngineResponse,
  type Logger,
  type Operation,
  type RequestAuth,
  type Storage,
  type WardError,
} from '../../framework/index.js';
import { InmemPhysical } from '../../storage/inmem/inmem-physical.js';
import { nodeRsArgon2, type Argon2Functions } from './password.js';
import { createUserpassEngine } from './index.js';

/**
 * Test support (excluded from the build): mounts userpass on real in-memory storage and drives it the way the core
 * does — route, existence check, run — with cheap Argon2 parameters and counted Argon2 calls.
 */

export const MOUNT_UUID = 'uuid-up';
export const STORAGE_PREFIX = `logical/${MOUNT_UUID}/`;
/** Cheap parameters so the suite stays fast; the production ones are tested separately. */
export const TEST_PARAMS = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

export interface CountingArgon2 extends Argon2Functions {
  /** Hashes passed to `verify`, in order. */
  verified: string[];
  hashes: number;
  /** Awaited before each hash, so a test can interleave another request with a login's rehash. */
  beforeHash?: (() => Promise<void>) | undefined;
}

export function countingArgon2(inner: Argon2Functions = nodeRsArgon2): CountingArgon2 {
  const c: CountingArgon2 = {
    verified: [],
    hashes: 0,
    hash: async (password, params) => {
      c.hashes += 1;
      await c.beforeHash?.();
      return inner.hash(password, params);
    },
    verify: async (phc, password) => {
      c.verified.push(phc);
      return inner.verify(phc, password);
    },
  };
  return c;
}

export interface CallOptions {
  remoteAddress?: string;
  auth?: RequestAuth | null;
}

export interface Mounted {
  engine: Engine;
  physical: InmemPhysical;
  storage: Storage;
  argon2: CountingArgon2;
  warnings: string[];
  lastOperation(): Operation | undefined;
  call(operation: Operation, path: string, data?: Record<string, unknown>, options?: CallOptions): Promise<EngineResponse | null>;
  fail(operation: Operation, path: string, data?: Record<string, unknown>, options?: CallOptions): Promise<WardError>;
  request(operation: Operation, path: string, data?: Record<string, unknown>): EngineRequest;
}

const ROOT: RequestAuth = { displayName: 'root', policies: ['root'], entityId: '', accessor: 'acc', metadata: {}, tokenHandle: 'h' };

export async function mountUserpass(): Promise<Mounted> {
  const physical = new InmemPhysical();
  const storage = prefixedStorage(physical, STORAGE_PREFIX);
  const argon2 = countingArgon2();
  const engine = await createUserpassEngine({ argon2, argon2Params: TEST_PARAMS });
  await engine.init?.();
  const warnings: string[] = [];
  const logger: Logger = { ...silentLogger, warn: (_o, msg) => void warnings.push(msg ?? ''), child: () => logger };
  let last: Operation | undefined;
  let counter = 0;

  const request: Mounted['request'] = (operation, path, data = {}) => ({
    id: `req-${++counter}`,
    operation,
    path,
    data,
    storage,
    mount: { path: 'auth/userpass/', type: 'userpass', uuid: MOUNT_UUID, accessor: 'auth_userpass_1234', options: {} },
    system: { now: () => Date.UTC(2024, 0, 2), defaultLeaseTTL: () => 2_764_800, maxLeaseTTL: () => 2_764_800 },
    auth: ROOT,
    remoteAddress: '127.0.0.1',
    logger,
  });

  const call: Mounted['call'] = async (operation, path, data = {}, opts = {}) => {
    // The core appends "/" to list paths.
    const relPath = operation === 'list' && !path.endsWith('/') ? `${path}/` : path;
    const req = { ...request(operation, relPath, data), ...opts };
    const match = routeEngineRequest(engine, relPath);
    const resolved = await resolveWriteOperation(req, match);
    if (operation === 'create' || operation === 'update') last = resolved;
    return runEngineOperation({ ...req, operation: resolved }, match);
  };

  const fail: Mounted['fail'] = async (operation, path, data, opts) => {
    try {
      await call(operation, path, data, opts);
    } catch (err) {
      if (isWardError(err)) return err;
      throw err;
    }
    throw new Error(`expected ${operation} ${path} to fail`);
  };

  return { engine, physical, storage, argon2, warnings, lastOperation: () => last, call, fail, request };
}

/** The raw JSON of a user record as the storage backend holds it (under the mount's prefix). */
export async function rawRecord(m: Mounted, name: string): Promise<string | null> {
  const raw = await m.physical.get(`${STORAGE_PREFIX}user/${name}`);
  return raw === null ? null : raw.toString('utf8');
}
