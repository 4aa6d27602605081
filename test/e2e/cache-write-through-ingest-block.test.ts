// Regression (hunt, 2026-12-07): README "Ingest" suggests writes through their own block (`/ingest/`,
// PUT and DELETE, uncached) beside players' cached `/live/` on the same bucket — yet a write
// dropped only the writing block's own entry, so `/live/` served the old playlist after a PUT and
// the deleted one after a DELETE until its TTL. A write now drops the key in every cached block on
// the same store whose keyPrefix covers it, and nothing in a block on another bucket or prefix.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUCKET, origin as startOrigin, raw } from '../support/origin-client.js';
import { shieldConfig, startShieldProxy } from '../support/shield-e2e.js';

const OTHER = 'other-bucket';

test('a write through an uncached ingest block drops the cached copies of every block on the store', { timeout: 30_000 }, async (t) => {
  const origin = await startOrigin(t, { buckets: [BUCKET, OTHER] });
  await origin.putObject(BUCKET, 'ch1/index.m3u8', 'playlist v1');
  await origin.putObject(OTHER, 'ch1/index.m3u8', 'other bucket');
  await origin.putObject(BUCKET, 'ch2/index.m3u8', 'channel two');
  const config = shieldConfig(origin.port, {
    stores: { memory: { maxSize: '16MiB' } },
    blocks: [
      { path: '/live/', bucket: BUCKET, cache: { ttl: '1h' } },
      { path: '/ch1/', bucket: BUCKET, cache: { ttl: '1h' } }, // keyPrefix ch1/, set below
      { path: '/ch2/', bucket: BUCKET, cache: { ttl: '1h' } }, // keyPrefix ch2/: not the written key's
      { path: '/elsewhere/', bucket: OTHER, cache: { ttl: '1h' } },
      { path: '/ingest/', bucket: BUCKET, methods: ['PUT', 'DELETE'] },
    ],
  }) as { proxies: Array<{ upstream: Record<string, unknown> }> };
  config.proxies[1]!.upstream['keyPrefix'] = 'ch1/';
  config.proxies[2]!.upstream['keyPrefix'] = 'ch2/';
  const p = await startShieldProxy(t, config);
  const warm = async (): Promise<void> => {
    for (const path of ['/live/ch1/index.m3u8', '/ch1/index.m3u8', '/ch2/index.m3u8', '/elsewhere/ch1/index.m3u8']) await p.get(path);
  };
  await warm();
  assert.equal((await p.get('/live/ch1/index.m3u8')).headers['x-cache'], 'HIT');

  assert.equal((await raw(p.port, { method: 'PUT', path: '/ingest/ch1/index.m3u8', body: 'playlist v2' })).status, 200);
  for (const path of ['/live/ch1/index.m3u8', '/ch1/index.m3u8']) {
    const r = await p.get(path);
    assert.equal(r.text, 'playlist v2', path);
    assert.equal(r.headers['x-cache'], 'MISS', path);
  }
  // Another prefix and another bucket keep their entries.
  assert.equal((await p.get('/ch2/index.m3u8')).headers['x-cache'], 'HIT');
  const other = await p.get('/elsewhere/ch1/index.m3u8');
  assert.equal(other.headers['x-cache'], 'HIT');
  assert.equal(other.text, 'other bucket');

  assert.equal((await raw(p.port, { method: 'DELETE', path: '/ingest/ch1/index.m3u8' })).status, 204);
  for (const path of ['/live/ch1/index.m3u8', '/ch1/index.m3u8']) assert.equal((await p.get(path)).status, 404, path);
});
