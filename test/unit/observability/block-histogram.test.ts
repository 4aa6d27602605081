// observability/block-histogram.ts against prom-client's own Histogram, its oracle: for the same
// observations per block, a registry with either gives the same Prometheus text and the same JSON
// (which the cluster's AggregatorRegistry merges), buckets, +Inf, sum and count included.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { AggregatorRegistry, Histogram, Registry } from 'prom-client';
import { BlockHistogram } from '../../../src/observability/block-histogram.js';

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const NAME = 'origin_signer_request_duration_seconds';

function both(observations: ReadonlyArray<readonly [string, number]>): { ours: Registry; theirs: Registry } {
  const ours = new Registry();
  const theirs = new Registry();
  const h = new BlockHistogram({ name: NAME, help: 'Time', buckets: BUCKETS, registers: [ours] });
  const p = new Histogram({ name: NAME, help: 'Time', labelNames: ['block'], buckets: BUCKETS, registers: [theirs] });
  for (const [block, v] of observations) {
    h.series(block).observe(v);
    p.observe({ block }, v);
  }
  return { ours, theirs };
}

/** The JSON values without prom-client's `exemplar` field, which this histogram does not have. */
async function json(r: Registry): Promise<unknown> {
  const [m] = await r.getMetricsAsJSON();
  const values = m!.values as Array<{ labels: object; value: number; metricName?: string }>;
  return { ...m, values: values.map(({ labels, value, metricName }) => ({ labels, value, metricName })) };
}

const blocks = fc.constantFrom('/a/', '/vod/', '/b "q"/', '/ü/');
// Values on the bucket bounds too: `le` means less than or equal.
const seconds = fc.oneof(fc.double({ min: 0, max: 100, noNaN: true }), fc.constantFrom(...BUCKETS, 0, 31));

test('the same text and JSON as prom-client\'s Histogram for any observations', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.tuple(blocks, seconds), { maxLength: 60 }), async (obs) => {
      const { ours, theirs } = both(obs);
      assert.equal(await ours.metrics(), await theirs.metrics());
      assert.deepEqual(await json(ours), await json(theirs));
    }),
    { numRuns: 200 },
  );
});

test('the cluster aggregation of two workers\' registries matches prom-client\'s', async () => {
  const a = both([['/a/', 0.003], ['/a/', 0.2], ['/vod/', 7]]);
  const b = both([['/a/', 0.004], ['/vod/', 40]]);
  const merged = (r1: Registry, r2: Registry): Promise<string> =>
    Promise.all([r1.getMetricsAsJSON(), r2.getMetricsAsJSON()]).then((m) => AggregatorRegistry.aggregate(m).metrics());
  assert.equal(await merged(a.ours, b.ours), await merged(a.theirs, b.theirs));
  assert.match(await merged(a.ours, b.ours), /origin_signer_request_duration_seconds_count\{block="\/a\/"\} 3/);
});

test('reset zeroes every series', async () => {
  const r = new Registry();
  const h = new BlockHistogram({ name: NAME, help: 'Time', buckets: BUCKETS, registers: [r] });
  h.series('/a/').observe(0.5);
  r.resetMetrics();
  assert.match(await r.metrics(), /_count\{block="\/a\/"\} 0/);
  assert.match(await r.metrics(), /_sum\{block="\/a\/"\} 0/);
});
