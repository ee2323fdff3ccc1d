import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startTestServer, type TestServer } from '../helpers/server.js';

/** sys/policies/password over HTTP, and the generator engines use through the system view. */
describe('password policies', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer();
  });
  afterAll(async () => {
    await srv.stop();
  });

  it('stores a policy and generates passwords that follow it', async () => {
    const t = srv.rootToken;
    const policy = 'length = 12\nrule "charset" {\n  charset = "abc"\n  min-chars = 1\n}\nrule "charset" {\n  charset = "0123456789"\n  min-chars = 2\n}\n';
    expect((await api(srv.addr, 'POST', '/v1/sys/policies/password/short', { token: t, body: { policy } })).status).toBe(204);
    expect((await api(srv.addr, 'GET', '/v1/sys/policies/password/short', { token: t })).body?.data).toEqual({ policy });
    for (let i = 0; i < 20; i++) {
      const g = await api(srv.addr, 'GET', '/v1/sys/policies/password/short/generate', { token: t });
      const pw = (g.body?.data as { password: string }).password;
      expect(pw).toMatch(/^[abc0-9]{12}$/);
      expect(pw.replace(/[^0-9]/g, '').length).toBeGreaterThanOrEqual(2);
      expect(pw).toMatch(/[abc]/);
    }
    expect((await api(srv.addr, 'GET', '/v1/sys/policies/password/short/generate', { token: t }).then((r) => r.body?.data as { password: string })).password).not.toBe('');
    expect(await srv.server.core.passwordPolicies.generate()).toMatch(/^[A-Za-z0-9-]{20}$/);
  });

  it('refuses a bad policy with a 400 and an unknown one with a 404', async () => {
    const t = srv.rootToken;
    expect((await api(srv.addr, 'POST', '/v1/sys/policies/password/bad', { token: t, body: { policy: 'length = 2\n' } })).status).toBe(400);
    expect((await api(srv.addr, 'GET', '/v1/sys/policies/password/nope/generate', { token: t })).status).toBe(404);
    expect((await api(srv.addr, 'POST', '/v1/sys/policies/password/x', { body: { policy: 'length = 20\n' } })).status).toBe(403);
  });
});
