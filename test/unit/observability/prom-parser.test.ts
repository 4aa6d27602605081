// The test suite's Prometheus text parser (test/support/ops-prom.ts), which the metrics tests rely
// on: it reads what Prometheus reads (escaped label values, +Inf, NaN in any case, timestamps) and
// refuses what Prometheus refuses, so a malformed exposition fails those tests instead of being
// half-read.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePrometheus, series, sum, value } from '../../support/ops-prom.js';

const TEXT = `# HELP requests_total Requests by block
# TYPE requests_total counter
requests_total{block="/vod/",method="GET",status_class="2xx"} 3
requests_total{block="/a \\"quoted\\" \\\\ back\\nline/",method="GET",status_class="4xx"} 2 1700000000000
# a plain comment
# TYPE latency_seconds histogram
latency_seconds_bucket{block="/vod/",le="0.1"} 1
latency_seconds_bucket{block="/vod/",le="+Inf"} 4
latency_seconds_sum{block="/vod/"} 1.5e-3
latency_seconds_count{block="/vod/"} 4
# TYPE lag gauge
lag Nan
neg -Inf
in_flight 0
trailing_comma{a="1",} 7
`;

test('reads samples, labels (escapes), special values, types and help', () => {
  const e = parsePrometheus(TEXT);
  assert.equal(e.samples.length, 10);
  assert.equal(e.types.get('requests_total'), 'counter');
  assert.equal(e.types.get('latency_seconds'), 'histogram');
  assert.equal(e.help.get('requests_total'), 'Requests by block');
  assert.equal(value(e, 'requests_total', { block: '/vod/', status_class: '2xx' }), 3);
  assert.equal(value(e, 'requests_total', { block: '/a "quoted" \\ back\nline/' }), 2);
  assert.equal(sum(e, 'requests_total'), 5);
  assert.equal(sum(e, 'requests_total', { method: 'GET' }), 5);
  assert.equal(value(e, 'latency_seconds_bucket', { le: '+Inf' }), 4);
  assert.equal(value(e, 'latency_seconds_sum'), 0.0015);
  assert.ok(Number.isNaN(value(e, 'lag')));
  assert.equal(value(e, 'neg'), -Infinity);
  assert.equal(value(e, 'in_flight'), 0);
  assert.equal(value(e, 'trailing_comma', { a: '1' }), 7);
  assert.equal(value(e, 'absent'), undefined);
  assert.equal(series(e, 'requests_total', { block: 'nope' }).length, 0);
  assert.throws(() => value(e, 'requests_total'), /2 samples/);
});

test('refuses malformed lines', () => {
  for (const bad of [
    'm{a=1} 1', // unquoted value
    'm{a="1" 1', // unterminated
    'm{a="x\\q"} 1', // bad escape
    'm{1a="x"} 1', // bad label name
    'm{a="1",a="2"} 1', // repeated label
    '1m 1', // bad metric name
    'm one', // bad value
    'm', // no value
    'm 1 2 3', // too many fields
    '# TYPE m countr',
  ]) {
    assert.throws(() => parsePrometheus(`${bad}\n`), Error, bad);
  }
});
