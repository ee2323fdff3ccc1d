import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startTestServer, type TestServer } from '../helpers/server.js';
import { connectionConfig, dropRoles, PG_ADMIN_PASSWORD } from '../helpers/postgres.js';

/** Audit devices end to end: Vault-shaped entries, HMAC'd secrets, fail-closed, and no plaintext anywhere. */
describe('audit', () => {
  let srv: TestServer;
  let root: string;
  const dir = mkdtempSync(join(tmpdir(), 'ward-audit-'));
  const file = join(dir, 'audit.log');
  /** The parts of an audit entry these tests read. */
  interface LoggedEntry {
    type: string;
    request?: { id?: string };
    auth?: { client_token?: string; policies?: string[] };
    response?: { data?: { data?: Record<string, unknown> } };
  }
  const lines = () => readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as LoggedEntry);

  beforeAll(async () => {
    srv = await startTestServer();
    root = srv.rootToken;
  });
  afterAll(async () => {
    await srv.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('enables a file device (an unwritable path is a 400 naming it) and lists it', async () => {
    const bad = await api(srv.addr, 'PUT', '/v1/sys/audit/bad', { token: root, body: { type: 'file', options: { file_path: '/etc/hostname/sub/audit.log' } } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('/etc/hostname/sub/audit.log');
    expect((await api(srv.addr, 'PUT', '/v1/sys/audit/file', { token: root, body: { type: 'file', options: { file_path: file } } })).status).toBe(204);
    const list = await api(srv.addr, 'GET', '/v1/sys/audit', { token: root });
    expect(list.body?.data).toMatchObject({ 'file/': { type: 'file', path: 'file/' } });
  });

  it('logs request and response entries in Vault\'s shape, with secrets HMAC\'d and findable by sys/audit-hash', async () => {
    const secret = 'kv-plaintext-canary-3141';
    await api(srv.addr, 'POST', '/v1/secret/data/audited', { token: root, body: { data: { password: secret } } });
    const read = await api(srv.addr, 'GET', '/v1/secret/data/audited', { token: root });
    const requestId = read.body?.request_id as string;
    const entries = lines().filter((e) => e.request?.id === requestId);
    expect(entries.map((e) => e.type)).toEqual(['request', 'response']);
    const [req, resp] = entries;
    expect(req?.request).toMatchObject({ operation: 'read', path: 'secret/data/audited', mount_type: 'kv', mount_point: 'secret/' });
    expect(req?.auth?.client_token).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    expect(req?.auth?.policies).toEqual(['root']);
    const hashed = resp?.response?.data?.data?.password as string;
    expect(hashed).toMatch(/^hmac-sha256:/);
    const h = await api(srv.addr, 'POST', '/v1/sys/audit-hash/file', { token: root, body: { input: secret } });
    expect((h.body?.data as { hash: string }).hash).toBe(hashed);
  });

  it('never writes a plaintext secret to the audit file, the server log or the metrics', async () => {
    const kvSecret = 'kv-canary-2718';
    await api(srv.addr, 'POST', '/v1/secret/data/canary', { token: root, body: { data: { value: kvSecret } } });
    const t = await api(srv.addr, 'POST', '/v1/auth/token/create', { token: root, body: { policies: ['default'] } });
    const token = (t.body?.auth as { client_token: string }).client_token;
    await api(srv.addr, 'GET', '/v1/auth/token/lookup-self', { token });
    await api(srv.addr, 'POST', '/v1/sys/auth/userpass', { token: root, body: { type: 'userpass' } });
    await api(srv.addr, 'POST', '/v1/auth/userpass/users/carol', { token: root, body: { password: 'userpass-canary-1618' } });
    const login = await api(srv.addr, 'POST', '/v1/auth/userpass/login/carol', { body: { password: 'userpass-canary-1618' } });
    const loginToken = (login.body?.auth as { client_token: string }).client_token;
    // A database credential: a real PostgreSQL user, then revoked (its password must not appear anywhere either).
    expect((await api(srv.addr, 'POST', '/v1/sys/mounts/database', { token: root, body: { type: 'database' } })).status).toBe(204);
    expect((await api(srv.addr, 'POST', '/v1/database/config/pg', { token: root, body: connectionConfig() })).status).toBe(204);
    expect((await api(srv.addr, 'POST', '/v1/database/roles/audited', { token: root, body: { db_name: 'pg', creation_statements: `CREATE ROLE "{{name}}" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}';`, default_ttl: '1h' } })).status).toBe(204);
    const creds = await api(srv.addr, 'GET', '/v1/database/creds/audited', { token: root });
    const db = creds.body?.data as { username: string; password: string };
    expect(db.password.length).toBeGreaterThan(10);
    expect((await api(srv.addr, 'PUT', '/v1/sys/leases/revoke', { token: root, body: { lease_id: creds.body?.lease_id } })).status).toBe(204);
    await dropRoles([db.username]);
    const metrics = await api(srv.addr, 'GET', '/v1/sys/metrics', { token: root });
    expect(metrics.status).toBe(200);
    const haystacks = { audit: readFileSync(file, 'utf8'), logs: srv.logs(), metrics: metrics.text };
    for (const needle of [kvSecret, token, loginToken, 'userpass-canary-1618', root, db.password, PG_ADMIN_PASSWORD]) {
      for (const [where, text] of Object.entries(haystacks)) expect(text.includes(needle), `${where} contains a secret`).toBe(false);
    }
    expect(haystacks.metrics).toContain('vault.core.handle_request');
    // The response entry of the creds read carries the lease id in plain and the password only as an HMAC.
    const credsEntry = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; request?: { id?: string }; response?: { secret?: { lease_id?: string }; data?: Record<string, string> } })
      .find((e) => e.type === 'response' && e.request?.id === creds.body?.request_id);
    expect(credsEntry?.response?.secret?.lease_id).toBe(creds.body?.lease_id);
    expect(credsEntry?.response?.data?.password).toMatch(/^hmac-sha256:/);
  });

  it('fails closed: when no device can write, requests are refused; they are served again once it can', async () => {
    // As root, permissions do not stop writes: make the path a directory and have the device reopen it (SIGHUP).
    renameSync(file, `${file}.rotated`);
    mkdirSync(file);
    await srv.server.core.audit.reload();
    const refused = await api(srv.addr, 'GET', '/v1/secret/data/audited', { token: root });
    expect(refused.status).toBe(500);
    rmSync(file, { recursive: true });
    await srv.server.core.audit.reload();
    expect((await api(srv.addr, 'GET', '/v1/secret/data/audited', { token: root })).status).toBe(200);
  });

  it('with two devices, one failing is enough to keep serving', async () => {
    const second = join(dir, 'second.log');
    expect((await api(srv.addr, 'PUT', '/v1/sys/audit/second', { token: root, body: { type: 'file', options: { file_path: second } } })).status).toBe(204);
    renameSync(file, `${file}.old`);
    mkdirSync(file);
    await srv.server.core.audit.reload();
    const ok = await api(srv.addr, 'GET', '/v1/secret/data/audited', { token: root });
    expect(ok.status).toBe(200);
    expect(readFileSync(second, 'utf8')).toContain(ok.body?.request_id as string);
    rmSync(file, { recursive: true });
    await srv.server.core.audit.reload();
    expect((await api(srv.addr, 'DELETE', '/v1/sys/audit/second', { token: root })).status).toBe(204);
    expect((await api(srv.addr, 'DELETE', '/v1/sys/audit/file', { token: root })).status).toBe(204);
  });
});
