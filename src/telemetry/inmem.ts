/**
 * The JSON form of `sys/metrics`: go-metrics' in-memory sink, which Vault serves when no `format` is asked for.
 * Counters and samples aggregate per 10-second interval, one minute is kept, and the answer shows the most recent
 * finished interval (the current one until a first interval has finished), as `InmemSink.DisplayMetrics` does.
 */

export type Labels = Record<string, string>;

/** go-metrics `GaugeValue`. */
export interface GaugeValue {
  Name: string;
  Value: number;
  Labels: Labels;
}

/** go-metrics `SampledValue`: counters and timings. */
export interface SampledValue {
  Name: string;
  Count: number;
  Rate: number;
  Sum: number;
  Min: number;
  Max: number;
  Mean: number;
  Stddev: number;
  Labels: Labels;
}

/** go-metrics `MetricsSummary`, the body of `GET sys/metrics`. */
export interface MetricsSummary {
  Timestamp: string;
  Gauges: GaugeValue[];
  Points: { Name: string; Points: number[] }[];
  Counters: SampledValue[];
  Samples: SampledValue[];
}

interface Aggregate {
  name: string;
  labels: Labels;
  count: number;
  sum: number;
  sumSq: number;
  min: number;
  max: number;
}

interface Interval {
  start: number;
  counters: Map<string, Aggregate>;
  samples: Map<string, Aggregate>;
}

/** The key of one series (a name and a label set) in the sink's maps. */
export function seriesKey(name: string, labels: Labels): string {
  // Most series (request timings) have no labels and are fed on every request: skip the sort and stringify.
  for (const _ in labels) return `${name}${JSON.stringify(Object.entries(labels).sort())}`;
  return `${name}[]`;
}

/** Go's `time.Time.String()` of a UTC time rounded to the second: `2024-01-02 03:04:05 +0000 UTC`. */
export function goTimeString(ms: number): string {
  const iso = new Date(Math.round(ms / 1000) * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} +0000 UTC`;
}

function toSampled(a: Aggregate, rateDenom: number): SampledValue {
  const mean = a.count === 0 ? 0 : a.sum / a.count;
  const div = a.count * (a.count - 1);
  const stddev = div === 0 ? 0 : Math.sqrt(Math.max(0, (a.count * a.sumSq - a.sum * a.sum) / div));
  return { Name: a.name, Count: a.count, Rate: a.sum / rateDenom, Sum: a.sum, Min: a.min, Max: a.max, Mean: mean, Stddev: stddev, Labels: { ...a.labels } };
}

const byName = <T extends { Name: string }>(a: T, b: T): number => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0);

export class InmemSink {
  private intervals: Interval[] = [];
  /** Gauges are state, not events: the summary always shows their latest value. */
  private readonly gauges = new Map<string, GaugeValue>();

  constructor(private readonly now: () => number = Date.now, private readonly intervalMs = 10_000, private readonly retainMs = 60_000) {}

  setGauge(name: string, labels: Labels, value: number): void {
    this.gauges.set(seriesKey(name, labels), { Name: name, Value: value, Labels: { ...labels } });
  }

  /** Drops every series of a gauge (before setting a fresh set of label values). */
  clearGauge(name: string): void {
    for (const [k, g] of this.gauges) if (g.Name === name) this.gauges.delete(k);
  }

  incrCounter(name: string, labels: Labels, value: number): void {
    this.ingest(this.current().counters, name, labels, value);
  }

  /** `incrCounter` for a caller that keeps `key` (= `seriesKey(name, labels)`) instead of computing it each time. */
  incrCounterKeyed(key: string, name: string, labels: Labels, value: number): void {
    this.ingestKeyed(this.current().counters, key, name, labels, value);
  }

  addSample(name: string, labels: Labels, value: number): void {
    this.ingest(this.current().samples, name, labels, value);
  }

  summary(): MetricsSummary {
    this.current();
    const n = this.intervals.length;
    const shown = (n >= 2 ? this.intervals[n - 2] : this.intervals[0]) as Interval;
    const rateDenom = this.intervalMs / 1000;
    return {
      Timestamp: goTimeString(shown.start),
      Gauges: [...this.gauges.values()].map((g) => ({ ...g, Labels: { ...g.Labels } })).sort(byName),
      Points: [],
      Counters: [...shown.counters.values()].map((a) => toSampled(a, rateDenom)).sort(byName),
      Samples: [...shown.samples.values()].map((a) => toSampled(a, rateDenom)).sort(byName),
    };
  }

  private ingest(into: Map<string, Aggregate>, name: string, labels: Labels, value: number): void {
    this.ingestKeyed(into, seriesKey(name, labels), name, labels, value);
  }

  private ingestKeyed(into: Map<string, Aggregate>, key: string, name: string, labels: Labels, value: number): void {
    let a = into.get(key);
    if (!a) {
      a = { name, labels: { ...labels }, count: 0, sum: 0, sumSq: 0, min: value, max: value };
      into.set(key, a);
    }
    a.count++;
    a.sum += value;
    a.sumSq += value * value;
    a.min = Math.min(a.min, value);
    a.max = Math.max(a.max, value);
  }

  /** The interval `now` falls in, created on demand; intervals older than the retention are dropped. */
  private current(): Interval {
    const t = this.now();
    const start = t - (t % this.intervalMs);
    const last = this.intervals[this.intervals.length - 1];
    if (last && last.start === start) return last;
    const fresh: Interval = { start, counters: new Map(), samples: new Map() };
    this.intervals.push(fresh);
    const keep = Math.ceil(this.retainMs / this.intervalMs);
    if (this.intervals.length > keep) this.intervals = this.intervals.slice(-keep);
    return fresh;
  }
}
