// Regression (found by a hostile-viewer hunt): staleWhileRevalidate on a sliced block never took a
// changed object. The background refresh (a ranged probe with If-None-Match) got the new version's
// 206 and kept only its slice, never the object's entry: every read in the window stayed STALE with
// the old bytes, and each sent the store another GET. Now the probe's answer replaces the entry:
// one refresh, then the new object — as on a whole-object block, checked alongside.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CACHE_BUCKET, cacheOrigin, cachedBlock, fetchGot, inProcessProxy, ManualClock, originReads } from '../support/cache-fixture.js';
import { waitFor } from '../support/wait-for.js';

const KEY = 'live/index.m3u8';
const NEW = '#EXTM3U\n#new playlist\n';

for (const [label, cache] of [
  ['sliced', { ttl: '10s', staleWhileRevalidate: '60s', slice: '64KiB' }],
  ['whole', { ttl: '10s', staleWhileRevalidate: '60s' }],
] as const) {
  test(`staleWhileRevalidate takes a changed object once (${label})`, async (t) => {
    const clock = new ManualClock();
    const origin = await cacheOrigin(t, { clock: clock.read });
    await origin.putObject(CACHE_BUCKET, KEY, '#EXTM3U\n#old\n');
    const proxy = await inProcessProxy(t, [cachedBlock(origin.port, '/c/', cache)], { clock: clock.read });
    assert.equal((await fetchGot(proxy.port, `/c/${KEY}`)).headers['x-cache'], 'MISS');
    await origin.putObject(CACHE_BUCKET, KEY, NEW);
    clock.advance(15_000);
    const before = originReads(origin, KEY).length;

    const stale = await fetchGot(proxy.port, `/c/${KEY}`);
    assert.equal(stale.headers['x-cache'], 'STALE');
    assert.equal(stale.body.toString(), '#EXTM3U\n#old\n');
    // Reads go on until the refreshed entry answers; each one before that is STALE, joining the one refresh.
    const fresh = await waitFor(async () => {
      const g = await fetchGot(proxy.port, `/c/${KEY}`);
      return g.body.toString() === NEW ? g : undefined;
    }, 'the new object after the background refresh');
    assert.equal(fresh.headers['x-cache'], 'HIT');
    assert.equal(originReads(origin, KEY).length - before, 1, 'one background refresh, however many reads');
  });
}

// Review: a new version that says no-store cannot replace the entry; it must still end the stale serving.
for (const [label, cache] of [
  ['sliced', { ttl: '10s', staleWhileRevalidate: '60s', slice: '64KiB' }],
  ['whole', { ttl: '10s', staleWhileRevalidate: '60s' }],
] as const) {
  test(`staleWhileRevalidate: a new version that says no-store ends the stale copy (${label})`, async (t) => {
    const clock = new ManualClock();
    const origin = await cacheOrigin(t, { clock: clock.read });
    await origin.putObject(CACHE_BUCKET, KEY, '#EXTM3U\n#old\n');
    const proxy = await inProcessProxy(t, [cachedBlock(origin.port, '/c/', cache)], { clock: clock.read });
    assert.equal((await fetchGot(proxy.port, `/c/${KEY}`)).headers['x-cache'], 'MISS');
    await origin.putObject(CACHE_BUCKET, KEY, NEW, { headers: { 'cache-control': 'no-store' } });
    clock.advance(15_000);
    assert.equal((await fetchGot(proxy.port, `/c/${KEY}`)).headers['x-cache'], 'STALE');
    const fresh = await waitFor(async () => {
      const g = await fetchGot(proxy.port, `/c/${KEY}`);
      return g.body.toString() === NEW ? g : undefined;
    }, 'the new object once the refresh saw it');
    assert.notEqual(fresh.headers['x-cache'], 'STALE');
  });
}
