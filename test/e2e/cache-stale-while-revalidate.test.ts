// Issue #18, Freshness: within staleWhileRevalidate after expiry the stale copy is served at once
// (X-Cache: STALE, the old body) and the entry is refreshed in the background — once, however many
// viewers see it stale meanwhile. The refresh is held at a gate before the store, so the viewers
// are answered while it is provably still under way; afterwards the refreshed entry is a HIT.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUCKET, origin as startOrigin } from '../support/origin-client.js';
import { fakeClock, originGets, shieldConfig, startGate, startShieldProxy, waitFor, within } from '../support/shield-e2e.js';

const VIEWERS = 25;

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
  const answers = await within(10_000, 'the stale viewers answered while the refresh is held', Promise.all(Array.from({ length: VIEWERS }, () => p.get('/live/index.m3u8'))));
  for (const a of answers) {
    assert.equal(a.status, 200);
    assert.equal(a.headers['x-cache'], 'STALE');
    assert.equal(a.text, '#EXTM3U\n#old\n');
    assert.equal(a.headers.age, '15');
  }
  assert.equal(gate.waiting, 1, 'one refresh is under way, whatever the number of stale viewers');

  gate.release();
  await waitFor('the refresh answered', () => gate.answered === 2);
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
  const clock = fakeClock();
  const origin = await startOrigin(t, { clock: clock.now });
  await origin.putObject(BUCKET, 'index.m3u8', '#EXTM3U\n#old\n');
  const config = shieldConfig(origin.port, { blocks: [{ path: '/live/', bucket: BUCKET, cache: { ttl: '10s', staleWhileRevalidate: '30s' } }] });
  const p = await startShieldProxy(t, config, { clock: clock.now });
  assert.equal((await p.get('/live/index.m3u8')).headers['x-cache'], 'MISS');

  await origin.putObject(BUCKET, 'index.m3u8', '#EXTM3U\n#new\n');
  clock.advance(41_000);
  const late = await p.get('/live/index.m3u8');
  assert.notEqual(late.headers['x-cache'], 'STALE');
  assert.equal(late.text, '#EXTM3U\n#new\n');
});
