// The Metrics registry (src/observability/metrics.ts) against README "Operations → Metrics": every
// metric the table lists is exposed with exactly the labels it lists and a Prometheus-conventional
// type, and the values a scrape reads from the live sources (credential sets, pools) are theirs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Pool } from 'undici';
import type { CredentialProvider, CredentialState } from '../../../src/credentials/provider.js';
import { Metrics, statusClass } from '../../../src/observability/metrics.js';
import { parsePrometheus, series, value } from '../../support/ops-prom.js';
import { repoRoot } from '../../support/paths.js';

interface Documented {
  readonly names: string[];
  readonly labels: string[];
}

/** The rows of the README's metrics table: metric names (backticked) and label names (backticked, outside parentheses). */
function documentedMetrics(): Documented[] {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const start = readme.indexOf('**Metrics.**');
  assert.ok(start >= 0, 'README has a Metrics paragraph');
  const rows = readme.slice(start).split('\n').slice(1);
  const table: Documented[] = [];
  let inTable = false;
  for (const row of rows) {
    if (!row.startsWith('|')) {
      if (inTable) break;
      continue;
    }
    inTable = true;
    const cells = row.split('|').slice(1, -1).map((c) => c.trim());
    if (cells[0] === 'metric' || /^-+$/.test(cells[0] ?? '')) continue;
    const ticks = (s: string): string[] => [...s.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
    table.push({ names: ticks(cells[0]!).filter((n) => /^(origin_signer_|process_|nodejs_)/.test(n)), labels: ticks((cells[1] ?? '').replace(/\([^)]*\)/g, '')) });
  }
  return table;
}

function provider(name: string, state: Partial<CredentialState>): CredentialProvider {
  const full: CredentialState = { name, expiration: undefined, valid: true, refreshes: 0, consecutiveFailures: 0, lastError: undefined, ...state };
  return { name, current: () => undefined, get: () => Promise.reject(new Error('unused')), start: async () => {}, state: () => full, close: () => {} };
}

test('every metric in the README table is exposed with the documented labels', async () => {
  const expiry = new Date(Date.now() + 1800_000);
  const m = new Metrics({
    credentials: () => [provider('static', {}), provider('box', { expiration: expiry, consecutiveFailures: 2, valid: false })],
    pools: () => [{ origin: 'http://store.internal:7480', pool: { stats: { connected: 3, free: 1, running: 2, pending: 5 } } as unknown as Pool }],
    cache: () => ({ memory: { entries: 3, bytes: 3000, reserved: 100, maxBytes: 10_000 }, disk: { entries: 5, bytes: 5000, maxBytes: 50_000 }, fills: 1, shared: { up: true, detail: 'cache:6379/0 up' } }),
  });
  // One of everything.
  m.inFlight.inc();
  m.countRequest('/vod/', 'GET', statusClass(206), 0.02, 0.01, 1000, 0);
  m.countRequest('/vod/', 'PUT', statusClass(200), 0.03, 0.02, 0, 512);
  m.inFlight.dec();
  m.upstreamErrors.inc({ block: '/vod/', code: 'OS_ERR_UPSTREAM_TIMEOUT' });
  m.refused.inc({ block: '/vod/', code: 'OS_ERR_KEY_DOT_SEGMENT' });
  m.retries.inc({ block: '/vod/', reason: '503' });
  m.signatureMismatches.inc({ block: '/vod/' });
  m.upstreamQueued.set({ block: '/vod/' }, 0);
  m.upstreamQueueWait.observe({ block: '/vod/' }, 0.002);
  m.accessDenied.inc({ block: '/vod/', reason: 'expired' });
  m.configReloads.inc({ result: 'applied' });
  m.credentialRefreshes.inc({ set: 'box' });
  m.credentialRefreshFailures.inc({ set: 'box' });
  m.credentialLastRefresh.set({ set: 'box' }, Date.now() / 1000);
  m.configApplied('0123456789ab', Date.now());
  m.cache.count('/vod/', 'HIT', 1000);
  m.cache.evictions.inc({ store: 'memory' });
  m.cache.sharedReads.inc({ result: 'hit' });
  m.cache.sharedErrors.inc({ op: 'get' });
  const e = parsePrometheus(await m.registry.metrics());

  const table = documentedMetrics();
  assert.ok(table.length >= 10, `${table.length} rows`);
  for (const row of table) {
    for (const name of row.names) {
      if (name.endsWith('*')) {
        const prefix = name.slice(0, -1);
        assert.ok(e.samples.some((s) => s.name.startsWith(prefix)), `some ${name} metric`);
        continue;
      }
      const type = e.types.get(name);
      assert.ok(type, `${name} is exposed`);
      if (name.endsWith('_total')) assert.equal(type, 'counter', name);
      if (name.endsWith('_seconds') && name.includes('duration')) assert.equal(type, 'histogram', name);
      const samples = type === 'histogram' ? series(e, `${name}_count`) : series(e, name);
      assert.ok(samples.length > 0, `${name} has samples`);
      for (const s of samples) assert.deepEqual(Object.keys(s.labels).sort(), [...row.labels].sort(), `${name} labels`);
    }
  }

  // Values read at scrape time from the sources.
  assert.equal(value(e, 'origin_signer_requests_total', { block: '/vod/', method: 'GET', status_class: '2xx' }), 1);
  assert.equal(value(e, 'origin_signer_response_bytes_total', { block: '/vod/' }), 1000);
  assert.equal(value(e, 'origin_signer_upload_bytes_total', { block: '/vod/' }), 512);
  assert.equal(value(e, 'origin_signer_requests_in_flight'), 0);
  assert.equal(value(e, 'origin_signer_credentials_valid', { set: 'static' }), 1);
  assert.equal(value(e, 'origin_signer_credentials_valid', { set: 'box' }), 0);
  assert.equal(value(e, 'origin_signer_credentials_consecutive_failures', { set: 'box' }), 2);
  assert.equal(value(e, 'origin_signer_credentials_expiry_seconds', { set: 'static' }), undefined);
  const left = value(e, 'origin_signer_credentials_expiry_seconds', { set: 'box' })!;
  assert.ok(left > 1790 && left <= 1800, String(left));
  assert.deepEqual(
    Object.fromEntries(series(e, 'origin_signer_pool_connections', { origin: 'http://store.internal:7480' }).map((s) => [s.labels.state, s.value])),
    { connected: 3, free: 1 },
  );
  assert.deepEqual(
    Object.fromEntries(series(e, 'origin_signer_pool_requests', { origin: 'http://store.internal:7480' }).map((s) => [s.labels.state, s.value])),
    { running: 2, pending: 5 },
  );
  const build = series(e, 'origin_signer_build_info');
  assert.equal(build.length, 1);
  assert.equal(build[0]!.value, 1);
  assert.deepEqual(build[0]!.labels, { version: (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version, node: process.version });
});

test('statusClass', () => {
  assert.deepEqual([101, 200, 206, 304, 404, 499, 503].map(statusClass), ['1xx', '2xx', '2xx', '3xx', '4xx', '4xx', '5xx']);
});
