import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startConfiguredServer } from '../helpers/server.js';

/**
 * The whole seal lifecycle on the real SQLite store: init, unseal with any threshold subset, restart (sealed),
 * wrong/duplicate/malformed shares, 503 while sealed, and no plaintext in the database file.
 */
describe('init, unseal, seal and restart on sqlite', () => {
  let srv: Awaited<ReturnType<typeof startConfiguredServer>>;
  let keys: string[] = [];
  let keysB64: string[] = [];
  let root = '';
  const dbConfig = (dir: string) => `storage "sqlite" { path = "${join(dir, 'ward.db')}" }\nlistener "tcp" {\n  address = "127.0.0.1:0"\n  tls_disable = true\n}\n`;

  beforeAll(async () => {
    srv = await startConfiguredServer(dbConfig);
  });
  afterAll(async () => {
    await srv.stop();
    srv.cleanup();
  });

  const restart = async () => {
    await srv.stop();
    const dir = srv.dir;
    const next = await startConfiguredServer(() => dbConfig(dir));
    srv = { ...next, dir, cleanup: () => srv.cleanup.call(undefined) };
    srv.cleanup = next.cleanup;
  };

  it('starts uninitialised: seal-status says so, health is 501, other routes 503', async () => {
    const status = await api(srv.addr, 'GET', '/v1/sys/seal-status');
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ type: 'shamir', initialized: false, sealed: true, t: 0, n: 0, progress: 0 });
    expect((await api(srv.addr, 'GET', '/v1/sys/init')).body).toEqual({ initialized: false });
    expect((await api(srv.addr, 'GET', '/v1/sys/health')).status).toBe(501);
    expect((await api(srv.addr, 'GET', '/v1/sys/health?uninitcode=299')).status).toBe(299);
    const sealed = await api(srv.addr, 'GET', '/v1/secret/foo', { token: 'x' });
    expect(sealed.status).toBe(503);
    expect(sealed.body).toEqual({ errors: ['Vault is sealed'] });
  });

  it('refuses bad init parameters with 400', async () => {
    for (const body of [{ secret_shares: 0, secret_threshold: 1 }, { secret_shares: 3, secret_threshold: 4 }, { secret_shares: 3, secret_threshold: 1 }, { secret_shares: 256, secret_threshold: 2 }, { secret_threshold: 2 }]) {
      const r = await api(srv.addr, 'PUT', '/v1/sys/init', { body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(Array.isArray(r.body?.errors)).toBe(true);
    }
  });

  it('initialises with 5 shares / threshold 3 and stays sealed', async () => {
    const r = await api(srv.addr, 'PUT', '/v1/sys/init', { body: { secret_shares: 5, secret_threshold: 3 } });
    expect(r.status).toBe(200);
    keys = r.body?.keys as string[];
    keysB64 = r.body?.keys_base64 as string[];
    root = r.body?.root_token as string;
    expect(keys).toHaveLength(5);
    expect(new Set(keys).size).toBe(5);
    expect(Buffer.from(keysB64[0] as string, 'base64').toString('hex')).toBe(keys[0]);
    expect(root).toMatch(/^hvs\.[0-9A-Za-z]{24}$/);
    expect((await api(srv.addr, 'PUT', '/v1/sys/init', { body: { secret_shares: 1, secret_threshold: 1 } })).body).toEqual({ errors: ['Vault is already initialized'] });
    const status = await api(srv.addr, 'GET', '/v1/sys/seal-status');
    expect(status.body).toMatchObject({ initialized: true, sealed: true, t: 3, n: 5, progress: 0 });
    expect((await api(srv.addr, 'GET', '/v1/sys/health')).status).toBe(503);
  });

  it('gives 400 and no progress for a wrong, duplicate or malformed share', async () => {
    const first = await api(srv.addr, 'PUT', '/v1/sys/unseal', { body: { key: keys[0] } });
    expect(first.body).toMatchObject({ sealed: true, progress: 1, t: 3 });
    const dup = await api(srv.addr, 'PUT', '/v1/sys/unseal', { body: { key: keysB64[0] } });
    expect(dup.status).toBe(400);
    const wrong = await api(srv.addr, 'PUT', '/v1/sys/unseal', { body: { key: 'ab'.repeat(33) } });
    expect(wrong.status).toBe(400);
    const malformed = await api(srv.addr, 'PUT', '/v1/sys/unseal', { body: { key: 'not a key!' } });
    expect(malformed.status).toBe(400);
    const missing = await api(srv.addr, 'PUT', '/v1/sys/unseal', { body: {} });
    expect(missing.status).toBe(400);
    expect((await api(srv.addr, 'GET', '/v1/sys/seal-status')).body).toMatchObject({ sealed: true, progress: 1 });
    const reset = await api(srv.addr, 'PUT', '/v1/sys/unseal', { body: { reset: true } });
    expect(reset.body).toMatchObject({ sealed: true, progress: 0 });
  });

  it('unseals with a threshold subset and serves; sealed again after a restart; any other subset restores every mount and secret', async () => {
    for (const k of [keys[4], keys[1], keysB64[2]]) await api(srv.addr, 'PUT', '/v1/sys/unseal', { body: { key: k } });
    const status = await api(srv.addr, 'GET', '/v1/sys/seal-status');
    expect(status.body).toMatchObject({ sealed: false, progress: 0 });
    expect(typeof status.body?.cluster_id).toBe('string');
    expect((await api(srv.addr, 'GET', '/v1/sys/health')).status).toBe(200);
    expect((await api(srv.addr, 'POST', '/v1/sys/mounts/kv1', { token: root, body: { type: 'kv' } })).status).toBe(204);
    expect((await api(srv.addr, 'POST', '/v1/sys/mounts/kv2', { token: root, body: { type: 'kv-v2' } })).status).toBe(204);
    expect((await api(srv.addr, 'PUT', '/v1/kv1/app', { token: root, body: { password: 'plaintext-canary-v1' } })).status).toBe(204);
    expect((await api(srv.addr, 'PUT', '/v1/kv2/data/app', { token: root, body: { data: { password: 'plaintext-canary-v2' } } })).status).toBe(200);

    await restart();
    expect((await api(srv.addr, 'GET', '/v1/sys/seal-status')).body).toMatchObject({ initialized: true, sealed: true, progress: 0 });
    expect((await api(srv.addr, 'GET', '/v1/kv1/app', { token: root })).status).toBe(503);
    for (const k of [keys[3], keys[0], keys[2]]) await api(srv.addr, 'PUT', '/v1/sys/unseal', { body: { key: k } });
    expect((await api(srv.addr, 'GET', '/v1/sys/seal-status')).body).toMatchObject({ sealed: false });
    expect((await api(srv.addr, 'GET', '/v1/kv1/app', { token: root })).body?.data).toEqual({ password: 'plaintext-canary-v1' });
    const v2 = await api(srv.addr, 'GET', '/v1/kv2/data/app', { token: root });
    expect((v2.body?.data as { data: unknown }).data).toEqual({ password: 'plaintext-canary-v2' });
  });

  it('stores nothing in plaintext: the raw SQLite file holds no stored secret, token or key', async () => {
    const db = new Database(join(srv.dir, 'ward.db'), { readonly: true });
    const rows = db.prepare('SELECT key, value FROM entries').all() as Array<{ key: string; value: Buffer }>;
    db.close();
    expect(rows.length).toBeGreaterThan(3);
    const haystack = Buffer.concat([...rows.map((r) => r.value), readFileSync(join(srv.dir, 'ward.db'))]);
    for (const needle of ['plaintext-canary-v1', 'plaintext-canary-v2', root, 'password']) {
      expect(haystack.includes(Buffer.from(needle)), needle).toBe(false);
    }
  });

  it('rotates the barrier key: key-status term moves, old and new values read back', async () => {
    const before = await api(srv.addr, 'GET', '/v1/sys/key-status', { token: root });
    expect(before.body?.data).toMatchObject({ term: 1 });
    expect(before.body?.term).toBe(1); // §1.7 top-level injection
    expect((await api(srv.addr, 'PUT', '/v1/sys/rotate', { token: root })).status).toBe(204);
    const after = await api(srv.addr, 'GET', '/v1/sys/key-status', { token: root });
    expect(after.body?.data).toMatchObject({ term: 2 });
    await api(srv.addr, 'PUT', '/v1/kv1/after-rotate', { token: root, body: { v: 'x' } });
    expect((await api(srv.addr, 'GET', '/v1/kv1/app', { token: root })).body?.data).toEqual({ password: 'plaintext-canary-v1' });
    expect((await api(srv.addr, 'GET', '/v1/kv1/after-rotate', { token: root })).body?.data).toEqual({ v: 'x' });
  });

  it('seals on request (sudo), after which everything but the status routes is 503', async () => {
    expect((await api(srv.addr, 'PUT', '/v1/sys/seal', { token: 'wrong-token' })).status).toBe(403);
    expect((await api(srv.addr, 'PUT', '/v1/sys/seal', { token: root })).status).toBe(204);
    expect((await api(srv.addr, 'GET', '/v1/sys/seal-status')).body).toMatchObject({ sealed: true });
    expect((await api(srv.addr, 'GET', '/v1/sys/mounts', { token: root })).status).toBe(503);
    expect((await api(srv.addr, 'HEAD', '/v1/sys/health')).status).toBe(503);
    expect((await api(srv.addr, 'GET', '/v1/sys/health?sealedcode=200')).status).toBe(200);
    const r = await api(srv.addr, 'PUT', '/v1/sys/unseal', { body: { reset: true } });
    expect(r.status).toBe(200);
  });
});
