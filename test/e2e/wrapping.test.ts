import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startTestServer, type TestServer } from '../helpers/server.js';

/** Response wrapping (spec §2.7) over a real dev server. */
describe('response wrapping', () => {
  let srv: TestServer;
  let root: string;
  beforeAll(async () => {
    srv = await startTestServer();
    root = srv.rootToken;
    await api(srv.addr, 'POST', '/v1/secret/data/wrapped', { token: root, body: { data: { password: 'wrapped-value' } } });
  });
  afterAll(async () => {
    await srv.stop();
  });

  const wrapTTL = (ttl: string) => ({ 'x-vault-wrap-ttl': ttl });

  it('wraps any response: only wrap_info is returned, and unwrap gives the original once', async () => {
    const r = await api(srv.addr, 'GET', '/v1/secret/data/wrapped', { token: root, headers: wrapTTL('5m') });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ data: null, auth: null, lease_id: '' });
    const info = r.body?.wrap_info as Record<string, unknown>;
    expect(info).toMatchObject({ ttl: 300, creation_path: 'secret/data/wrapped' });
    expect(JSON.stringify(r.body)).not.toContain('wrapped-value');
    const un = await api(srv.addr, 'POST', '/v1/sys/wrapping/unwrap', { token: root, body: { token: info.token } });
    expect(un.status).toBe(200);
    expect((un.body?.data as { data: unknown }).data).toEqual({ password: 'wrapped-value' });
    const again = await api(srv.addr, 'POST', '/v1/sys/wrapping/unwrap', { token: root, body: { token: info.token } });
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ errors: ['wrapping token is not valid or does not exist'] });
  });

  it('unwraps with the wrapping token as X-Vault-Token, and wraps a new token (wrapped_accessor)', async () => {
    const r = await api(srv.addr, 'POST', '/v1/auth/token/create', { token: root, body: { policies: ['default'], ttl: '1h' }, headers: wrapTTL('60') });
    const info = r.body?.wrap_info as Record<string, string>;
    expect(typeof info.wrapped_accessor).toBe('string');
    const un = await api(srv.addr, 'POST', '/v1/sys/wrapping/unwrap', { token: info.token });
    expect(un.status).toBe(200);
    const auth = un.body?.auth as { client_token: string; accessor: string };
    expect(auth.accessor).toBe(info.wrapped_accessor);
    expect((await api(srv.addr, 'GET', '/v1/auth/token/lookup-self', { token: auth.client_token })).status).toBe(200);
  });

  it('lookup does not use the token; rewrap moves the response to a new token', async () => {
    const r = await api(srv.addr, 'POST', '/v1/sys/wrapping/wrap', { token: root, body: { hello: 'world' }, headers: wrapTTL('2m') });
    const first = (r.body?.wrap_info as { token: string }).token;
    const look = await api(srv.addr, 'POST', '/v1/sys/wrapping/lookup', { body: { token: first } });
    expect(look.body?.data).toMatchObject({ creation_path: 'sys/wrapping/wrap', creation_ttl: 120 });
    const re = await api(srv.addr, 'POST', '/v1/sys/wrapping/rewrap', { token: root, body: { token: first } });
    const second = (re.body?.wrap_info as { token: string }).token;
    expect(second).not.toBe(first);
    expect((await api(srv.addr, 'POST', '/v1/sys/wrapping/unwrap', { body: { token: first } })).status).toBe(400);
    const un = await api(srv.addr, 'POST', '/v1/sys/wrapping/unwrap', { body: { token: second } });
    expect(un.body?.data).toEqual({ hello: 'world' });
  });

  it('refuses a bad or negative wrap TTL, and sys/wrapping/wrap without one', async () => {
    for (const ttl of ['-5s', 'soon', '0']) {
      const r = await api(srv.addr, 'GET', '/v1/secret/data/wrapped', { token: root, headers: wrapTTL(ttl) });
      expect(r.status, ttl).toBe(400);
      expect(r.body).toEqual({ errors: ['error parsing X-Vault-Wrap-TTL header'] });
    }
    expect((await api(srv.addr, 'POST', '/v1/sys/wrapping/wrap', { token: root, body: { a: 1 } })).status).toBe(400);
  });

  it('applies policy wrapping bounds: a path demanding wrapping refuses unwrapped reads', async () => {
    await api(srv.addr, 'POST', '/v1/sys/policy/wrapped-only', { token: root, body: { policy: 'path "secret/data/wrapped" {\n  capabilities = ["read"]\n  min_wrapping_ttl = "1m"\n  max_wrapping_ttl = "10m"\n}\n' } });
    const t = await api(srv.addr, 'POST', '/v1/auth/token/create', { token: root, body: { policies: ['wrapped-only'] } });
    const token = (t.body?.auth as { client_token: string }).client_token;
    expect((await api(srv.addr, 'GET', '/v1/secret/data/wrapped', { token })).status).toBe(403);
    expect((await api(srv.addr, 'GET', '/v1/secret/data/wrapped', { token, headers: wrapTTL('1h') })).status).toBe(403);
    expect((await api(srv.addr, 'GET', '/v1/secret/data/wrapped', { token, headers: wrapTTL('5m') })).status).toBe(200);
  });
});
