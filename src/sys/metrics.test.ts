import { describe, expect, it } from 'vitest';
import { InmemPhysical } from '../storage/inmem/inmem-physical.js';
import { Telemetry } from '../telemetry/telemetry.js';
import { metricsUnauthenticatedPaths, sysMetricsPaths } from './metrics.js';
import { sysHarness } from './sys-harness.suite.js';

const CONFIG = { prometheusRetentionTime: 86_400, disableHostname: true, unauthenticatedMetricsAccess: false };

describe('sys/metrics', () => {
  it('answers go-metrics JSON by default', async () => {
    const t = new Telemetry({ config: CONFIG });
    t.observeRequest(3);
    const resp = await sysHarness(sysMetricsPaths(t), new InmemPhysical()).call('read', 'metrics');
    expect(resp?.raw?.status).toBe(200);
    expect(resp?.raw?.contentType).toBe('application/json');
    const body = JSON.parse(String(resp?.raw?.body)) as { Samples: { Name: string }[]; Gauges: unknown[]; Counters: unknown[]; Points: unknown[]; Timestamp: string };
    expect(body.Samples.map((s) => s.Name)).toContain('vault.core.handle_request');
    expect(body.Timestamp).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \+0000 UTC$/);
  });

  it('answers Prometheus text with ?format=prometheus, after running the collectors', async () => {
    const t = new Telemetry({ config: CONFIG });
    t.addCollector(async () => t.setLeaseCounts({ 'database/': { active: 2, retrying: 1 } }));
    t.addCollector(() => {
      throw new Error('a broken collector does not fail the scrape');
    });
    const resp = await sysHarness(sysMetricsPaths(t), new InmemPhysical()).call('read', 'metrics', { format: 'prometheus' });
    expect(resp?.raw?.status).toBe(200);
    expect(resp?.raw?.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(String(resp?.raw?.body)).toContain('# TYPE vault_core_handle_request summary');
    expect(String(resp?.raw?.body)).toContain('ward_expire_leases{mount="database/",state="retrying"} 1');
  });

  it('is a plain-text 400 when Prometheus is not enabled, or the format is unknown (Vault\'s texts)', async () => {
    for (const config of [undefined, { ...CONFIG, prometheusRetentionTime: 0 }]) {
      const sys = sysHarness(sysMetricsPaths(new Telemetry(config ? { config } : {})), new InmemPhysical());
      expect((await sys.call('read', 'metrics', { format: 'prometheus' }))?.raw).toEqual({ status: 400, contentType: 'text/plain', body: 'prometheus is not enabled' });
    }
    const sys = sysHarness(sysMetricsPaths(new Telemetry({ config: CONFIG })), new InmemPhysical());
    expect((await sys.call('read', 'metrics', { format: 'xml' }))?.raw).toEqual({ status: 400, contentType: 'text/plain', body: 'metric response format "xml" unknown' });
  });

  it('is listed as unauthenticated only when unauthenticated_metrics_access is set', () => {
    expect(metricsUnauthenticatedPaths(undefined)).toEqual([]);
    expect(metricsUnauthenticatedPaths(CONFIG)).toEqual([]);
    expect(metricsUnauthenticatedPaths({ ...CONFIG, unauthenticatedMetricsAccess: true })).toEqual(['metrics']);
  });
});
