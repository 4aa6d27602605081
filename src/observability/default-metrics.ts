import { createRequire } from 'node:module';
import { collectDefaultMetrics, type Registry } from 'prom-client';

type DefaultMetric = (registry: Registry, config: { register: Registry; prefix: string; eventLoopMonitoringPrecision: number }) => void;

const load = createRequire(import.meta.url);

/**
 * prom-client's default metrics minus `nodejs_gc_duration_seconds`. Why: that histogram comes from
 * a `PerformanceObserver` on 'gc', and Node builds an entry object (with two deprecation-warning
 * closures, DEP0152) for every collection, many a second under load; those objects outlive
 * young collections, fill the old generation and bring on the full collections that made the
 * latency tail (bench/NOTES.md). `node --trace-gc` shows every collection when GC is the question.
 */
export const DEFAULT_METRICS: readonly string[] = collectDefaultMetrics.metricsList.filter((name) => name !== 'gc');

export function registerDefaultMetrics(registry: Registry, prefix: string): void {
  // collectDefaultMetrics' own defaults, which it applies before calling each of these.
  const config = { register: registry, prefix, eventLoopMonitoringPrecision: 10 };
  for (const name of DEFAULT_METRICS) (load(`prom-client/lib/metrics/${name}.js`) as DefaultMetric)(registry, config);
}
