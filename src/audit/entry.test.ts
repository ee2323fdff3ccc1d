import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ENTRY_OPTIONS, formatRequestEntry, formatResponseEntry } from './entry.js';
import { hashForDevice, hashValues, rfc3339NanoTrimmed } from './hash.js';
import { toJSONx } from './jsonx.js';
import type { AuditResponseInput } from './types.js';

const SALT = Buffer.alloc(32, 7);
const hash = (v: string): string => hashForDevice(SALT, v);
const NOW = Date.UTC(2024, 0, 2, 3, 4, 5, 678);

const TOKEN = 'hvs.CAESIJ-secret-token';
const ACCESSOR = 'accessor-2a9f';
const WRAP_TOKEN = 'hvs.wrapping-token';
const PASSWORD = 'A1a-generated-password';

function input(): AuditResponseInput {
  return {
    id: 'req-1',
    operation: 'update',
    path: 'database/creds/app',
    mountType: 'database',
    mountPoint: 'database/',
    remoteAddress: '10.0.0.5',
    wrapTTL: 60,
    data: { ttl: 3600, renewable: true, nested: { password: PASSWORD, list: ['one', 2, false, null] } },
    auth: {
      clientToken: TOKEN, accessor: ACCESSOR, displayName: 'approle', policies: ['default', 'app'], tokenPolicies: ['default', 'app'],
      identityPolicies: ['team'], metadata: { role_name: 'app' }, entityId: 'ent-1', tokenType: 'service',
    },
    response: {
      data: { username: 'v-app-x1', password: PASSWORD, max: 5 },
      secret: { leaseId: 'database/creds/app/abc' },
      auth: { clientToken: 'hvs.new-token', accessor: 'new-accessor', policies: ['default'], tokenType: 'service', numUses: 0 },
      wrapInfo: { token: WRAP_TOKEN, accessor: 'wrap-accessor', ttl: 60, creationTime: NOW, creationPath: 'database/creds/app', wrappedAccessor: 'wrapped-acc' },
      warnings: ['a warning'],
    },
  };
}

describe('hashForDevice', () => {
  it('is hmac-sha256:<hex of HMAC-SHA256(salt, value)>', () => {
    const expected = createHmac('sha256', SALT).update('foo').digest('hex');
    expect(hashForDevice(SALT, 'foo')).toBe(`hmac-sha256:${expected}`);
    expect(hashForDevice(Buffer.alloc(32, 8), 'foo')).not.toBe(hashForDevice(SALT, 'foo'));
  });

  it('hashes every string at any depth, keeps keys, numbers, booleans and null, honours plaintext keys', () => {
    const out = hashValues({ a: 'x', n: 1, b: true, z: null, deep: { list: ['y', { k: 'z' }] }, keep: 'plain' }, hash, ['keep']);
    expect(out).toEqual({ a: hash('x'), n: 1, b: true, z: null, deep: { list: [hash('y'), { k: hash('z') }] }, keep: 'plain' });
  });

  it('formats times as RFC 3339 with fractions, trailing zeros trimmed (Go RFC3339Nano)', () => {
    expect(rfc3339NanoTrimmed(NOW)).toBe('2024-01-02T03:04:05.678Z');
    expect(rfc3339NanoTrimmed(Date.UTC(2024, 0, 2))).toBe('2024-01-02T00:00:00Z');
    expect(rfc3339NanoTrimmed(NOW + 0.123)).toBe('2024-01-02T03:04:05.678123Z');
  });
});

describe('audit entries', () => {
  it('request entry: Vault\'s shape, tokens, accessors and data strings hashed', () => {
    const e = formatRequestEntry(input(), hash, DEFAULT_ENTRY_OPTIONS, NOW);
    expect(Object.keys(e)).toEqual(['time', 'auth', 'request', 'type']);
    expect(e).toEqual({
      time: '2024-01-02T03:04:05.678Z',
      type: 'request',
      auth: {
        accessor: hash(ACCESSOR), client_token: hash(TOKEN), display_name: 'approle', entity_id: 'ent-1', identity_policies: ['team'],
        metadata: { role_name: 'app' }, policies: ['default', 'app'], token_policies: ['default', 'app'], token_type: 'service',
      },
      request: {
        client_token: hash(TOKEN), client_token_accessor: hash(ACCESSOR), id: 'req-1', operation: 'update', mount_type: 'database',
        mount_point: 'database/', namespace: { id: 'root' }, path: 'database/creds/app', remote_address: '10.0.0.5', wrap_ttl: 60,
        data: { ttl: 3600, renewable: true, nested: { password: hash(PASSWORD), list: [hash('one'), 2, false, null] } },
      },
    });
  });

  it('response entry: response data, issued auth and wrap token hashed; lease id kept', () => {
    const e = formatResponseEntry(input(), hash, DEFAULT_ENTRY_OPTIONS, NOW);
    expect(e.type).toBe('response');
    expect(e.response).toEqual({
      auth: { accessor: hash('new-accessor'), client_token: hash('hvs.new-token'), policies: ['default'], token_type: 'service' },
      data: { username: hash('v-app-x1'), password: hash(PASSWORD), max: 5 },
      mount_point: 'database/',
      mount_type: 'database',
      secret: { lease_id: 'database/creds/app/abc' },
      wrap_info: {
        accessor: hash('wrap-accessor'), creation_path: 'database/creds/app', creation_time: '2024-01-02T03:04:05.678Z',
        token: hash(WRAP_TOKEN), ttl: 60, wrapped_accessor: hash('wrapped-acc'),
      },
      warnings: ['a warning'],
    });
    const line = JSON.stringify(e);
    for (const plain of [TOKEN, ACCESSOR, WRAP_TOKEN, PASSWORD, 'hvs.new-token', 'new-accessor', 'v-app-x1']) expect(line).not.toContain(plain);
  });

  it('hmac_accessor=false leaves accessors readable, tokens still hashed', () => {
    const e = formatResponseEntry(input(), hash, { ...DEFAULT_ENTRY_OPTIONS, hmacAccessor: false }, NOW);
    const line = JSON.stringify(e);
    expect((e.auth as Record<string, unknown>).accessor).toBe(ACCESSOR);
    expect((e.request as Record<string, unknown>).client_token_accessor).toBe(ACCESSOR);
    expect(line).toContain('"wrapped_accessor":"wrapped-acc"');
    for (const secret of [TOKEN, WRAP_TOKEN, PASSWORD]) expect(line).not.toContain(secret);
  });

  it('log_raw writes everything in plaintext', () => {
    const line = JSON.stringify(formatResponseEntry(input(), hash, { ...DEFAULT_ENTRY_OPTIONS, logRaw: true }, NOW));
    for (const plain of [TOKEN, ACCESSOR, WRAP_TOKEN, PASSWORD]) expect(line).toContain(plain);
    expect(line).not.toContain('hmac-sha256:');
  });

  it('an unauthenticated request still carries auth.token_type "default", as Vault writes it', () => {
    const e = formatRequestEntry({ id: 'r', operation: 'read', path: 'sys/health' }, hash, DEFAULT_ENTRY_OPTIONS, NOW);
    expect(e.auth).toEqual({ token_type: 'default' });
    expect(e.request).toEqual({ id: 'r', namespace: { id: 'root' }, operation: 'read', path: 'sys/health' });
  });

  it('elide_list_responses replaces keys and key_info of a list response by their sizes', () => {
    const e = formatResponseEntry(
      { id: 'r', operation: 'list', path: 'secret/metadata/', response: { data: { keys: ['a', 'b'], key_info: { a: {}, b: {} } } } },
      hash, { ...DEFAULT_ENTRY_OPTIONS, elideListResponses: true }, NOW,
    );
    expect((e.response as Record<string, unknown>).data).toEqual({ keys: 2, key_info: 2 });
  });

  it('carries the error of a refused request', () => {
    const e = formatRequestEntry({ id: 'r', operation: 'read', path: 'secret/x', error: 'permission denied' }, hash, DEFAULT_ENTRY_OPTIONS, NOW);
    expect(Object.keys(e)).toEqual(['time', 'auth', 'error', 'request', 'type']);
    expect(e.error).toBe('permission denied');
  });

  it('jsonx: children of the entry object, keys sorted, text escaped', () => {
    const x = toJSONx({ type: 'request', auth: { policies: ['root'], metadata: null }, n: 60, ok: true, s: 'a<b' });
    expect(x).toBe(
      '<json:object name="auth"><json:null name="metadata" /><json:array name="policies"><json:string>root</json:string></json:array></json:object>'
      + '<json:number name="n">60</json:number><json:boolean name="ok">true</json:boolean><json:string name="s">a&lt;b</json:string>'
      + '<json:string name="type">request</json:string>',
    );
  });
});
