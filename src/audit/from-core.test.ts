import { describe, expect, it } from 'vitest';
import type { TokenEntry } from '../tokens/token-entry.js';
import { DEFAULT_ENTRY_OPTIONS, formatResponseEntry } from './entry.js';
import { auditAuthFromToken, auditResponseFromCore } from './from-core.js';
import { hashForDevice } from './hash.js';

const SALT = Buffer.alloc(32, 3);
const hash = (v: string): string => hashForDevice(SALT, v);

const entry = {
  handle: 'h', accessor: 'acc-1', parentHandle: '', policies: ['default', 'dev'], path: 'auth/token/create', displayName: 'token-app', meta: { team: 'a' },
  creationTime: Date.UTC(2024, 0, 1), creationTTL: 3600, expireTime: Date.UTC(2024, 0, 1, 1), maxExpireTime: 0, explicitMaxTTL: 0, numUses: 0, period: 0,
  renewable: true, type: 'service', entityId: 'ent', orphan: false, role: '', boundCidrs: [], lastRenewalTime: 0, authMountPath: '', authMountAccessor: '',
  loginInternal: {}, aliasName: '', leaseId: '',
} satisfies TokenEntry;

describe('core → audit input', () => {
  it('maps a resolved token, with identity policies merged into policies', () => {
    expect(auditAuthFromToken('hvs.raw', entry, ['team-pol'], Date.UTC(2024, 0, 1, 0, 30))).toEqual({
      clientToken: 'hvs.raw', accessor: 'acc-1', displayName: 'token-app', policies: ['default', 'dev', 'team-pol'], tokenPolicies: ['default', 'dev'],
      identityPolicies: ['team-pol'], metadata: { team: 'a' }, entityId: 'ent', tokenType: 'service', tokenTTL: 1800, tokenIssueTime: entry.creationTime, remainingUses: 0,
    });
  });

  it('maps a wrapped login response: wrap token and issued token hashed, the pre-wrap data logged hashed', () => {
    const issued = { data: null, issuedAuth: { client_token: 'hvs.issued', accessor: 'acc-2', policies: ['default'], token_type: 'service', lease_duration: 60 } };
    const wrapped = { wrapInfo: { token: 'hvs.wrap', accessor: 'acc-w', ttl: 30, creation_time: '2024-01-02T03:04:05.678000000Z', creation_path: 'auth/approle/login', wrapped_accessor: 'acc-2' } };
    const body = auditResponseFromCore(wrapped, issued);
    const e = formatResponseEntry({ id: 'r', operation: 'update', path: 'auth/approle/login', response: body }, hash, DEFAULT_ENTRY_OPTIONS, 0);
    const line = JSON.stringify(e);
    for (const secret of ['hvs.issued', 'hvs.wrap', 'acc-2', 'acc-w']) expect(line).not.toContain(secret);
    expect(e.response).toMatchObject({
      auth: { client_token: hash('hvs.issued'), accessor: hash('acc-2'), token_ttl: 60 },
      wrap_info: { token: hash('hvs.wrap'), creation_time: '2024-01-02T03:04:05.678Z', ttl: 30, wrapped_accessor: hash('acc-2') },
    });
  });

  it('maps a raw body to Vault\'s http_* data keys, and a lease id to secret.lease_id', () => {
    expect(auditResponseFromCore({ raw: { status: 200, contentType: 'text/plain', body: Buffer.from('PEM') } })).toEqual({
      data: { http_content_type: 'text/plain', http_raw_body: 'PEM', http_status_code: 200 },
    });
    expect(auditResponseFromCore({ data: { password: 'p' }, leaseId: 'db/creds/x/1', warnings: ['w'] })).toEqual({
      data: { password: 'p' }, secret: { leaseId: 'db/creds/x/1' }, warnings: ['w'],
    });
    expect(auditResponseFromCore(null)).toEqual({});
  });
});
