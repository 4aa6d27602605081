// observability/metrics.ts: the process and Node metrics are prom-client's whole default set
// (collectDefaultMetrics), with the origin_signer_ prefix they have always had.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { Metrics } from '../../../src/observability/metrics.js';

const names = async (r: Registry): Promise<string[]> => (await r.getMetricsAsJSON()).map((m) => m.name).sort();

test('every prom-client default metric, with the origin_signer_ prefix', async () => {
  const m = new Metrics({ credentials: () => [], pools: () => [] });
  const ours = (await names(m.registry)).filter((n) => n.startsWith('origin_signer_process_') || n.startsWith('origin_signer_nodejs_'));
  const reference = new Registry();
  collectDefaultMetrics({ register: reference, prefix: 'origin_signer_' });
  assert.deepEqual(ours, await names(reference));
  assert.ok(ours.includes('origin_signer_nodejs_gc_duration_seconds'));
});

test('none without them (defaultMetrics: false)', async () => {
  const m = new Metrics({ credentials: () => [], pools: () => [] }, { defaultMetrics: false });
  assert.deepEqual((await names(m.registry)).filter((n) => n.startsWith('origin_signer_process_') || n.startsWith('origin_signer_nodejs_')), []);
});
