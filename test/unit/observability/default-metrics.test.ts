// observability/metrics.ts: the process and Node metrics are prom-client's whole default set
// (collectDefaultMetrics) under their standard names (process_*, nodejs_*, no prefix), which stock
// Node dashboards and alerts look for.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { Metrics } from '../../../src/observability/metrics.js';

const names = async (r: Registry): Promise<string[]> => (await r.getMetricsAsJSON()).map((m) => m.name).sort();

const standard = (n: string): boolean => n.startsWith('process_') || n.startsWith('nodejs_');

test('every prom-client default metric, under its standard name', async () => {
  const m = new Metrics({ credentials: () => [], pools: () => [] });
  const all = await names(m.registry);
  const reference = new Registry();
  collectDefaultMetrics({ register: reference });
  assert.deepEqual(all.filter(standard), await names(reference));
  for (const n of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_heap_size_used_bytes', 'nodejs_eventloop_lag_p99_seconds', 'nodejs_gc_duration_seconds']) assert.ok(all.includes(n), n);
  assert.deepEqual(all.filter((n) => n.startsWith('origin_signer_process_') || n.startsWith('origin_signer_nodejs_')), [], 'no prefixed copies');
});

test('none without them (defaultMetrics: false)', async () => {
  const m = new Metrics({ credentials: () => [], pools: () => [] }, { defaultMetrics: false });
  assert.deepEqual((await names(m.registry)).filter(standard), []);
});
