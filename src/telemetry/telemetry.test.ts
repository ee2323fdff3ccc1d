import { describe, expect, it } from 'vitest';
import { AuditBroker } from '../audit/broker.js';
import { silentLogger } from '../framework/logger.js';
import { InmemPhysical } from '../storage/inmem/inmem-physical.js';
import { goTimeString } from './inmem.js';
import { ttlBucket } from './names.js';
import { Telemetry } from './telemetry.js';

const CONFIG = { prometheusRetentionTime: 86_400, disableHostname: true, unauthenticatedMetricsAccess: false };

/** Drives every hook the way the core will, with the secrets a real request carries. */
async function exercise(t: Telemetry, secrets: { token: string; password: string }): Promise<void> {
  t.observeRequest(12.5);
  t.observeRequest(7.5);
  t.observeRequest(30, true);
  t.observeExpire('revoke', 4);
  t.observeExpire('renew', 2);
  t.observeExpire('register', 1);
  t.tokenCreated({ authMethod: 'approle', mountPoint: 'auth/approle/', tokenType: 'service', ttlSeconds: 3600 });
  t.leaseCreated({ secretEngine: 'database', mountPoint: 'database/', ttlSeconds: 600 });
  t.setTokenCounts({ total: 3, byPolicy: { default: 3, app: 1 }, byAuth: { approle: 2, token: 1 }, byTTL: { '1h': 2, '+Inf': 1 } });
  t.setLeaseCounts({ 'database/': { active: 4, retrying: 1 }, 'aws/': { active: 2, irrevocable: 1 } });
  const broker = new AuditBroker({ storage: new InmemPhysical(), logger: silentLogger, metrics: t });
  await broker.enable('file', 'file', { file_path: 'discard' });
  await broker.logRequest({ id: 'r', operation: 'update', path: 'database/creds/app', data: { password: secrets.password }, auth: { clientToken: secrets.token } });
  await broker.unload();
}

describe('Telemetry', () => {
  it('serves Vault\'s metric names in Prometheus form, with Ward\'s lease states by mount, and no secret value', async () => {
    const t = new Telemetry({ config: CONFIG });
    const secrets = { token: 'hvs.metrics-secret-token', password: 'metrics-secret-password' };
    await exercise(t, secrets);
    const text = await t.prometheusText();
    for (const name of [
      'vault_core_handle_request', 'vault_core_handle_login_request', 'vault_expire_num_leases', 'vault_expire_num_irrevocable_leases',
      'vault_expire_revoke', 'vault_expire_renew', 'vault_expire_register', 'vault_token_count', 'vault_token_count_by_policy',
      'vault_token_count_by_auth', 'vault_token_count_by_ttl', 'vault_token_creation', 'vault_secret_lease_creation',
      'vault_audit_log_request_failure', 'vault_audit_log_response_failure', 'vault_audit_sink_success',
      'vault_runtime_alloc_bytes', 'vault_runtime_sys_bytes', 'vault_runtime_num_goroutines',
    ]) expect(text).toMatch(new RegExp(`^${name}(\\{| )`, 'm'));
    expect(text).toContain('vault_core_handle_request{quantile="0.5"}');
    expect(text).toContain('vault_core_handle_request_count 2');
    expect(text).toContain('vault_expire_num_leases 8');
    expect(text).toContain('vault_expire_num_irrevocable_leases 1');
    expect(text).toContain('ward_expire_leases{mount="database/",state="retrying"} 1');
    expect(text).toContain('ward_expire_leases{mount="database/",state="active"} 4');
    expect(text).toContain('vault_token_creation{namespace="root",auth_method="approle",mount_point="auth/approle/",creation_ttl="1h",token_type="service"} 1');
    expect(text).toContain('vault_token_count_by_policy{namespace="root",policy="app"} 1');
    expect(text).toContain('vault_audit_log_request_failure 0');
    const json = JSON.stringify(t.jsonSummary());
    for (const s of [secrets.token, secrets.password]) {
      expect(text).not.toContain(s);
      expect(json).not.toContain(s);
    }
    expect(t.prometheusContentType).toBe('text/plain; version=0.0.4; charset=utf-8');
  });

  it('JSON form: go-metrics\' summary of the last finished 10s interval, gauges at their latest value', () => {
    let now = Date.UTC(2024, 0, 2, 3, 4, 0);
    const t = new Telemetry({ config: CONFIG, now: () => now });
    t.observeRequest(10);
    t.observeRequest(20);
    t.tokenCreated({ authMethod: 'token', mountPoint: 'auth/token/', tokenType: 'service', ttlSeconds: 0 });
    t.setLeaseCounts({ 'secret/': { active: 1 } });
    now += 10_000;
    t.observeRequest(1000);
    const s = t.jsonSummary();
    expect(Object.keys(s)).toEqual(['Timestamp', 'Gauges', 'Points', 'Counters', 'Samples']);
    expect(s.Timestamp).toBe('2024-01-02 03:04:00 +0000 UTC');
    const sample = s.Samples.find((x) => x.Name === 'vault.core.handle_request');
    expect(sample).toEqual({ Name: 'vault.core.handle_request', Count: 2, Rate: 3, Sum: 30, Min: 10, Max: 20, Mean: 15, Stddev: Math.sqrt(50), Labels: {} });
    expect(s.Counters.find((x) => x.Name === 'vault.token.creation')?.Labels).toEqual({ namespace: 'root', auth_method: 'token', mount_point: 'auth/token/', creation_ttl: '+Inf', token_type: 'service' });
    expect(s.Gauges.find((g) => g.Name === 'vault.expire.num_leases')).toEqual({ Name: 'vault.expire.num_leases', Value: 1, Labels: {} });
    expect(s.Gauges.find((g) => g.Name === 'ward.expire.leases')).toEqual({ Name: 'ward.expire.leases', Value: 1, Labels: { mount: 'secret/', state: 'active' } });
    expect(s.Gauges.some((g) => g.Name === 'vault.runtime.alloc_bytes' && g.Value > 0)).toBe(true);
  });

  it('puts the host name into gauge names unless disable_hostname, as go-metrics does', async () => {
    const t = new Telemetry({ config: { ...CONFIG, disableHostname: false }, hostname: 'node-1.example' });
    t.observeRequest(1);
    const text = await t.prometheusText();
    expect(text).toMatch(/^vault_node_1_example_runtime_alloc_bytes \d+$/m);
    expect(text).toMatch(/^vault_core_handle_request_count 1$/m);
    expect(t.jsonSummary().Gauges.some((g) => g.Name === 'vault.node-1_example.runtime.alloc_bytes')).toBe(true);
  });

  it('without a telemetry stanza or with prometheus_retention_time 0, Prometheus output is off', () => {
    expect(new Telemetry().prometheusEnabled).toBe(false);
    expect(new Telemetry({ config: { ...CONFIG, prometheusRetentionTime: 0 } }).prometheusEnabled).toBe(false);
    expect(new Telemetry({ config: CONFIG }).prometheusEnabled).toBe(true);
  });

  it('buckets TTLs as Vault\'s metricsutil.TTLBucket', () => {
    expect([30, 60, 61, 3600, 86_400, 2_592_000, 2_592_001].map(ttlBucket)).toEqual(['1m', '1m', '10m', '1h', '1d', '30d', '+Inf']);
    expect(goTimeString(Date.UTC(2024, 0, 2, 3, 4, 5, 600))).toBe('2024-01-02 03:04:06 +0000 UTC');
  });

  it('counts token creations per label set in both forms, across scrapes and intervals', async () => {
    let now = Date.UTC(2024, 0, 2, 3, 4, 0);
    const t = new Telemetry({ config: CONFIG, now: () => now });
    const approle = { authMethod: 'approle', mountPoint: 'auth/approle/', tokenType: 'service', ttlSeconds: 3600 };
    t.tokenCreated(approle);
    t.tokenCreated(approle);
    t.tokenCreated({ ...approle, tokenType: 'batch' });
    let text = await t.prometheusText();
    expect(text).toContain('vault_token_creation{namespace="root",auth_method="approle",mount_point="auth/approle/",creation_ttl="1h",token_type="service"} 2');
    expect(text).toContain('token_type="batch"} 1');
    const creations = (x: string) => x.split('\n').filter((l) => l.startsWith('vault_token_creation{'));
    expect(creations(await t.prometheusText())).toEqual(creations(text)); // a scrape hands pending counts over once
    now += 10_000;
    t.tokenCreated(approle);
    t.leaseCreated({ secretEngine: 'database', mountPoint: 'database/', ttlSeconds: 600 });
    text = await t.prometheusText();
    expect(text).toContain('creation_ttl="1h",token_type="service"} 3');
    expect(text).toContain('vault_secret_lease_creation{namespace="root",secret_engine="database",mount_point="database/",creation_ttl="10m"} 1');
    const counters = t.jsonSummary().Counters.filter((c) => c.Name === 'vault.token.creation'); // the finished interval
    expect(counters.map((c) => [c.Labels.token_type, c.Count]).sort()).toEqual([['batch', 1], ['service', 2]]);
  });
});
