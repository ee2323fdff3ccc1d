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
  type SystemView,
  type WardError,
} from '../../framework/index.js';
import { InmemPhysical } from '../../storage/inmem/inmem-physical.js';
import { createApprole, type ApproleEngine } from './index.js';

/**
 * Test support (excluded from the build): mounts AppRole on the real in-memory backend and drives it the way the
 * core does — route, resolve create/update with the existence check, run. Records every HMAC and storage read so
 * tests can compare the work two requests did.
 */

export interface FakeSystem extends SystemView {
  advance(ms: number): void;
}

export const DEFAULT_LEASE_TTL = 2_764_800;

export function fakeSystem(maxLeaseTTL = DEFAULT_LEASE_TTL, start = Date.UTC(2024, 0, 2, 3, 4, 5, 678)): FakeSystem {
  let current = start;
  return {
    now: () => current,
    defaultLeaseTTL: () => DEFAULT_LEASE_TTL,
    maxLeaseTTL: () => maxLeaseTTL,
    advance: (ms) => {
      current += ms;
    },
  };
}

export interface CallOptions {
  remoteAddress?: string;
}

export interface Mounted {
  engine: ApproleEngine;
  system: FakeSystem;
  physical: InmemPhysical;
  storage: Storage;
  /** Work done so far: `hmac` per HMAC computed, `get:<key>` per storage read. Tests may clear it. */
  trace: string[];
  lastOperation: () => Operation | undefined;
  call(operation: Operation, path: string, data?: Record<string, unknown>, options?: CallOptions): Promise<EngineResponse | null>;
  fail(operation: Operation, path: string, data?: Record<string, unknown>, options?: CallOptions): Promise<WardError>;
  /** Writes a role (POST role/:name) and returns its role ID. */
  role(name: string, data?: Record<string, unknown>): Promise<string>;
  /** Issues a secret ID (POST role/:name/secret-id) and returns the response data. */
  secretId(name: string, data?: Record<string, unknown>): Promise<{ secret_id: string; secret_id_accessor: string; secret_id_ttl: number; secret_id_num_uses: number }>;
}

function tracedStorage(inner: Storage, trace: string[]): Storage {
  return {
    ...inner,
    get: (key) => {
      trace.push(`get:${key}`);
      return inner.get(key);
    },
  };
}

export async function mountApprole(options: { maxLeaseTTL?: number } = {}): Promise<Mounted> {
  const physical = new InmemPhysical();
  const trace: string[] = [];
  const storage = tracedStorage(prefixedStorage(physical, 'auth/uuid-1/'), trace);
  const system = fakeSystem(options.maxLeaseTTL);
  const mountInfo = { path: 'auth/approle/', type: 'approle', uuid: 'uuid-1', accessor: 'auth_approle_1234', options: {} };
  const engine = createApprole({ mount: mountInfo, storage, system, logger: silentLogger }, { onHmac: () => trace.push('hmac') });
  await engine.init?.();
  let last: Operation | undefined;
  let counter = 0;

  const call: Mounted['call'] = async (operation, path, data = {}, opts = {}) => {
    const relPath = operation === 'list' && path !== '' && !path.endsWith('/') ? `${path}/` : path;
    const req: EngineRequest = {
      id: `req-${++counter}`,
      operation,
      path: relPath,
      data,
      storage,
      mount: mountInfo,
      system,
      auth: path === 'login' ? null : { displayName: 'token', policies: ['root'], entityId: '', accessor: 'acc', metadata: {}, tokenHandle: 'h' },
      remoteAddress: opts.remoteAddress ?? '127.0.0.1',
      logger: silentLogger,
    };
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

  const role: Mounted['role'] = async (name, data = {}) => {
    await call('update', `role/${name}`, data);
    const res = await call('read', `role/${name}/role-id`);
    return String(res?.data?.role_id);
  };

  const secretId: Mounted['secretId'] = async (name, data = {}) => {
    const res = await call('update', `role/${name}/secret-id`, data);
    return res?.data as Awaited<ReturnType<Mounted['secretId']>>;
  };

  return { engine, system, physical, storage, trace, lastOperation: () => last, call, fail, role, secretId };
}
