/** Metrics under Vault's names, served by `sys/metrics` as JSON and Prometheus text (docs/telemetry.md). */
export { Telemetry, type TelemetryOptions, type TokenCounts } from './telemetry.js';
export { EXPIRE_OPS, type ExpireOp, METRICS, ttlBucket } from './names.js';
export type { GaugeValue, MetricsSummary, SampledValue } from './inmem.js';
