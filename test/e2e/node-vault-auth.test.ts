import nodeVault from 'node-vault';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * The unmodified node-vault 0.12 client against Ward: auth methods, tokens and policies, with the method names and
 * argument shapes of its src/commands.js. Calls marked `tokenSource` there (logins, tokenCreate, tokenRenew*) make
 * the client adopt the returned token, so each identity gets its own client.
 */
describe('node-vault 0.12: auth, tokens and policies against Ward', () => {
  let srv: TestServer;
  let admin: nodeVault.client;
  const client = (token?: string): nodeVault.client => nodeVault({ apiVersion: 'v1', endpoint: srv.addr, ...(token ? { token } : {}) });

  beforeAll(async () => {
    srv = await startTestServer();
    admin = client(srv.rootToken);
    await admin.write('secret/data/app/config', { data: { db: 'postgres://app' } });
    await admin.write('secret/data/other/config', { data: { db: 'postgres://other' } });
  });
  afterAll(async () => {
    await srv.stop();
  });

  it('policies, addPolicy (legacy rules, README JSON example), getPolicy, removePolicy', async () => {
    await admin.addPolicy({ name: 'app-read', rules: 'path "secret/data/app/*" { capabilities = ["read"] }' });
    // node-vault's README example: JSON with the legacy `policy` key.
    await admin.addPolicy({ name: 'mypolicy', rules: '{ "path": { "secret/data/legacy/*": { "policy": "write" } } }' });
    const list = await admin.policies();
    expect(list.policies).toEqual(expect.arrayContaining(['app-read', 'mypolicy', 'default', 'root']));
    expect(list.data.keys).toEqual(list.policies);
    const got = await admin.getPolicy({ name: 'app-read' });
    expect(got.rules).toBe('path "secret/data/app/*" { capabilities = ["read"] }');
    expect(got.data).toEqual({ name: 'app-read', rules: 'path "secret/data/app/*" { capabilities = ["read"] }' });
    await admin.removePolicy({ name: 'mypolicy' });
    expect((await admin.policies()).policies).not.toContain('mypolicy');
    await expect(admin.getPolicy({ name: 'mypolicy' })).rejects.toMatchObject({ response: { statusCode: 404 } });
    await expect(admin.removePolicy({ name: 'root' })).rejects.toMatchObject({ response: { statusCode: 400 } });
    await expect(admin.addPolicy({ name: 'broken', rules: 'path "x" { capabilities = ' })).rejects.toMatchObject({ response: { statusCode: 400 } });
  });

  it('auths, enableAuth, disableAuth', async () => {
    await admin.enableAuth({ mount_point: 'approle', type: 'approle', description: 'machines' });
    await admin.enableAuth({ mount_point: 'userpass', type: 'userpass', description: 'people' });
    await admin.enableAuth({ mount_point: 'scratch', type: 'userpass' });
    const auths = await admin.auths();
    // node-vault code reads the mounts at top level.
    expect(auths['approle/']).toMatchObject({ type: 'approle', description: 'machines' });
    expect(auths['userpass/']).toMatchObject({ type: 'userpass' });
    expect(auths['token/']).toMatchObject({ type: 'token' });
    expect(auths['scratch/']).toMatchObject({ type: 'userpass' });
    await admin.disableAuth({ mount_point: 'scratch' });
    expect(Object.prototype.hasOwnProperty.call(await admin.auths(), 'scratch/')).toBe(false);
    await expect(admin.enableAuth({ mount_point: 'approle', type: 'approle' })).rejects.toMatchObject({ response: { statusCode: 400 } });
  });

  it('approleLogin with a role made through addApproleRole / getApproleRoleId / getApproleRoleSecret', async () => {
    await admin.addApproleRole({ role_name: 'web', policies: 'app-read', token_ttl: 1200, token_max_ttl: 3600, secret_id_num_uses: 5 });
    const roleId = (await admin.getApproleRoleId({ role_name: 'web' })).data.role_id as string;
    const secretId = (await admin.getApproleRoleSecret({ role_name: 'web', metadata: '{"env":"test"}' })).data.secret_id as string;
    const app = client();
    const res = await app.approleLogin({ role_id: roleId, secret_id: secretId });
    expect(res.auth).toMatchObject({ policies: ['app-read', 'default'], metadata: { role_name: 'web', env: 'test' }, lease_duration: 1200, renewable: true });
    expect(app.token).toBe(res.auth.client_token); // adopted by the client
    const self = await app.tokenLookupSelf();
    expect(self.data).toMatchObject({ display_name: 'approle', policies: ['app-read', 'default'], ttl: 1200 });
    expect((await app.read('secret/data/app/config')).data.data).toEqual({ db: 'postgres://app' });

    // A policy denial reaches node-vault as a rejected promise with the status.
    await expect(app.read('secret/data/other/config')).rejects.toMatchObject({ response: { statusCode: 403 } });
    await expect(app.write('secret/data/app/config', { data: { db: 'x' } })).rejects.toMatchObject({ response: { statusCode: 403 } });
    await expect(app.policies()).rejects.toMatchObject({ response: { statusCode: 403 } });

    const bad = client();
    await expect(bad.approleLogin({ role_id: roleId, secret_id: 'not-the-secret' })).rejects.toMatchObject({ response: { statusCode: 400 }, message: 'invalid role or secret ID' });
  });

  it('userpassLogin', async () => {
    await admin.write('auth/userpass/users/alice', { password: 'alice-pass-1', policies: 'app-read' });
    const alice = client();
    const res = await alice.userpassLogin({ username: 'alice', password: 'alice-pass-1' });
    expect(res.auth).toMatchObject({ policies: ['app-read', 'default'], metadata: { username: 'alice' }, renewable: true });
    expect(res.auth.entity_id).not.toBe('');
    expect(alice.token).toBe(res.auth.client_token);
    expect((await alice.tokenLookupSelf()).data.display_name).toBe('userpass-alice');
    await expect(alice.read('secret/data/other/config')).rejects.toMatchObject({ response: { statusCode: 403 } });
    await expect(client().userpassLogin({ username: 'alice', password: 'nope' })).rejects.toMatchObject({ response: { statusCode: 400 }, message: 'invalid username or password' });
  });

  it('tokenCreate, tokenLookup, tokenLookupSelf, tokenRenew, tokenRenewSelf, tokenRevoke', async () => {
    const creator = client(srv.rootToken);
    const created = await creator.tokenCreate({ policies: ['app-read'], ttl: '1h', explicit_max_ttl: '4h', display_name: 'node app', meta: { owner: 'ci' }, num_uses: 0, renewable: true });
    const token = created.auth.client_token as string;
    expect(created.auth).toMatchObject({ policies: ['app-read', 'default'], lease_duration: 3600, renewable: true, metadata: { owner: 'ci' } });
    expect(creator.token).toBe(token); // tokenCreate is a token source in node-vault

    const looked = await admin.tokenLookup({ token });
    expect(looked.data).toMatchObject({ id: token, display_name: 'token-node-app', policies: ['app-read', 'default'], meta: { owner: 'ci' }, explicit_max_ttl: 14400, ttl: 3600 });

    const user = client(token);
    const self = await user.tokenLookupSelf();
    expect(self.data).toMatchObject({ id: token, accessor: created.auth.accessor });

    const renewed = await admin.tokenRenew({ token, increment: '2h' });
    expect(renewed.auth).toMatchObject({ client_token: token, lease_duration: 7200, renewable: true });
    admin.token = srv.rootToken; // tokenRenew is a token source too: the admin client adopted the renewed token

    const renewedSelf = await user.tokenRenewSelf({ increment: 1800 });
    expect(renewedSelf.auth.lease_duration).toBe(1800);
    expect((await user.tokenLookupSelf()).data.ttl).toBe(1800);

    await admin.tokenRevoke({ token });
    await expect(user.tokenLookupSelf()).rejects.toMatchObject({ response: { statusCode: 403 } });
    await expect(admin.tokenLookup({ token })).rejects.toMatchObject({ response: { statusCode: 403 } });
  });

  it('tokenRenewSelf on a login token, then revoked with the role\'s mount', async () => {
    const roleId = (await admin.getApproleRoleId({ role_name: 'web' })).data.role_id as string;
    const secretId = (await admin.getApproleRoleSecret({ role_name: 'web' })).data.secret_id as string;
    const app = client();
    await app.approleLogin({ role_id: roleId, secret_id: secretId });
    const renewed = await app.tokenRenewSelf({ increment: '30m' });
    expect(renewed.auth).toMatchObject({ lease_duration: 1800, renewable: true });
    await admin.disableAuth({ mount_point: 'approle' });
    await expect(app.tokenLookupSelf()).rejects.toMatchObject({ response: { statusCode: 403 } });
  });
});
