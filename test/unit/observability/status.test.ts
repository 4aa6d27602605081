// The status page's data (src/observability/status.ts) from a real Metrics registry, its rates,
// its quantiles against what PromQL's histogram_quantile gives, and the page's escaping.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pool } from 'undici';
import { quantile } from '../../../src/observability/exposition.js';
import { Metrics, statusClass } from '../../../src/observability/metrics.js';
import { buildStatus, type StatusContext } from '../../../src/observability/status.js';
import { RateWindow } from '../../../src/observability/status-rates.js';
import { renderStatusPage } from '../../../src/server/status-page.js';

const ctx = (sets: Record<string, string>): StatusContext => ({
  configFile: '/etc/origin-signer/config.yaml',
  processes: 1,
  blocks: () => [
    { path: '/vod/', origin: 'http://store:7480', credentials: 'box' },
    { path: '/idle/', origin: 'http://store:7480', credentials: 'box' },
  ],
  credentialSources: () => new Map(Object.entries(sets)),
});

test('per block, pool and set, from the metrics text', async () => {
  const m = new Metrics({ credentials: () => [], pools: () => [{ origin: 'http://store:7480', pool: { stats: { connected: 2, free: 1, running: 1, pending: 3 } } as unknown as Pool }] }, { defaultMetrics: false });
  for (let i = 0; i < 10; i++) m.countRequest('/vod/', 'GET', statusClass(i < 9 ? 200 : 503), 0.02, 0.004, 1000, 0);
  m.upstreamErrors.inc({ block: '/vod/', code: 'OS_ERR_UPSTREAM_TIMEOUT' });
  m.upstreamQueueWait.observe({ block: '/vod/' }, 0.3);
  m.credentialLastRefresh.set({ set: 'box' }, 1_700_000_000);
  m.configApplied('0123456789ab', 1_700_000_100_000);
  const rates = new RateWindow();
  const r = buildStatus(await m.registry.metrics(), ctx({ box: 'instance-metadata' }), rates, 1_700_000_200_000);
  const vod = r.blocks.find((b) => b.path === '/vod/')!;
  assert.equal(vod.requests, 10);
  assert.deepEqual(vod.statusClasses, { '2xx': 9, '5xx': 1 });
  assert.equal(vod.ratePerSecond, undefined, 'no rate from one look');
  assert.ok(vod.upstreamP50Seconds! > 0.0025 && vod.upstreamP50Seconds! <= 0.005, String(vod.upstreamP50Seconds));
  assert.equal(vod.upstreamErrors, 1);
  assert.equal(vod.bytesOut, 10_000);
  assert.ok(vod.queueWaitP99Seconds! > 0.1 && vod.queueWaitP99Seconds! <= 0.5);
  const idle = r.blocks.find((b) => b.path === '/idle/')!;
  assert.deepEqual([idle.requests, idle.upstreamP50Seconds, idle.bytesOut], [0, undefined, 0], 'a configured block with no traffic is listed');
  assert.deepEqual(r.pools, [{ origin: 'http://store:7480', connected: 2, free: 1, running: 1, pending: 3 }]);
  assert.deepEqual(r.credentials, [{ name: 'box', source: 'instance-metadata', valid: undefined, expiresAt: undefined, lastRefreshAt: '2023-11-14T22:13:20.000Z', refreshes: 0, refreshFailures: 0, consecutiveFailures: 0 }]);
  assert.deepEqual(r.config, { file: '/etc/origin-signer/config.yaml', sha256: ['0123456789ab'], loadedAt: '2023-11-14T22:15:00.000Z' });

  // Two looks 10 s apart: 5 more requests are 0.5/s.
  for (let i = 0; i < 5; i++) m.countRequest('/vod/', 'GET', '2xx', 0.01, 0.004, 1, 0);
  const later = buildStatus(await m.registry.metrics(), ctx({ box: 'instance-metadata' }), rates, 1_700_000_210_000);
  assert.equal(later.rateSeconds, 10);
  assert.equal(later.blocks.find((b) => b.path === '/vod/')!.ratePerSecond, 0.5);
});

test('RateWindow: a sample a second at most, a minute kept, counter resets counted from zero', () => {
  const w = new RateWindow(60_000);
  assert.equal(w.observe(0, new Map([['a', 10]])).seconds, 0);
  assert.equal(w.observe(500, new Map([['a', 20]])).seconds, 0, 'under a second: no rate yet');
  assert.deepEqual(w.observe(2000, new Map([['a', 30]])), { rates: new Map([['a', 10]]), seconds: 2 });
  assert.equal(w.observe(120_000, new Map([['a', 40]])).seconds, 118, 'the oldest sample within a minute of the newest but one');
  assert.equal(w.observe(121_000, new Map([['a', 5]])).rates.get('a')! > 0, true, 'a reset does not give a negative rate');
});

test('quantile interpolates within the bucket, as histogram_quantile does', () => {
  // histogram_quantile(0.5, …) over le 0.1: 10, 0.2: 30, +Inf: 40 → rank 20 in (0.1, 0.2] → 0.15.
  assert.ok(Math.abs(quantile(0.5, [{ le: 0.1, count: 10 }, { le: 0.2, count: 30 }, { le: Infinity, count: 40 }])! - 0.15) < 1e-12);
  assert.equal(quantile(0.99, [{ le: 0.1, count: 10 }, { le: 0.2, count: 30 }, { le: Infinity, count: 40 }]), 0.2, 'the +Inf bucket answers the highest finite bound');
  assert.equal(quantile(0.5, [{ le: 0.1, count: 0 }, { le: Infinity, count: 0 }]), undefined);
});

test('the page escapes every name it shows', async () => {
  const m = new Metrics({ credentials: () => [], pools: () => [] }, { defaultMetrics: false });
  const r = buildStatus(await m.registry.metrics(), ctx({ '<img src=x onerror=alert(1)>': 'static' }), new RateWindow(), Date.now());
  const html = renderStatusPage(r);
  assert.ok(!html.includes('<img'), 'no markup from a name');
  assert.match(html, /&#60;img src=x onerror=alert\(1\)&#62;/);
  assert.match(html, /<meta http-equiv="refresh" content="\d+">/);
  assert.doesNotMatch(html, /<script|<link|src="http/, 'no script and no external asset');
});
