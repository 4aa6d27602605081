// Regression (a flaky 502 in cache-slices, "an object replaced between slices"): a slice read that
// found the object changed (412 to If-Match) started over, but its new probe joined the fill the
// first viewer had started on the old version, still bringing slice 0. That fill's headers named
// the old ETag again, the next slice was refused again, and the viewer got 502 "kept changing".
// Under CI load the first probe was simply slow; here a relay holds it part-way.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CACHE_BUCKET, cacheOrigin, cachedBlock, fetchGot, originReads, viewer } from '../support/cache-fixture.js';
import { gateRelay } from '../support/gate-relay.js';
import { startProxyCli } from '../support/proxy-cli.js';
import { generatedBytes, etagOf } from '../support/generated-body.js';
import { MiB } from '../support/sizes.js';
import { within } from '../support/wait-for.js';

const SIZE = 5 * MiB + 300_000;

test('a read that finds its object changed never joins the fill of the old version', { timeout: 60_000 }, async (t) => {
  const origin = await cacheOrigin(t);
  const gate = await gateRelay(t, origin.port);
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    proxies: [cachedBlock(gate.port, '/g/', { ttl: '1h', slice: '1MiB' })],
  });
  const key = 'vod/replaced-while-probed.mp4';
  const v1 = generatedBytes(SIZE, 'version 1');
  const v2 = generatedBytes(SIZE, 'version 2');
  await origin.putObject(CACHE_BUCKET, key, v1);

  // The first viewer's probe (slice 0 of v1) is held after 1000 bytes: past its range, so that
  // viewer is answered, while the probe is still in progress. Other connections pass.
  gate.hold(1000, { afterHead: true, alone: true });
  const first = await within(viewer(proxy.port, `/g/${key}`, { range: 'bytes=100-200' }).done, 'the first viewer');
  assert.equal(first.status, 206);
  assert.ok(first.body.equals(v1.subarray(100, 201)));

  await origin.putObject(CACHE_BUCKET, key, v2);
  const n = originReads(origin, key).length;
  const second = await within(fetchGot(proxy.port, `/g/${key}`, { range: 'bytes=3000000-3000100' }), 'the read after the change');
  assert.equal(second.status, 206, second.body.toString('utf8', 0, 300));
  assert.equal(second.headers.etag, etagOf(v2));
  assert.ok(second.body.equals(v2.subarray(3_000_000, 3_000_101)), 'v2 bytes');
  const reads = originReads(origin, key)
    .slice(n)
    .map((r) => ({ range: r.headers.range, ifMatch: r.headers['if-match'], status: r.status }));
  assert.deepEqual(reads, [
    { range: 'bytes=2097152-3145727', ifMatch: etagOf(v1), status: 412 },
    { range: 'bytes=2097152-3145727', ifMatch: undefined, status: 206 },
  ], 'refused under If-Match v1, then fetched afresh');

  // The old probe, released, stores nothing: its object was dropped when the change was seen.
  gate.release();
  const again = await within(fetchGot(proxy.port, `/g/${key}`, { range: 'bytes=100-200' }), 'a read of slice 0');
  assert.equal(again.headers.etag, etagOf(v2));
  assert.ok(again.body.equals(v2.subarray(100, 201)), 'slice 0 is v2, not the released v1 fill');
});
