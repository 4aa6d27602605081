// Regression (found by a broken-store hunt): on a block with `cache.slice`, an object whose store
// sends no ETag had its slices kept under an empty ETag and fetched without If-Match, so nothing
// told one version's slices from another's: after the object was replaced, a read was answered
// from the cache (HIT) with the old version's first slice stitched to the new version's others.
// Such an object now passes by the cache: each read is the viewer's own request to the store, one
// answer of one version. The proxy runs in this process on a clock the test moves.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cachedBlock, fetchGot, inProcessProxy, ManualClock } from '../support/cache-fixture.js';
import { KiB } from '../support/sizes.js';
import { fakeStore } from '../support/fake-store.js';

const S = 64 * KiB;
const SIZE = 3 * S;

test('a sliced object without an ETag is never stitched from two versions', { timeout: 60_000 }, async (t) => {
  let object = Buffer.alloc(SIZE, 'A');
  const port = await fakeStore(t, (req, res) => {
    // No ETag, as a broken store answers; a 10-second lifetime.
    const head = { 'cache-control': 'max-age=10', 'content-type': 'application/octet-stream' };
    const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    if (!m) {
      res.writeHead(200, { ...head, 'content-length': String(SIZE) });
      return void res.end(object);
    }
    const start = Number(m[1]);
    const end = Math.min(m[2] === '' ? SIZE - 1 : Number(m[2]), SIZE - 1);
    res.writeHead(206, { ...head, 'content-range': `bytes ${start}-${end}/${SIZE}`, 'content-length': String(end - start + 1) });
    res.end(object.subarray(start, end + 1));
  });
  const clock = new ManualClock();
  const proxy = await inProcessProxy(t, [cachedBlock(port, '/s/', { ttl: '1h', slice: '64KiB' })], { clock: clock.read });

  const versions = (b: Buffer): string[] => [...new Set(b.toString('latin1'))];

  const first = await fetchGot(proxy.port, '/s/obj');
  assert.equal(first.status, 200);
  assert.ok(first.complete);
  assert.deepEqual(versions(first.body), ['A']);

  // The object is replaced and the proxy's copy (if any) has expired.
  object = Buffer.alloc(SIZE, 'B');
  clock.advance(20_000);
  const tail = await fetchGot(proxy.port, '/s/obj', { range: `bytes=${2 * S}-` });
  assert.equal(tail.status, 206);
  assert.deepEqual(versions(tail.body), ['B']);

  const whole = await fetchGot(proxy.port, '/s/obj');
  assert.equal(whole.status, 200);
  assert.ok(whole.complete);
  assert.equal(whole.body.length, SIZE);
  assert.deepEqual(versions(whole.body), ['B'], 'one version, never the old first slice with the new rest');
  assert.notEqual(whole.headers['x-cache'], 'HIT');
});
