import type { Metric } from 'prom-client';

/** go-metrics' Prometheus summaries: these quantiles over a window of `SLICES` slices of `SLICE_MS` each (10 s). */
const QUANTILES = [0.5, 0.9, 0.99] as const;
const SLICE_MS = 2_000;
const SLICES = 5;
/** Values kept per slice; past this a slice keeps a uniform sample (reservoir sampling) of what it saw. */
const SLICE_CAPACITY = 4_096;

interface Slice {
  /** `floor(time / SLICE_MS)` of the slice's observations; -1 = never used. */
  epoch: number;
  /** Observations made in this slice; `min(seen, SLICE_CAPACITY)` of them are kept in `values`. */
  seen: number;
  values: Float64Array | null;
}

/** One line of prom-client's metric object (what `Registry` formats). */
interface SummaryValue {
  metricName?: string;
  labels: Record<string, string | number>;
  value: number;
}

/**
 * A label-less Prometheus summary with prom-client's output (`{quantile="0.5"}` … lines, then cumulative `_sum` and
 * `_count`), registered with a prom-client `Registry` as a custom metric. prom-client's own `Summary` pushes every
 * observation into five t-digests, which costs a few percent of a kv read; this keeps the raw values of each 2-second
 * slice in a typed array and sorts them only when metrics are scraped. Quantiles are nearest-rank over the slices of
 * the last 10 seconds (each value weighted by how many observations it stands for once a slice has sampled).
 */
export class WindowedSummary {
  readonly type = 'summary';
  readonly aggregator = 'sum';
  private readonly slices: Slice[] = Array.from({ length: SLICES }, () => ({ epoch: -1, seen: 0, values: null }));
  private current: Slice = this.slices[0] as Slice;
  private count = 0;
  private sum = 0;

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly now: () => number,
  ) {}

  /** As a prom-client metric, for `Registry.registerMetric` (which only reads `name` and calls `get`/`reset`). */
  asPromMetric(): Metric {
    return this as unknown as Metric;
  }

  observe(value: number): void {
    if (!Number.isFinite(value)) throw new TypeError(`Value is not a valid number: ${value}`);
    this.count++;
    this.sum += value;
    const epoch = Math.floor(this.now() / SLICE_MS);
    let slice = this.current;
    if (slice.epoch !== epoch) slice = this.enter(epoch);
    const seen = slice.seen++;
    const values = slice.values as Float64Array;
    if (seen < SLICE_CAPACITY) values[seen] = value;
    else {
      // Algorithm R: every observation of the slice ends up kept with the same probability.
      const slot = Math.floor(Math.random() * (seen + 1));
      if (slot < SLICE_CAPACITY) values[slot] = value;
    }
  }

  /** Makes the slice for `epoch` current, emptying whatever older slice held its place in the ring. */
  private enter(epoch: number): Slice {
    const slice = this.slices[epoch % SLICES] as Slice;
    if (slice.epoch !== epoch) {
      slice.epoch = epoch;
      slice.seen = 0;
      slice.values ??= new Float64Array(SLICE_CAPACITY);
    }
    this.current = slice;
    return slice;
  }

  /** The quantiles over the last 10 seconds; 0 when nothing was observed then (as prom-client's summary). */
  quantiles(): number[] {
    const newest = Math.floor(this.now() / SLICE_MS);
    const weighted: Array<{ value: number; weight: number }> = [];
    let total = 0;
    for (const slice of this.slices) {
      if (slice.epoch <= newest - SLICES || slice.epoch > newest || slice.seen === 0 || !slice.values) continue;
      const kept = Math.min(slice.seen, SLICE_CAPACITY);
      const weight = slice.seen / kept;
      for (let i = 0; i < kept; i++) weighted.push({ value: slice.values[i] as number, weight });
      total += slice.seen;
    }
    if (weighted.length === 0) return QUANTILES.map(() => 0);
    weighted.sort((a, b) => a.value - b.value);
    return QUANTILES.map((q) => {
      const rank = q * total;
      let cumulative = 0;
      for (const w of weighted) {
        cumulative += w.weight;
        if (cumulative >= rank) return w.value;
      }
      return (weighted[weighted.length - 1] as { value: number }).value;
    });
  }

  /** prom-client's metric object: what `Registry.metrics()` renders. */
  get(): Promise<{ name: string; help: string; type: 'summary'; aggregator: 'sum'; values: SummaryValue[] }> {
    const values: SummaryValue[] = this.quantiles().map((value, i) => ({ labels: { quantile: QUANTILES[i] as number }, value }));
    values.push({ metricName: `${this.name}_sum`, labels: {}, value: this.sum });
    values.push({ metricName: `${this.name}_count`, labels: {}, value: this.count });
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values });
  }

  reset(): void {
    this.count = 0;
    this.sum = 0;
    for (const slice of this.slices) slice.seen = 0;
  }
}
