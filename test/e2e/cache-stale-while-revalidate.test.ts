// Issue #18, Freshness: within staleWhileRevalidate after expiry the stale copy is served at once
// (X-Cache: STALE, the old body) and the entry is refreshed in the background — once, however many
// viewers see it stale meanwhile. The refresh is held at a gate before the store, so the viewers
// are answered while it is provably still under way; afterwards the refreshed entry is a HIT. A
// refresh that finds the object gone (404) ends the stale serving: it is not served any longer.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { BUCKET, origin as startOrigin, s3 } from '../support/origin-client.js';
import { fakeClock, originGets, shieldConfig, startGate, startShieldProxy } from '../support/shield-e2e.js';
import { waitFor, within } from '../support/wait-for.js';

const VIEWERS = 25;

/** A proxy caching /live/ for 10 s and `staleWhileRevalidate` more, on a fake clock, with `key` read once (a MISS). */
async function cachedOnce(t: TestContext, key: string, body: string, staleWhileRevalidate: string) {
  const clock = fakeClock();
  const origin = await startOrigin(t, { clock: clock.now });
  await origin.putObject(BUCKET, key, body);
  const config = shieldConfig(origin.port, { blocks: [{ path: '/live/', bucket: BUCKET, cache: { ttl: '10s', staleWhileRevalidate } }] });
  const p = await startShieldProxy(t, config, { clock: clock.now });
  assert.equal((await p.get(`/live/${key}`)).headers['x-cache'], 'MISS');
  return { clock, origin, p };
}

test('staleWhileRevalidate: STALE at once for every viewer, one background refresh, then HIT', async (t) => {
  const clock = fakeClock();
  const origin = await startOrigin(t, { clock: clock.now });
  const gate = await startGate(t, origin.port);
  await origin.putObject(BUCKET, 'index.m3u8', '#EXTM3U\n#old\n');
  const config = shieldConfig(origin.port, { blocks: [{ path: '/live/', bucket: BUCKET, port: gate.port, cache: { ttl: '10s', staleWhileRevalidate: '30s' } }] });
  const p = await startShieldProxy(t, config, { clock: clock.now });

  const miss = await p.get('/live/index.m3u8');
  assert.equal(miss.headers['x-cache'], 'MISS');
  assert.equal(miss.text, '#EXTM3U\n#old\n');

  await origin.putObject(BUCKET, 'index.m3u8', '#EXTM3U\n#new playlist\n');
  clock.advance(15_000); // expired 5 s ago, within the 30 s of staleWhileRevalidate
  const before = origin.requests.length;
  gate.hold();

  // Many viewers at once: each is answered from the stale entry while the refresh waits at the gate.
  const answers = await within(Promise.all(Array.from({ length: VIEWERS }, () => p.get('/live/index.m3u8'))), 'the stale viewers answered while the refresh is held', 10_000);
  for (const a of answers) {
    assert.equal(a.status, 200);
    assert.equal(a.headers['x-cache'], 'STALE');
    assert.equal(a.text, '#EXTM3U\n#old\n');
    assert.equal(a.headers.age, '15');
  }
  await waitFor(() => gate.waiting > 0, 'the refresh reached the gate');
  assert.equal(gate.waiting, 1, 'one refresh is under way, whatever the number of stale viewers');

  gate.release();
  await waitFor(() => gate.answered === 2, 'the refresh answered');
  // The refresh completes after its answer reached the proxy: until then a read may still be STALE.
  let after = await p.get('/live/index.m3u8');
  while (after.headers['x-cache'] === 'STALE') {
    assert.equal(after.text, '#EXTM3U\n#old\n');
    after = await p.get('/live/index.m3u8');
  }
  assert.equal(after.headers['x-cache'], 'HIT');
  assert.equal(after.text, '#EXTM3U\n#new playlist\n');
  assert.equal(after.headers.age, '0');

  const refreshes = originGets(origin, 'index.m3u8', before);
  assert.equal(refreshes.length, 1, 'exactly one request reached the store for all of them');
  assert.equal(gate.seen, 2);

  // The refreshed entry is fresh for its own ttl.
  clock.advance(9_000);
  const hit = await p.get('/live/index.m3u8');
  assert.equal(hit.headers['x-cache'], 'HIT');
  assert.equal(hit.text, '#EXTM3U\n#new playlist\n');
  assert.equal(origin.requests.length, before + 1);
});

test('past staleWhileRevalidate the viewer waits for the store: no stale copy', async (t) => {
  const { clock, origin, p } = await cachedOnce(t, 'index.m3u8', '#EXTM3U\n#old\n', '30s');

  await origin.putObject(BUCKET, 'index.m3u8', '#EXTM3U\n#new\n');
  clock.advance(41_000);
  const late = await p.get('/live/index.m3u8');
  assert.notEqual(late.headers['x-cache'], 'STALE');
  assert.equal(late.text, '#EXTM3U\n#new\n');
});

test('a refresh that finds the object gone ends the stale copy: the next viewer gets the 404', async (t) => {
  const { clock, origin, p } = await cachedOnce(t, 'seg-9.ts', 'a segment since deleted\n', '1m');

  // Deleted at the store by another writer (not through the proxy, which would drop the entry).
  assert.equal((await s3(origin, { method: 'DELETE', path: `/${BUCKET}/seg-9.ts` })).status, 204);
  clock.advance(15_000);
  const before = origin.requests.length;
  const stale = await p.get('/live/seg-9.ts');
  assert.equal(stale.headers['x-cache'], 'STALE');
  await waitFor(() => originGets(origin, 'seg-9.ts', before).some((r) => r.status === 404), 'the background refresh was answered 404');
  // Until the proxy has read that answer a viewer may still be given the stale copy (and join the refresh).
  let after = await p.get('/live/seg-9.ts');
  for (let i = 0; i < 20 && after.headers['x-cache'] === 'STALE'; i++) after = await p.get('/live/seg-9.ts');
  assert.equal(after.status, 404, `the stale copy of a deleted object is still served (X-Cache ${String(after.headers['x-cache'])})`);
  assert.match(after.text, /<Code>NoSuchKey<\/Code>/);
  assert.ok(originGets(origin, 'seg-9.ts', before).length <= 3);
});

test('a refresh that finds the object now says no-store ends the stale copy: the next read goes to the store', async (t) => {
  const { clock, origin, p } = await cachedOnce(t, 'index.m3u8', '#EXTM3U\n#old\n', '30s');

  await origin.putObject(BUCKET, 'index.m3u8', '#EXTM3U\n#private\n', { headers: { 'cache-control': 'no-store' } });
  clock.advance(15_000);
  const before = origin.requests.length;
  const stale = await p.get('/live/index.m3u8');
  assert.equal(stale.headers['x-cache'], 'STALE');
  await waitFor(() => originGets(origin, 'index.m3u8', before).length === 1, 'the background refresh answered');
  // Until the refresh's answer is handled a read may still be STALE; after it, never again.
  let next = await p.get('/live/index.m3u8');
  for (let i = 0; i < 50 && next.headers['x-cache'] === 'STALE'; i++) next = await p.get('/live/index.m3u8');
  assert.equal(next.headers['x-cache'], 'MISS', 'the old copy is no longer served stale');
  assert.equal(next.text, '#EXTM3U\n#private\n');
  assert.equal((await p.get('/live/index.m3u8')).headers['x-cache'], 'MISS', 'no-store: never kept');
});
