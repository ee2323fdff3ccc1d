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
  it('stores a token under its accessor (one row), its life lease and its due-time entry in one batch, without a by-token entry', async () => {
    const { root, batches, tokens } = setup();
    await tokens.store.handleOf('warm the salt up');
    batches.length = 0;
    const { entry } = await tokens.create(spec());
    expect(entry.accessor).toMatch(/^[0-9A-Za-z]{24}$/);
    expect(batches.map((ops) => ops.map((o) => o.key))).toEqual([
      [`sys/token/accessor/${entry.accessor}`, `expire/lease/${entry.leaseId}`, `expire/${dueKey(entry.expireTime, entry.leaseId)}`],
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

  it('a created token looks up as the frozen entry that was stored', async () => {
    const { root, tokens } = setup();
    const { token, entry } = await tokens.create(spec({ meta: { role_name: 'r' }, policies: ['app', 'default'] }));
    const found = await tokens.store.lookup(token);
    expect(found).toEqual(entry);
    expect(Object.isFrozen(found) && Object.isFrozen(found?.policies) && Object.isFrozen(found?.meta)).toBe(true);
    expect(await tokens.store.lookup(token)).toBe(found); // parsed once, then shared
    expect(await tokens.store.byAccessor(entry.accessor)).toBe(found);
    // What the cache holds is what storage holds.
    expect(JSON.parse(((await root.get(`sys/token/accessor/${entry.accessor}`)) as Buffer).toString())).toEqual(found);
  });

  it('finds, renews and revokes tokens in the two-row layout (chosen IDs, batch tokens, tokens stored before the one-row layout)', async () => {
    const { root, tokens } = setup();
    const custom = await tokens.create(spec({ id: 'hvs.chosen-id-token' }));
    expect(await root.get(`sys/token/id/${custom.entry.handle}`)).not.toBeNull();
    expect((await root.get(`sys/token/accessor/${custom.entry.accessor}`))?.toString()).toBe(custom.entry.handle);
    const batch = await tokens.create(spec({ type: 'batch', renewable: false }));
    expect(batch.entry.accessor).toBe('');
    // A token as an older version stored it: random accessor, entry by handle, accessor row holding the handle.
    const handle = await tokens.store.handleOf('hvs.stored-by-an-older-version');
    const legacy = { ...custom.entry, handle, accessor: 'LegacyAccessor0123456789', leaseId: '' };
    await root.batch([
      { op: 'put', key: `sys/token/id/${handle}`, value: Buffer.from(JSON.stringify(legacy)) },
      { op: 'put', key: `sys/token/accessor/${legacy.accessor}`, value: Buffer.from(handle) },
    ]);
    const fresh = new TokenStore(prefixedStorage(root, ''));
    expect(await fresh.lookup('hvs.stored-by-an-older-version')).toEqual(legacy);
    expect(await fresh.byAccessor(legacy.accessor)).toEqual(legacy);
    expect(await fresh.lookup('hvs.chosen-id-token')).toEqual(custom.entry);
    expect(await fresh.byAccessor(custom.entry.accessor)).toEqual(custom.entry);
    expect(await fresh.lookup(batch.token)).toEqual(batch.entry);
    await fresh.save({ ...legacy, numUses: 3 });
    expect(JSON.parse(((await root.get(`sys/token/id/${handle}`)) as Buffer).toString()).numUses).toBe(3);
    await fresh.remove(legacy);
    expect(await root.get(`sys/token/id/${handle}`)).toBeNull();
    expect(await root.get(`sys/token/accessor/${legacy.accessor}`)).toBeNull();
    expect(await new TokenStore(prefixedStorage(root, '')).lookup('hvs.stored-by-an-older-version')).toBeNull();
  });

  it('reads a one-row token back from storage alone (new store, empty cache), by token and by accessor, and revokes it fully', async () => {
    const { root, tokens } = setup();
    const { token, entry } = await tokens.create(spec());
    const fresh = new TokenStore(prefixedStorage(root, ''));
    expect(await fresh.byAccessor(entry.accessor)).toEqual(entry);
    expect(await new TokenStore(prefixedStorage(root, '')).lookup(token)).toEqual(entry);
    expect(await fresh.lookup('hvs.not-a-token')).toBeNull();
    expect(await fresh.byAccessor('NoSuchAccessor0123456789')).toBeNull();
    // An entry moved to another accessor's key is not accepted there.
    const other = await tokens.create(spec());
    await root.put(`sys/token/accessor/${other.entry.accessor}`, (await root.get(`sys/token/accessor/${entry.accessor}`)) as Buffer);
    expect(await new TokenStore(prefixedStorage(root, '')).byAccessor(other.entry.accessor)).toBeNull();
    expect(await new TokenStore(prefixedStorage(root, '')).lookup(other.token)).toBeNull();
    await tokens.revokeTree(entry.handle);
    expect(await new TokenStore(prefixedStorage(root, '')).lookup(token)).toBeNull();
    expect(await root.get(`sys/token/accessor/${entry.accessor}`)).toBeNull();
  });
});
