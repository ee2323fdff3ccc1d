import {
  isWardError,
  resolveWriteOperation,
  routeEngineRequest,
  runEngineOperation,
  silentLogger,
  type Engine,
  type EngineFactory,
  type EngineRequest,
  type EngineResponse,
  type Operation,
  type RequestAuth,
  type Storage,
  type SystemView,
  type WardError,
} from '../../framework/index.js';

/**
 * Test support (excluded from the build, like conformance suites): drives an engine the way the core does —
 * route, resolve create/update with the existence check, run — against a real storage the test supplies.
 */

/** A SystemView whose clock the test moves. */
export interface FakeSystem extends SystemView {
  set(ms: number): void;
  advance(ms: number): void;
}

export const DEFAULT_LEASE_TTL = 2_764_800;

export function fakeSystem(start = Date.UTC(2024, 0, 2, 3, 4, 5, 678)): FakeSystem {
  let current = start;
  return {
    now: () => current,
    defaultLeaseTTL: () => DEFAULT_LEASE_TTL,
    maxLeaseTTL: () => DEFAULT_LEASE_TTL,
    set: (ms) => {
      current = ms;
    },
    advance: (ms) => {
      current += ms;
    },
  };
}

export function authFor(tokenHandle: string): RequestAuth {
  return { displayName: 'token', policies: ['default'], entityId: '', accessor: 'acc', metadata: {}, tokenHandle };
}

export interface CallOptions {
  auth?: RequestAuth | null;
}

export interface Mounted {
  engine: Engine;
  system: FakeSystem;
  storage: Storage;
  /** The operation the existence check chose for the last write (`create` or `update`). */
  lastOperation: () => Operation | undefined;
  call(operation: Operation, path: string, data?: Record<string, unknown>, options?: CallOptions): Promise<EngineResponse | null>;
  /** Like `call`, but expects a WardError and returns it. */
  fail(operation: Operation, path: string, data?: Record<string, unknown>, options?: CallOptions): Promise<WardError>;
}

export async function mount(
  factory: EngineFactory,
  storage: Storage,
  options: Record<string, string> = {},
  system: FakeSystem = fakeSystem(),
): Promise<Mounted> {
  const mountInfo = { path: `${factory.type}/`, type: factory.type, uuid: 'uuid-1', accessor: `${factory.type}_1234`, options };
  const engine = await factory.create({ mount: mountInfo, storage, system, logger: silentLogger });
  await engine.init?.();
  let last: Operation | undefined;
  let counter = 0;

  const call: Mounted['call'] = async (operation, path, data = {}, opts = {}) => {
    // The core appends "/" to list paths, so `x` and `x/` list the same.
    const relPath = operation === 'list' && path !== '' && !path.endsWith('/') ? `${path}/` : path;
    const req: EngineRequest = {
      id: `req-${++counter}`,
      operation,
      path: relPath,
      data,
      storage,
      mount: mountInfo,
      system,
      auth: opts.auth === undefined ? authFor('handle-a') : opts.auth,
      remoteAddress: '127.0.0.1',
      logger: silentLogger,
    };
    const match = routeEngineRequest(engine, relPath);
    const resolved = await resolveWriteOperation(req, match);
    if (operation === 'create' || operation === 'update') last = resolved;
    return runEngineOperation({ ...req, operation: resolved }, match);
  };

  return { engine, system, storage, lastOperation: () => last, call, fail: failureOf(call) };
}

/** A harness's `fail`: runs `call` and returns the WardError it throws; the test fails if it does not throw one. */
export function failureOf<O extends string, D, X>(call: (operation: O, path: string, data?: D, opts?: X) => Promise<unknown>): (operation: O, path: string, data?: D, opts?: X) => Promise<WardError> {
  return async (operation, path, data, opts) => {
    try {
      await call(operation, path, data, opts);
    } catch (err) {
      if (isWardError(err)) return err;
      throw err;
    }
    throw new Error(`expected ${operation} ${path} to fail`);
  };
}
