import { Counter, Gauge, Registry } from 'prom-client';
import { InmemSink, type Labels, seriesKey } from './inmem.js';
import { WindowedSummary } from './windowed-summary.js';

/** One metric's identity: its key parts (`['vault', 'core', 'handle_request']`), help text and label names. */
export interface MetricDef {
  key: readonly string[];
  help: string;
  labels?: readonly string[];
}

/** go-metrics' Prometheus name: parts joined with `_`, anything outside `[a-zA-Z0-9_:]` replaced by `_`. */
export const prometheusName = (key: readonly string[]): string => key.join('_').replace(/[^a-zA-Z0-9_:]/g, '_');
/** go-metrics' in-memory name: parts joined with `.`. */
export const dottedName = (key: readonly string[]): string => key.join('.');

const NO_LABELS: Labels = Object.freeze({});

export interface CounterHandle {
  inc(labels?: Labels, value?: number): void;
  /**
   * The counter for one fixed label set, for series fed on every request (token creations): the labels are checked
   * and keyed once, and the Prometheus side adds up in place until a scrape reads it.
   */
  bind(labels: Labels): BoundCounter;
}
export interface BoundCounter { inc(value?: number): void }
export interface GaugeHandle { set(labels: Labels, value: number): void; reset(): void }
export interface SummaryHandle { observe(labels: Labels, value: number): void }

/**
 * Feeds each metric to both forms Vault serves: a prom-client registry (`?format=prometheus`) and the in-memory
 * sink (JSON). Gauges carry the host name after the service prefix unless `disable_hostname`, as go-metrics does.
 */
export class MetricSink {
  readonly registry = new Registry();
  readonly inmem: InmemSink;

  constructor(private readonly hostname: string | null, private readonly now: () => number) {
    this.inmem = new InmemSink(now);
  }

  counter(def: MetricDef): CounterHandle {
    const labelNames = [...(def.labels ?? [])];
    // Increments of bound series not yet handed to prom-client, which takes them when the registry is read.
    const unflushed: Array<{ labels: Labels; pending: number }> = [];
    const prom = new Counter({
      name: prometheusName(def.key),
      help: def.help,
      labelNames,
      registers: [this.registry],
      collect() {
        for (const b of unflushed) {
          if (b.pending === 0) continue;
          this.inc(b.labels, b.pending);
          b.pending = 0;
        }
      },
    });
    const name = dottedName(def.key);
    // Vault emits 0 for its failure counters on success, so the series exists before the first failure.
    if (labelNames.length === 0) prom.inc(0);
    return {
      inc: (labels = NO_LABELS, value = 1) => {
        // Label-less counters (audit sink and failure counts, fed per request with a device) skip label hashing.
        if (labels === NO_LABELS) prom.inc(value);
        else prom.inc(labels, value);
        this.inmem.incrCounter(name, labels, value);
      },
      bind: (labels) => {
        const fixed = Object.freeze({ ...labels });
        prom.inc(fixed, 0); // validates the label names now, as every inc would
        const state = { labels: fixed, pending: 0 };
        unflushed.push(state);
        const key = seriesKey(name, fixed);
        return {
          inc: (value = 1) => {
            state.pending += value;
            this.inmem.incrCounterKeyed(key, name, fixed, value);
          },
        };
      },
    };
  }

  gauge(def: MetricDef): GaugeHandle {
    const key = this.hostname ? [def.key[0] as string, this.hostname, ...def.key.slice(1)] : def.key;
    const prom = new Gauge({ name: prometheusName(key), help: def.help, labelNames: [...(def.labels ?? [])], registers: [this.registry] });
    const name = dottedName(key);
    return {
      set: (labels, value) => {
        prom.set(labels, value);
        this.inmem.setGauge(name, labels, value);
      },
      reset: () => {
        prom.reset();
        this.inmem.clearGauge(name);
      },
    };
  }

  summary(def: MetricDef): SummaryHandle {
    // A WindowedSummary is one window, without label sets: none of Ward's timings has labels.
    if (def.labels && def.labels.length > 0) throw new Error(`summary ${dottedName(def.key)} cannot have labels`);
    // go-metrics' Prometheus summaries: quantiles 0.5/0.9/0.99 over a 10-second window.
    const prom = new WindowedSummary(prometheusName(def.key), def.help, this.now);
    this.registry.registerMetric(prom.asPromMetric());
    const name = dottedName(def.key);
    return {
      observe: (labels, value) => {
        prom.observe(value);
        this.inmem.addSample(name, labels, value);
      },
    };
  }
}
