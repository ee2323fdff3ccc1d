import { prefixedStorage, silentLogger, type EngineFactory, type EngineRequest, type EngineResponse, type Storage } from '../../framework/index.js';
import { InmemPhysical } from '../../storage/inmem/inmem-physical.js';
import { failureOf, fakeSystem, mount, type FakeSystem, type Mounted } from '../kv/harness.suite.js';
import { databaseEngine } from './index.js';

/**
 * Test support (excluded from the build): a database mount driven through the framework's dispatch, on real in-memory
 * storage, with a clock at the real time (PostgreSQL compares VALID UNTIL with its own clock), plus the lease hooks
 * the core would run.
 */
export interface DbMount extends Mounted {
  /** Runs the `creds` secret's revoke hook for a credential response, as the expiration manager would. */
  revoke(resp: EngineResponse | null): Promise<void>;
  /** Runs the renew hook with the lease's new expiry. */
  renew(resp: EngineResponse | null, expireTime: number): Promise<void>;
  /** The mount's storage (to look at or plant write-ahead records). */
  storage: Storage;
}

function hookRequest(m: Mounted): EngineRequest {
  return {
    id: 'hook',
    operation: 'delete',
    path: 'creds/x',
    data: {},
    storage: m.storage,
    mount: { path: 'database/', type: 'database', uuid: 'uuid-db', accessor: 'database_1', options: {} },
    system: m.system,
    auth: null,
    remoteAddress: '127.0.0.1',
    logger: silentLogger,
  };
}

export async function mountDatabase(factory: EngineFactory = databaseEngine, system: FakeSystem = fakeSystem(Date.now())): Promise<DbMount> {
  const storage = prefixedStorage(new InmemPhysical(), 'logical/uuid-db/');
  const m = await mount(factory, storage, {}, system);
  const secret = (): NonNullable<typeof m.engine.secrets>[number] => {
    const s = m.engine.secrets?.[0];
    if (!s) throw new Error('the database engine declares no secret');
    return s;
  };
  const internalOf = (resp: EngineResponse | null): Record<string, unknown> => {
    if (!resp?.secret) throw new Error('not a leased response');
    return secret().internal.parse(resp.secret.internal) as Record<string, unknown>;
  };
  const revokeInternal = async (internal: Record<string, unknown>): Promise<void> => {
    await secret().revoke(hookRequest(m), { leaseId: 'database/creds/x/1', internal, issueTime: 0, expireTime: 0, increment: 0 });
  };
  // Plays the core's part after a leased response (LeaseOps.registerSecret): the lease is "recorded", then the open
  // creation completes; if it fails, the lease is revoked at once (the core would retry that until it succeeds).
  const call: Mounted['call'] = async (operation, path, data, opts) => {
    const resp = await m.call(operation, path, data, opts);
    const leased = resp?.secret;
    if (!resp || !leased?.creation) return resp;
    const { creation, ...secretRest } = leased;
    creation.leaseRecorded(null);
    try {
      await creation.created;
    } catch (err) {
      await revokeInternal(internalOf(resp));
      throw err;
    }
    return { ...resp, secret: secretRest };
  };
  return {
    ...m,
    call,
    fail: failureOf(call),
    storage,
    revoke: async (resp) => revokeInternal(internalOf(resp)),
    renew: async (resp, expireTime) => {
      const internal = internalOf(resp);
      await secret().renew?.(hookRequest(m), { leaseId: 'database/creds/x/1', internal, issueTime: 0, expireTime, increment: 0 });
    },
  };
}
