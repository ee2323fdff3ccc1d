import { describe, expect, it } from 'vitest';
import { ExpirationManager } from '../expiration/expiration-manager.js';
import { dueKey, type LeaseRecord } from '../expiration/lease-record.js';
import { prefixedStorage, type BatchOp, type Storage } from '../framework/storage.js';
import { silentLogger } from '../framework/logger.js';
import { ManualClock } from '../lib/clock.js';
import { InmemPhysical } from '../storage/inmem/inmem-physical.js';
import { TokenService, type TokenSpec } from './token-service.js';
import { TokenStore } from './token-store.js';

const START = Date.UTC(2024, 0, 2, 3, 4, 5);

function setup(): { root: InmemPhysical; batches: BatchOp[][]; tokens: TokenService; expiration: ExpirationManager; revoked: string[] } {
  const root = new InmemPhysical();
  const batches: BatchOp[][] = [];
  const storage: Storage = {
    ...root,
    get: (key) => root.get(key),
    put: (key, value) => root.put(key, value),
    delete: (key) => root.delete(key),
    list: (prefix, options) => root.list(prefix, options),
    scan: (range) => root.scan(range),
    batch: (ops) => {
      batches.push(ops);
      return root.batch(ops);
    },
  };
  const clock = new ManualClock(START);
  const revoked: string[] = [];
  const expiration = new ExpirationManager({
    storage: prefixedStorage(storage, 'expire/'),
    clock,
    logger: silentLogger,
    targets: {
      revoke: async (rec: LeaseRecord) => {
        revoked.push(rec.id);
        await expiration.forget(rec.id);
      },
    },
  });
  const tokens = new TokenService(new TokenStore(storage), expiration, clock, { defaultTTL: () => 3600, maxTTL: () => 86_400 }, { destroyCubbyhole: async () => undefined }, silentLogger);
  return { root, batches, tokens, expiration, revoked };
}

const spec = (overrides: Partial<TokenSpec> = {}): TokenSpec => ({
  policies: ['default'], parentHandle: '', path: 'auth/approle/login', displayName: 'approle', meta: {}, ttl: 3600, maxTTL: 0, explicitMaxTTL: 0,
  period: 0, numUses: 0, renewable: true, type: 'service', entityId: '', role: '', boundCidrs: [], authMountPath: 'auth/approle/',
  authMountAccessor: 'auth_approle_1', loginInternal: {}, aliasName: '', allowNonExpiring: false, requestId: 'req-1', remoteAddress: '127.0.0.1',
  ...overrides,
});

const keysOf = async (root: InmemPhysical): Promise<string[]> => (await root.scan({ start: '', end: '\u{10ffff}' })).map((e) => e.key).filter((k) => k !== 'sys/token/salt');

describe('TokenService.create', () => {
  it('stores a token, its accessor, its life lease and its due-time entry in one batch, without a by-token entry', async () => {
    const { root, batches, tokens } = setup();
    await tokens.store.handleOf('warm the salt up');
    batches.length = 0;
    const { entry } = await tokens.create(spec());
    expect(batches.map((ops) => ops.map((o) => o.key))).toEqual([
      [`sys/token/id/${entry.handle}`, `expire/lease/${entry.leaseId}`, `expire/${dueKey(entry.expireTime, entry.leaseId)}`, `sys/token/accessor/${entry.accessor}`],
    ]);
    expect((await keysOf(root)).some((k) => k.startsWith('expire/by-token/'))).toBe(false);
  });

  it('revokes the token with its life lease and the secret leases it issued, leaving nothing behind', async () => {
    const { root, tokens, expiration, revoked } = setup();
    const { entry } = await tokens.create(spec());
    const secret: LeaseRecord = {
      id: 'kv/creds/x/abc', kind: 'secret', path: 'kv/creds/x', mountUuid: 'm', mountPath: 'kv/', secretType: 't', internal: {}, tokenHandle: entry.handle,
      tokenAccessor: entry.accessor, entityId: '', requestId: 'r', remoteAddress: '127.0.0.1', issueTime: START, expireTime: START + 60_000,
      maxExpireTime: START + 60_000, maxSource: 'mount', lastRenewalTime: 0, renewable: true, state: 'active', attempts: 0, nextAttempt: 0, lastError: '',
    };
    await expiration.register(secret);
    expect(await expiration.leasesOfToken(entry.handle)).toEqual([secret.id]);
    await tokens.revokeTree(entry.handle);
    expect(revoked).toEqual([secret.id]);
    expect(await tokens.store.byHandle(entry.handle)).toBeNull();
    expect(await keysOf(root)).toEqual([]);
  });
});
