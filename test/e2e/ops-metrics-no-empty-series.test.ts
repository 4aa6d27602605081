// README "Operations → Metrics": a series appears once something happened for its labels. A fresh
// proxy shows no per-block series at all; after a GET through a block and a request no block
// serves, every origin_signer_ counter and histogram series it shows has counted something (no
// upload bytes for a block that took no upload, no upstream latency for "(none)"), and the build
// and the standard process_*/nodejs_* names are there.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { raw } from '../support/origin-client.js';
import { scrape, series, sum, until, value, type Exposition } from '../support/ops-prom.js';
import { repoRoot } from '../support/paths.js';
import { blockFor, startProxyCli } from '../support/proxy-cli.js';

const BUCKET = 'empty-series-bucket';
const KEYS = { accessKeyId: 'AKIDOPSEMPTY000001', secretAccessKey: 'ops/empty+secret=0123456789abcdef' };

/** Counter samples at 0 and histograms with no observation, among the origin_signer_ families. */
function emptySeries(e: Exposition): string[] {
  const empty: string[] = [];
  for (const [family, type] of e.types) {
    if (!family.startsWith('origin_signer_')) continue;
    const counted = type === 'counter' ? series(e, family) : type === 'histogram' ? series(e, `${family}_count`) : [];
    for (const s of counted) if (s.value === 0) empty.push(`${family}${JSON.stringify(s.labels)}`);
  }
  return empty;
}

test('no series for label sets that never occurred; build info and standard process names', { timeout: 60_000 }, async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  await origin.putObject(BUCKET, 'a.txt', 'object a\n', { contentType: 'text/plain' });
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    credentials: { reader: KEYS },
    proxies: [blockFor(origin.port, { path: '/e/', bucket: BUCKET, version: 'v4', mode: 'header', addressing: 'path', credentials: 'reader' })],
  });

  const fresh = await scrape(proxy.adminUrl);
  assert.deepEqual(fresh.samples.filter((s) => 'block' in s.labels).map((s) => `${s.name}${JSON.stringify(s.labels)}`), [], 'a fresh proxy has no per-block series');
  assert.deepEqual(emptySeries(fresh), []);
  const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
  assert.deepEqual(series(fresh, 'origin_signer_build_info').map((s) => [s.labels, s.value]), [[{ version, node: process.version }, 1]]);
  for (const n of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_heap_size_used_bytes', 'nodejs_eventloop_lag_p99_seconds']) assert.ok(series(fresh, n).length > 0, n);
  assert.equal(fresh.samples.filter((s) => s.name.startsWith('origin_signer_process_') || s.name.startsWith('origin_signer_nodejs_')).length, 0, 'no prefixed copies');

  assert.equal((await raw(proxy.port, { path: '/e/a.txt' })).status, 200);
  assert.equal((await raw(proxy.port, { path: '/nowhere/a.txt' })).status, 404);
  // Counted when each response closes on the proxy's side, which can come after the viewer read it.
  const m = await until('both requests counted', () => scrape(proxy.adminUrl), (e) => sum(e, 'origin_signer_requests_total') === 2);
  assert.equal(value(m, 'origin_signer_requests_total', { block: '/e/', method: 'GET', status_class: '2xx' }), 1);
  assert.equal(value(m, 'origin_signer_requests_total', { block: '(none)', method: 'GET', status_class: '4xx' }), 1);
  assert.deepEqual(emptySeries(m), []);
  assert.deepEqual(series(m, 'origin_signer_upload_bytes_total'), [], 'no upload: no upload series');
  assert.deepEqual(series(m, 'origin_signer_upstream_duration_seconds_count').map((s) => s.labels.block), ['/e/'], '"(none)" never reached a store');
});
