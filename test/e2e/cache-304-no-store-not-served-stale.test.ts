// Regression (found by a broken-store hunt): an object whose metadata changed to `Cache-Control:
// no-store` under the same ETag (S3's copy-in-place with new metadata keeps it) is revalidated with
// a 304 that says so. That 304 was merged into the kept copy and the copy kept, stale at once:
// within staleWhileRevalidate every read was answered STALE from it — with `Cache-Control: no-store`
// on a cached answer — and refreshed again, the same way, for as long as viewers kept coming. A
// 200 saying no-store already dropped the copy; a 304 saying it now does too. The proxy runs in
// this process on a clock the test moves.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cachedBlock, fetchGot, inProcessProxy, ManualClock } from '../support/cache-fixture.js';
import { waitFor } from '../support/wait-for.js';
import { fakeStore } from '../support/fake-store.js';

test('a 304 saying no-store drops the kept copy: it is not served stale again', { timeout: 60_000 }, async (t) => {
  let cacheControl = 'max-age=10';
  const asked: Array<string | undefined> = [];
  const port = await fakeStore(t, (req, res) => {
    asked.push(req.headers['if-none-match']);
    if (req.headers['if-none-match'] === '"v1"') return void res.writeHead(304, { etag: '"v1"', 'cache-control': cacheControl }).end();
    res.writeHead(200, { etag: '"v1"', 'content-length': '5', 'cache-control': cacheControl });
    res.end('hello');
  });
  const clock = new ManualClock();
  const proxy = await inProcessProxy(t, [cachedBlock(port, '/w/', { ttl: '1h', staleWhileRevalidate: '60s' })], { clock: clock.read });

  assert.equal((await fetchGot(proxy.port, '/w/obj')).headers['x-cache'], 'MISS');

  // The object's metadata now says no-store, its ETag the same.
  cacheControl = 'no-store';
  clock.advance(30_000);
  const stale = await fetchGot(proxy.port, '/w/obj');
  assert.equal(stale.headers['x-cache'], 'STALE', 'the copy kept while the object allowed it, refreshed in the background');
  await waitFor(() => asked.length === 2, 'the background refresh');
  assert.equal(asked[1], '"v1"', 'revalidated: 304');

  clock.advance(30_000);
  const next = await fetchGot(proxy.port, '/w/obj');
  assert.equal(next.status, 200);
  assert.equal(next.body.toString(), 'hello');
  assert.notEqual(next.headers['x-cache'], 'STALE', 'the no-store object is not served from a kept copy');
  assert.equal(asked.length, 3, 'the store was asked');
  assert.equal(asked[2], undefined, 'nothing kept to revalidate: a plain GET');
});
