import {
  isWardError,
  resolveWriteOperation,
  routeEngineRequest,
  runEngineOperation,
  silentLogger,
  type Engine,
  type EngineRequest,
  type EngineResponse,
  type Operation,
  type PathSpec,
  type Storage,
  type WardError,
} from '../framework/index.js';

/**
 * Test support (excluded from the build like other suites): drives sys paths the way the core does — route,
 * resolve create/update with the existence check, run — without the rest of the core.
 */
export interface SysHarness {
  /** The operation the existence check chose for the last write. */
  lastOperation(): Operation | undefined;
  call(operation: Operation, path: string, data?: Record<string, unknown>): Promise<EngineResponse | null>;
  fail(operation: Operation, path: string, data?: Record<string, unknown>): Promise<WardError>;
  /** The request of the last call, as the handler saw it. */
  lastRequest(): EngineRequest | undefined;
}

export function sysHarness(paths: PathSpec[], storage: Storage): SysHarness {
  const engine: Engine = { help: 'test', paths };
  let last: Operation | undefined;
  let lastReq: EngineRequest | undefined;
  let counter = 0;

  const call: SysHarness['call'] = async (operation, path, data = {}) => {
    const relPath = operation === 'list' && !path.endsWith('/') ? `${path}/` : path;
    const req: EngineRequest = {
      id: `req-${++counter}`,
      operation,
      path: relPath,
      data,
      storage,
      mount: { path: 'sys/', type: 'system', uuid: 'sys-uuid', accessor: 'system_1', options: {} },
      system: { now: () => 0, defaultLeaseTTL: () => 2_764_800, maxLeaseTTL: () => 2_764_800 },
      auth: { displayName: 'token', policies: ['default'], entityId: '', accessor: 'caller-accessor', metadata: {}, tokenHandle: 'h' },
      remoteAddress: '127.0.0.1',
      logger: silentLogger,
    };
    lastReq = req;
    const match = routeEngineRequest(engine, relPath);
    const resolved = await resolveWriteOperation(req, match);
    if (operation === 'create' || operation === 'update') last = resolved;
    return runEngineOperation({ ...req, operation: resolved }, match);
  };

  const fail: SysHarness['fail'] = async (operation, path, data) => {
    try {
      await call(operation, path, data);
    } catch (err) {
      if (isWardError(err)) return err;
      throw err;
    }
    throw new Error(`expected ${operation} ${path} to fail`);
  };

  return { lastOperation: () => last, call, fail, lastRequest: () => lastReq };
}
