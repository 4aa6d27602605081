import { createRequire } from 'node:module';
import { collectDefaultMetrics, type Registry } from 'prom-client';

type DefaultMetric = (registry: Registry, config: { register: Registry; prefix: string; eventLoopMonitoringPrecision: number }) => void;

const load = createRequire(import.meta.url);

/**
 * prom-client's default metrics minus `nodejs_gc_duration_seconds`. Why: that histogram comes from
 * a `PerformanceObserver` on 'gc', and Node builds an entry object (with two deprecation-warning
 * closures, DEP0152) for every collection — some 190 a second under load with the 2 MiB young
 * generation. Those entries were the second-largest source of objects promoted to the old
 * generation (after undici's timers, interceptors/timeouts.ts) and so of full collections; without
 * both, a 1 KiB load ran one full collection in 12 s instead of six or seven, and its p99 fell
 * from 3.4–4.1 to 1.6–1.7 ms (README "Performance"). `ORIGIN_SIGNER_NODE_FLAGS=--trace-gc` shows
 * every collection when GC is the question.
 */
export const DEFAULT_METRICS: readonly string[] = collectDefaultMetrics.metricsList.filter((name) => name !== 'gc');

export function registerDefaultMetrics(registry: Registry, prefix: string): void {
  // collectDefaultMetrics' own defaults, which it applies before calling each of these.
  const config = { register: registry, prefix, eventLoopMonitoringPrecision: 10 };
  for (const name of DEFAULT_METRICS) (load(`prom-client/lib/metrics/${name}.js`) as DefaultMetric)(registry, config);
}
