import {
  isWardError,
  prefixedStorage,
  resolveWriteOperation,
  routeEngineRequest,
  runEngineOperation,
  silentLogger,
  type EngineRequest,
  type EngineResponse,
  type Operation,
  type Storage,
  type WardError,
} from '../framework/index.js';
import { ManualClock } from '../lib/clock.js';
import { InmemPhysical } from '../storage/inmem/inmem-physical.js';
import { IdentityStore, identityEngine } from './index.js';

/**
 * Test support (excluded from the build): an identity store on the real in-memory backend, and its `identity/`
 * paths driven the way the core drives an engine — route, resolve create/update, run.
 */

export const START = Date.UTC(2024, 0, 2, 3, 4, 5, 678);

export const USERPASS = { accessor: 'auth_userpass_1a2b3c4d', type: 'userpass', path: 'auth/userpass/' };
export const APPROLE = { accessor: 'auth_approle_5e6f7a8b', type: 'approle', path: 'auth/approle/' };

export interface Harness {
  physical: InmemPhysical;
  storage: Storage;
  clock: ManualClock;
  store: IdentityStore;
  /** Mounts `mountInfo` knows, by accessor; tests add and remove entries. */
  mounts: Map<string, { path: string; type: string }>;
  call(operation: Operation, path: string, data?: Record<string, unknown>): Promise<EngineResponse | null>;
  /** The response's `data`, failing the test when there is none. */
  data(operation: Operation, path: string, body?: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Expects a WardError and returns it. */
  fail(operation: Operation, path: string, data?: Record<string, unknown>): Promise<WardError>;
}

export function harness(physical = new InmemPhysical()): Harness {
  const storage = prefixedStorage(physical, 'sys/identity/');
  const clock = new ManualClock(START);
  const store = new IdentityStore(storage, clock);
  const mounts = new Map([USERPASS, APPROLE].map((m) => [m.accessor, { path: m.path, type: m.type }]));
  const engine = identityEngine(store, (accessor) => mounts.get(accessor));
  const mount = { path: 'identity/', type: 'identity', uuid: 'uuid-identity', accessor: 'identity_0a1b2c3d', options: {} };
  const system = { now: () => clock.now(), defaultLeaseTTL: () => 2_764_800, maxLeaseTTL: () => 2_764_800 };
  let counter = 0;

  const call: Harness['call'] = async (operation, path, data = {}) => {
    // The core appends "/" to list paths.
    const relPath = operation === 'list' && !path.endsWith('/') ? `${path}/` : path;
    const req: EngineRequest = {
      id: `req-${++counter}`, operation, path: relPath, data, storage, mount, system, auth: null, remoteAddress: '127.0.0.1', logger: silentLogger,
    };
    const match = routeEngineRequest(engine, relPath);
    const resolved = await resolveWriteOperation(req, match);
    return runEngineOperation({ ...req, operation: resolved }, match);
  };

  const data: Harness['data'] = async (operation, path, body) => {
    const res = await call(operation, path, body);
    if (!res?.data) throw new Error(`expected data from ${operation} ${path}, got ${JSON.stringify(res)}`);
    return res.data;
  };

  const fail: Harness['fail'] = async (operation, path, body) => {
    try {
      await call(operation, path, body);
    } catch (err) {
      if (isWardError(err)) return err;
      throw err;
    }
    throw new Error(`expected ${operation} ${path} to fail`);
  };

  return { physical, storage, clock, store, mounts, call, data, fail };
}
