import type { Registry } from 'prom-client';

/** The counts of one block: per bucket (not cumulative; the last is +Inf), sum and count. */
export class HistogramSeries {
  readonly counts: Float64Array;
  sum = 0;
  count = 0;
  readonly #bounds: readonly number[];

  constructor(bounds: readonly number[]) {
    this.#bounds = bounds;
    this.counts = new Float64Array(bounds.length + 1);
  }

  /** The first bucket whose upper bound is ≥ v (Prometheus' `le`), as prom-client's `findBound`. */
  observe(v: number): void {
    const b = this.#bounds;
    let i = 0;
    while (i < b.length && v > b[i]!) i++;
    this.counts[i]!++;
    this.sum += v;
    this.count++;
  }
}

interface Value {
  labels: Record<string, string | number>;
  sharedLabels?: Record<string, string>;
  value: number;
  metricName: string;
}

/**
 * A Prometheus histogram with one label, `block`, for the per-request metrics. Why not
 * prom-client's `Histogram`: every observation there, through a label-bound child too, copies the
 * labels, validates them and hashes them into a string key, work and garbage on every request for
 * the two latency histograms (bench/NOTES.md). Here a block's series is
 * looked up once and an observation is an index and three additions. A scrape goes through
 * prom-client's `Registry` unchanged: `getForPromString()`/`get()` return what prom-client's own
 * histogram returns for the same observations (test/unit/observability/block-histogram), so the
 * text, the JSON and the cluster aggregation (`aggregator: 'sum'`) are the same.
 */
export class BlockHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  readonly labelNames = ['block'] as const;
  readonly name: string;
  readonly help: string;
  readonly #bounds: readonly number[];
  #series = new Map<string, HistogramSeries>();

  constructor(o: { name: string; help: string; buckets: readonly number[]; registers: Registry[] }) {
    this.name = o.name;
    this.help = o.help;
    this.#bounds = [...o.buckets].sort((a, b) => a - b);
    for (const r of o.registers) r.registerMetric(this as never);
  }

  /** The series of one block, created on first use; keep it to observe without a lookup. */
  series(block: string): HistogramSeries {
    let s = this.#series.get(block);
    if (!s) {
      s = new HistogramSeries(this.#bounds);
      this.#series.set(block, s);
    }
    return s;
  }

  reset(): void {
    for (const s of this.#series.values()) {
      s.counts.fill(0);
      s.sum = 0;
      s.count = 0;
    }
  }

  /** prom-client's shape for the text format: `le` in `labels`, the block in `sharedLabels`. */
  getForPromString(): { name: string; help: string; type: string; aggregator: string; values: Value[] } {
    const values: Value[] = [];
    for (const [block, s] of this.#series) {
      const shared = { block };
      let acc = 0;
      this.#bounds.forEach((le, i) => {
        acc += s.counts[i]!;
        values.push({ labels: { le }, sharedLabels: shared, value: acc, metricName: `${this.name}_bucket` });
      });
      values.push({ labels: { le: '+Inf' }, sharedLabels: shared, value: s.count, metricName: `${this.name}_bucket` });
      values.push({ labels: {}, sharedLabels: shared, value: s.sum, metricName: `${this.name}_sum` });
      values.push({ labels: {}, sharedLabels: shared, value: s.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  /** prom-client's JSON shape: the shared labels merged into `labels`. */
  get(): { name: string; help: string; type: string; aggregator: string; values: Value[] } {
    const data = this.getForPromString();
    data.values = data.values.map(({ labels, sharedLabels, value, metricName }) => ({ labels: { ...labels, ...sharedLabels }, value, metricName }));
    return data;
  }
}
