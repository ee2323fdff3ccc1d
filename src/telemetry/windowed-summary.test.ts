import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { WindowedSummary } from './windowed-summary.js';

describe('WindowedSummary', () => {
  it('renders like prom-client\'s summary: quantile lines, then cumulative _sum and _count', async () => {
    const registry = new Registry();
    const s = new WindowedSummary('vault_core_handle_request', 'Time to handle a request, ms', () => 1_000_000);
    registry.registerMetric(s.asPromMetric());
    for (let v = 1; v <= 100; v++) s.observe(v);
    expect(await registry.metrics()).toBe([
      '# HELP vault_core_handle_request Time to handle a request, ms',
      '# TYPE vault_core_handle_request summary',
      'vault_core_handle_request{quantile="0.5"} 50',
      'vault_core_handle_request{quantile="0.9"} 90',
      'vault_core_handle_request{quantile="0.99"} 99',
      'vault_core_handle_request_sum 5050',
      'vault_core_handle_request_count 100',
      '',
    ].join('\n'));
  });

  it('quantiles cover the last 10 seconds only; _sum and _count stay cumulative', () => {
    let now = 10_000_000;
    const s = new WindowedSummary('t', 'h', () => now);
    expect(s.quantiles()).toEqual([0, 0, 0]);
    s.observe(1000);
    now += 6_000;
    s.observe(1);
    expect(s.quantiles()).toEqual([1, 1000, 1000]);
    now += 5_000;
    expect(s.quantiles()).toEqual([1, 1, 1]);
    now += 10_000;
    expect(s.quantiles()).toEqual([0, 0, 0]);
    s.observe(5);
    expect(s.quantiles()).toEqual([5, 5, 5]);
  });

  it('past its capacity a slice keeps a uniform sample, so quantiles stay close', () => {
    const s = new WindowedSummary('t', 'h', () => 0);
    // 100,000 values 0..99,999 in shuffled order within one slice.
    const values = Array.from({ length: 100_000 }, (_, i) => i);
    for (let i = values.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [values[i], values[j]] = [values[j] as number, values[i] as number];
    }
    for (const v of values) s.observe(v);
    const [p50, p90, p99] = s.quantiles() as [number, number, number];
    expect(Math.abs(p50 - 50_000)).toBeLessThan(4_000);
    expect(Math.abs(p90 - 90_000)).toBeLessThan(3_000);
    expect(Math.abs(p99 - 99_000)).toBeLessThan(1_000);
  });

  it('refuses values that are not finite numbers, as prom-client does', () => {
    const s = new WindowedSummary('t', 'h', () => 0);
    expect(() => s.observe(Number.NaN)).toThrow(TypeError);
  });
});
