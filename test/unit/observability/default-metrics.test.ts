// observability/default-metrics.ts: the process and Node metrics are prom-client's default set,
// kept in step with it (a prom-client upgrade that adds one shows up here), minus the GC histogram,
// whose per-collection observer cost full collections under load (README "Performance").
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { Metrics } from '../../../src/observability/metrics.js';

const names = async (r: Registry): Promise<string[]> => (await r.getMetricsAsJSON()).map((m) => m.name).sort();

test('every prom-client default metric but nodejs_gc_duration_seconds, with the origin_signer_ prefix', async () => {
  const m = new Metrics({ credentials: () => [], pools: () => [] });
  const ours = (await names(m.registry)).filter((n) => n.startsWith('origin_signer_process_') || n.startsWith('origin_signer_nodejs_'));
  const reference = new Registry();
  collectDefaultMetrics({ register: reference, prefix: 'origin_signer_' });
  const theirs = await names(reference);
  assert.ok(theirs.includes('origin_signer_nodejs_gc_duration_seconds'), 'prom-client still has the GC histogram this leaves out');
  assert.deepEqual(ours, theirs.filter((n) => n !== 'origin_signer_nodejs_gc_duration_seconds'));
});
