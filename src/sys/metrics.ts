import { definePath, field, type EngineResponse, type PathSpec } from '../framework/index.js';
import type { TelemetryConfig } from '../server/config.js';
import type { Telemetry } from '../telemetry/telemetry.js';

/** Vault's error bodies for sys/metrics are plain text (metricsutil's ErrorContentType). */
const textError = (message: string): EngineResponse => ({ raw: { status: 400, contentType: 'text/plain', body: message } });

/**
 * `sys/metrics`: go-metrics' JSON summary, or with `format=prometheus` the Prometheus text format. Prometheus output
 * is a 400 `prometheus is not enabled` unless the `telemetry` stanza sets a non-zero `prometheus_retention_time`.
 */
export function sysMetricsPaths(telemetry: Telemetry): PathSpec[] {
  return [
    definePath({
      pattern: 'metrics',
      synopsis: 'Returns the server\'s metrics.',
      help: 'JSON by default; `format=prometheus` for the Prometheus text exposition format.',
      fields: { format: field.string({ description: 'Output format: "" (JSON) or "prometheus".', default: '' }) },
      operations: {
        read: async (_req, f) => {
          await telemetry.collect();
          if (f.format === '') {
            return { raw: { status: 200, contentType: 'application/json', body: JSON.stringify(telemetry.jsonSummary()) } };
          }
          if (f.format !== 'prometheus') return textError(`metric response format ${JSON.stringify(f.format)} unknown`);
          if (!telemetry.prometheusEnabled) return textError('prometheus is not enabled');
          return { raw: { status: 200, contentType: telemetry.prometheusContentType, body: await telemetry.prometheusText() } };
        },
      },
    }),
  ];
}

/**
 * The sys paths to add to the sys backend's `special.unauthenticated` list: `metrics` when the telemetry stanza
 * sets `unauthenticated_metrics_access`, nothing otherwise (a token with read on sys/metrics is then required).
 */
export function metricsUnauthenticatedPaths(config: TelemetryConfig | undefined): string[] {
  return config?.unauthenticatedMetricsAccess ? ['metrics'] : [];
}
