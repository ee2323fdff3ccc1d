import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startTestServer, type TestServer } from '../helpers/server.js';

/** Vault's HTTP conventions (spec §1) over a real dev server. */
describe('HTTP conventions', () => {
  let srv: TestServer;
  let token: string;
  beforeAll(async () => {
    srv = await startTestServer({ rootTokenId: 'root-test-token' });
    token = srv.rootToken;
  });
  afterAll(async () => {
    await srv.stop();
  });

  it('dev mode: root token as asked, kv v2 at secret/, unsealed', async () => {
    expect(token).toBe('root-test-token');
    const mounts = await api(srv.addr, 'GET', '/v1/sys/mounts', { token });
    expect(mounts.body?.data).toMatchObject({ 'secret/': { type: 'kv', options: { version: '2' } }, 'cubbyhole/': { type: 'cubbyhole' }, 'sys/': { type: 'system' } });
    expect(mounts.body?.['secret/']).toBeDefined(); // §1.7 top-level injection
  });

  it('answers with the envelope, Content-Type exactly application/json, no-store, a request id', async () => {
    await api(srv.addr, 'POST', '/v1/secret/data/env', { token, body: { data: { a: '1' } } });
    const r = await api(srv.addr, 'GET', '/v1/secret/data/env', { token });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.body).toMatchObject({ lease_id: '', renewable: false, lease_duration: 0, wrap_info: null, warnings: null, auth: null });
    expect(r.body?.request_id).toMatch(/^[0-9a-f-]{36}$/);
    const again = await api(srv.addr, 'GET', '/v1/secret/data/env', { token });
    expect(again.body?.request_id).not.toBe(r.body?.request_id);
  });

  it('accepts the token as X-Vault-Token or Authorization: Bearer, and refuses others with 403', async () => {
    expect((await api(srv.addr, 'GET', '/v1/secret/data/env', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await api(srv.addr, 'GET', '/v1/secret/data/env', { headers: { authorization: `Basic ${token}` } })).status).toBe(403);
    const none = await api(srv.addr, 'GET', '/v1/secret/data/env');
    expect(none.status).toBe(403);
    expect(none.body).toEqual({ errors: ['permission denied'] });
    expect((await api(srv.addr, 'GET', '/v1/secret/data/env', { token: 'bogus' })).status).toBe(403);
  });

  it('lists with the LIST method and with ?list=1|true|True; a bad list value is 400; trailing slash optional', async () => {
    await api(srv.addr, 'POST', '/v1/secret/data/dir/one', { token, body: { data: { x: 1 } } });
    await api(srv.addr, 'POST', '/v1/secret/data/dir/sub/two', { token, body: { data: { x: 2 } } });
    for (const [method, path] of [['LIST', '/v1/secret/metadata/dir'], ['LIST', '/v1/secret/metadata/dir/'], ['GET', '/v1/secret/metadata/dir?list=1'], ['GET', '/v1/secret/metadata/dir/?list=true'], ['GET', '/v1/secret/metadata/dir?list=True']] as const) {
      const r = await api(srv.addr, method, path, { token });
      expect(r.status, `${method} ${path}`).toBe(200);
      expect((r.body?.data as { keys: string[] }).keys).toEqual(['one', 'sub/']);
    }
    expect((await api(srv.addr, 'GET', '/v1/secret/metadata/dir?list=maybe', { token })).status).toBe(400);
    const empty = await api(srv.addr, 'LIST', '/v1/secret/metadata/nothing-here', { token });
    expect(empty.status).toBe(404);
    expect(empty.body).toEqual({ errors: [] });
  });

  it('treats PUT and POST alike, answers 204 for empty success, and reads of nothing are 404 {"errors":[]}', async () => {
    expect((await api(srv.addr, 'PUT', '/v1/cubbyhole/x', { token, body: { v: 'put' } })).status).toBe(204);
    expect((await api(srv.addr, 'GET', '/v1/cubbyhole/x', { token })).body?.data).toEqual({ v: 'put' });
    expect((await api(srv.addr, 'POST', '/v1/cubbyhole/x', { token, body: { v: 'post' } })).status).toBe(204);
    expect((await api(srv.addr, 'GET', '/v1/cubbyhole/x', { token })).body?.data).toEqual({ v: 'post' });
    const missing = await api(srv.addr, 'GET', '/v1/cubbyhole/absent', { token });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ errors: [] });
  });

  it('gives Vault errors for bad input: bad JSON, non-object JSON, unknown route, unsupported method, PATCH media type, oversized body', async () => {
    const badJson = await api(srv.addr, 'POST', '/v1/secret/data/x', { token, body: '{"data": ', headers: { 'content-type': 'application/json' } });
    expect(badJson.status).toBe(400);
    expect(badJson.body).toEqual({ errors: ['error parsing JSON'] });
    expect((await api(srv.addr, 'POST', '/v1/secret/data/x', { token, body: '[1,2]' })).status).toBe(400);
    const route = await api(srv.addr, 'GET', '/v1/nowhere/thing', { token });
    expect(route.status).toBe(404);
    expect(route.body).toEqual({ errors: ['no handler for route "nowhere/thing". route entry not found.'] });
    expect((await api(srv.addr, 'GET', '/v2/sys/health')).status).toBe(404);
    expect((await api(srv.addr, 'HEAD', '/v1/secret/data/x', { token })).status).toBe(405);
    expect((await api(srv.addr, 'DELETE', '/v1/sys/seal-status', { token })).status).toBe(405);
    const patch = await api(srv.addr, 'PATCH', '/v1/secret/data/env', { token, body: { data: { a: '2' } } });
    expect(patch.status).toBe(415);
    const patched = await api(srv.addr, 'PATCH', '/v1/secret/data/env', { token, body: { data: { b: '2' } }, headers: { 'content-type': 'application/merge-patch+json' } });
    expect(patched.status).toBe(200);
    const big = await api(srv.addr, 'POST', '/v1/secret/data/big', { token, body: { data: { blob: 'x'.repeat(33 * 1024 * 1024) } } });
    expect(big.status).toBe(413);
    expect(Array.isArray(big.body?.errors)).toBe(true);
    expect((await api(srv.addr, 'GET', '/v1/sys/health')).status).toBe(200);
  });

  it('never shows a stack trace: wrong field types are clear 400s', async () => {
    const r = await api(srv.addr, 'POST', '/v1/sys/mounts/typed', { token, body: { type: 'kv', config: { default_lease_ttl: 'forever' } } });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).toMatch(/default_lease_ttl/);
    expect(r.text).not.toMatch(/at .*\.js:\d+/);
  });

  it('health: HEAD has no body, query codes apply, non-integer codes are 400', async () => {
    const head = await request(`${srv.addr}/v1/sys/health`, { method: 'HEAD' });
    expect(head.statusCode).toBe(200);
    expect(await head.body.text()).toBe('');
    expect((await api(srv.addr, 'GET', '/v1/sys/health?activecode=299')).status).toBe(299);
    expect((await api(srv.addr, 'GET', '/v1/sys/health?activecode=abc')).status).toBe(400);
    const body = (await api(srv.addr, 'GET', '/v1/sys/health')).body;
    expect(body).toMatchObject({ initialized: true, sealed: false, standby: false, performance_standby: false, replication_dr_mode: 'disabled' });
    expect(typeof body?.server_time_utc).toBe('number');
  });

  it('mounts: enable, read, tune (resolved TTLs), move without copying data, disable deletes data', async () => {
    expect((await api(srv.addr, 'POST', '/v1/sys/mounts/team-a', { token, body: { type: 'kv', description: 'A', config: { default_lease_ttl: '1h', max_lease_ttl: '2h' } } })).status).toBe(204);
    expect((await api(srv.addr, 'POST', '/v1/sys/mounts/team-a', { token, body: { type: 'kv' } })).body).toEqual({ errors: ['path is already in use at team-a/'] });
    expect((await api(srv.addr, 'POST', '/v1/sys/mounts/team-a/nested', { token, body: { type: 'kv' } })).status).toBe(400);
    expect((await api(srv.addr, 'POST', '/v1/sys/mounts/sys', { token, body: { type: 'kv' } })).status).toBe(400);
    expect((await api(srv.addr, 'POST', '/v1/sys/mounts/weird', { token, body: { type: 'no-such-engine' } })).status).toBe(400);
    const entry = await api(srv.addr, 'GET', '/v1/sys/mounts/team-a', { token });
    expect(entry.body?.data).toMatchObject({ type: 'kv', description: 'A', config: { default_lease_ttl: 3600, max_lease_ttl: 7200 } });
    await api(srv.addr, 'PUT', '/v1/team-a/cred', { token, body: { user: 'u1' } });
    expect((await api(srv.addr, 'GET', '/v1/team-a/cred', { token })).body?.lease_duration).toBe(3600);
    const tuneBefore = await api(srv.addr, 'GET', '/v1/sys/mounts/cubbyhole/tune', { token });
    expect(tuneBefore.body?.data).toMatchObject({ default_lease_ttl: 2764800, max_lease_ttl: 2764800 });
    expect((await api(srv.addr, 'POST', '/v1/sys/mounts/team-a/tune', { token, body: { default_lease_ttl: '30m', description: 'tuned' } })).status).toBe(204);
    expect((await api(srv.addr, 'GET', '/v1/sys/mounts/team-a/tune', { token })).body?.data).toMatchObject({ default_lease_ttl: 1800, max_lease_ttl: 7200, description: 'tuned' });

    const moved = await api(srv.addr, 'POST', '/v1/sys/remount', { token, body: { from: 'team-a', to: 'team-b' } });
    expect(moved.status).toBe(200);
    expect(typeof moved.body?.migration_id).toBe('string');
    expect((await api(srv.addr, 'GET', `/v1/sys/remount/status/${moved.body?.migration_id as string}`, { token })).body?.data).toMatchObject({ migration_info: { status: 'success' } });
    expect((await api(srv.addr, 'GET', '/v1/team-b/cred', { token })).body?.data).toEqual({ user: 'u1' });
    expect((await api(srv.addr, 'GET', '/v1/team-a/cred', { token })).status).toBe(404);

    expect((await api(srv.addr, 'DELETE', '/v1/sys/mounts/team-b', { token })).status).toBe(204);
    expect((await api(srv.addr, 'DELETE', '/v1/sys/mounts/team-b', { token })).status).toBe(204);
    expect((await api(srv.addr, 'POST', '/v1/sys/mounts/team-b', { token, body: { type: 'kv' } })).status).toBe(204);
    expect((await api(srv.addr, 'GET', '/v1/team-b/cred', { token })).status).toBe(404);
    expect((await api(srv.addr, 'DELETE', '/v1/sys/mounts/cubbyhole', { token })).status).toBe(400);
  });

  it('sys/internal/ui/mounts: the kv-version preflight of Go clients', async () => {
    const r = await api(srv.addr, 'GET', '/v1/sys/internal/ui/mounts/secret/data/foo', { token });
    expect(r.status).toBe(200);
    expect(r.body?.data).toMatchObject({ path: 'secret/', type: 'kv', options: { version: '2' } });
    expect((await api(srv.addr, 'GET', '/v1/sys/internal/ui/mounts/nomount/x', { token })).status).toBe(404);
    expect((await api(srv.addr, 'GET', '/v1/sys/internal/ui/mounts/secret/x')).status).toBe(403);
    const all = await api(srv.addr, 'GET', '/v1/sys/internal/ui/mounts', { token });
    expect((all.body?.data as { secret: Record<string, unknown> }).secret['secret/']).toMatchObject({ type: 'kv' });
  });

  it('help: ?help=1 on a path and on a mount, generated from the declarations', async () => {
    const path = await api(srv.addr, 'GET', '/v1/secret/data/foo?help=1', { token });
    expect(path.status).toBe(200);
    expect(path.body?.help).toMatch(/## PARAMETERS/);
    const mount = await api(srv.addr, 'GET', '/v1/secret/?help=1', { token });
    expect(mount.body?.help).toMatch(/## PATHS/);
    expect((await api(srv.addr, 'GET', '/v1/secret/?help=1')).status).toBe(403);
  });
});
