import { beforeEach, describe, expect, it } from 'vitest';
import { mountApprole, type Mounted } from './harness.suite.js';

async function storedKeys(m: Mounted): Promise<string[]> {
  return (await m.physical.scan({ start: '', end: '\u{10ffff}' })).map((e) => e.key.replace('auth/uuid-1/', ''));
}

describe('approle tidy', () => {
  let m: Mounted;

  beforeEach(async () => {
    m = await mountApprole();
    await m.call('update', 'role/r', { secret_id_ttl: 60 });
    await m.call('update', 'role/forever', {});
  });

  it('tidy/secret-id starts a background pass that removes expired secret IDs only', async () => {
    const expiring = await m.secretId('r');
    const kept = await m.secretId('forever');
    m.system.advance(61_000);
    const res = await m.call('update', 'tidy/secret-id');
    expect(res?.httpStatus).toBe(202);
    expect(res?.warnings?.[0]).toMatch(/^Tidy operation successfully started/);
    await m.engine.tidy.idle();
    const keys = await storedKeys(m);
    expect(keys).not.toContain(`accessor/${expiring.secret_id_accessor}`);
    expect(keys).toContain(`accessor/${kept.secret_id_accessor}`);
    expect(keys.filter((k) => k.startsWith('secret_id/'))).toHaveLength(1);
    expect(await m.call('list', 'role/r/secret-id')).toBeNull();
    expect((await m.call('list', 'role/forever/secret-id'))?.data?.keys).toEqual([kept.secret_id_accessor]);
  });

  it('keeps secret IDs that have not expired yet', async () => {
    await m.secretId('r');
    m.system.advance(59_000);
    expect(await m.engine.tidy.run(m.storage, () => m.system.now())).toBe(0);
    expect((await m.call('list', 'role/r/secret-id'))?.data?.keys).toHaveLength(1);
  });

  it('says so when a pass is already running', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    // A pass held at its first listing, so the endpoint is sure to find it running.
    const held = m.engine.tidy.run({ ...m.storage, list: async (p, o) => gate.then(() => m.storage.list(p, o)) }, () => m.system.now());
    expect(await m.call('update', 'tidy/secret-id')).toEqual({ warnings: ['Tidy operation already in progress.'] });
    release();
    await held;
    expect((await m.call('update', 'tidy/secret-id'))?.httpStatus).toBe(202);
    await m.engine.tidy.idle();
  });

  it('runs from the periodic hook and repairs half-deleted pairs', async () => {
    const a = await m.secretId('forever');
    const b = await m.secretId('forever');
    await m.physical.delete(`auth/uuid-1/accessor/${a.secret_id_accessor}`);
    // Remove b's secret ID entry by destroying it, then put its accessor back: a dangling accessor.
    const accessorValue = await m.physical.get(`auth/uuid-1/accessor/${b.secret_id_accessor}`);
    await m.call('update', 'role/forever/secret-id/destroy', { secret_id: b.secret_id });
    await m.physical.put(`auth/uuid-1/accessor/${b.secret_id_accessor}`, accessorValue ?? Buffer.alloc(0));
    await m.engine.periodic?.();
    const keys = await storedKeys(m);
    expect(keys.filter((k) => k.startsWith('secret_id/') || k.startsWith('accessor/'))).toEqual([]);
  });
});
