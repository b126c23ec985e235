/**
 * A Prometheus histogram for the request hot path, registered in a prom-client Registry beside
 * prom-client's own metrics. prom-client's Histogram re-hashes the label object on every
 * `observe`, also through a `labels(…)` child (the child only binds the labels); here a child
 * holds its bucket counts itself, so an observation is a bucket search and three additions.
 * The registry reads it like any metric (`get()` returns the same shape prom-client's Histogram
 * does: cumulative `_bucket` values with `le`, then `_sum` and `_count`), so `/metrics` text is
 * unchanged.
 *
 * @example
 *   const h = new FastHistogram({ name: 'x_seconds', help: '…', labelNames: ['route'], buckets: [0.01, 0.1], registers: [registry] });
 *   const child = h.child(['products']);  // keep it: one per label set
 *   child.observe(0.004);
 */
import type { Metric, Registry } from 'prom-client';

/** One line of the exposition, as prom-client's registry reads it. */
export interface SampleValue {
  readonly metricName: string;
  readonly labels: Readonly<Record<string, string | number>>;
  readonly value: number;
}

/** What the registry reads from a metric. */
export interface HistogramData {
  readonly name: string;
  readonly help: string;
  readonly type: 'histogram';
  readonly aggregator: 'sum';
  readonly values: readonly SampleValue[];
}

export interface FastHistogramOptions<L extends string> {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly L[];
  /** Upper bounds, ascending. */
  readonly buckets: readonly number[];
  readonly registers: readonly Registry[];
}

export class HistogramChild {
  /** Observations per bucket (not cumulative); the last slot is +Inf. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(
    private readonly bounds: readonly number[],
    readonly labels: Readonly<Record<string, string>>,
  ) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(value: number): void {
    const b = this.bounds;
    let i = 0;
    while (i < b.length && value > (b[i] as number)) i++;
    this.counts[i] = (this.counts[i] ?? 0) + 1;
    this.sum += value;
    this.count++;
  }
}

export class FastHistogram<L extends string> {
  readonly type = 'histogram' as const;
  readonly aggregator = 'sum' as const;
  readonly name: string;
  readonly help: string;
  private readonly children = new Map<string, HistogramChild>();

  constructor(private readonly o: FastHistogramOptions<L>) {
    this.name = o.name;
    this.help = o.help;
    // The registry only reads name, type, get() and reset() of what it holds.
    for (const r of o.registers) r.registerMetric(this as unknown as Metric);
  }

  /** The child of one label set, values in `labelNames` order (created on first use). */
  child(values: readonly string[]): HistogramChild {
    const key = values.join('\u0000');
    let c = this.children.get(key);
    if (c === undefined) {
      const labels: Record<string, string> = {};
      this.o.labelNames.forEach((n, i) => (labels[n] = values[i] ?? ''));
      this.children.set(key, (c = new HistogramChild(this.o.buckets, labels)));
    }
    return c;
  }

  async get(): Promise<HistogramData> {
    const values: SampleValue[] = [];
    const bucket = `${this.name}_bucket`;
    for (const c of this.children.values()) {
      let acc = 0;
      this.o.buckets.forEach((le, i) => {
        acc += c.counts[i] as number;
        values.push({ metricName: bucket, labels: { le, ...c.labels }, value: acc });
      });
      values.push({ metricName: bucket, labels: { le: '+Inf', ...c.labels }, value: c.count });
      values.push({ metricName: `${this.name}_sum`, labels: c.labels, value: c.sum });
      values.push({ metricName: `${this.name}_count`, labels: c.labels, value: c.count });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  reset(): void {
    this.children.clear();
  }
}
