// Regression (found by a broken-store hunt): an expired entry without an ETag is refreshed with an
// unconditional GET (there is no validator to send), and a broken store's 304 to it was taken as
// "not modified": the old copy was served REVALIDATED and kept fresh again, although the store had
// said nothing about it. A 304 to a GET that carried no validator is now a store failure (502), as
// it already was on a miss; the proxy runs in this process on a clock the test moves.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cachedBlock, fetchGot, inProcessProxy, ManualClock } from '../support/cache-fixture.js';
import { fakeStore } from '../support/fake-store.js';

test('a 304 to a revalidation that sent no validator does not refresh the entry', { timeout: 60_000 }, async (t) => {
  const asked: Array<{ ifNoneMatch: string | undefined; ifModifiedSince: string | undefined }> = [];
  const port = await fakeStore(t, (req, res) => {
    asked.push({ ifNoneMatch: req.headers['if-none-match'], ifModifiedSince: req.headers['if-modified-since'] });
    if (asked.length === 1) {
      // No ETag: the entry has no validator.
      res.writeHead(200, { 'content-length': '5', 'cache-control': 'max-age=10' });
      return void res.end('first');
    }
    res.writeHead(304, { 'cache-control': 'max-age=10' });
    res.end();
  });
  const clock = new ManualClock();
  const proxy = await inProcessProxy(t, [cachedBlock(port, '/c/', { ttl: '1h' })], { clock: clock.read });

  const first = await fetchGot(proxy.port, '/c/obj');
  assert.equal(first.status, 200);
  assert.equal(first.body.toString(), 'first');

  clock.advance(20_000);
  const second = await fetchGot(proxy.port, '/c/obj');
  assert.deepEqual(asked[1], { ifNoneMatch: undefined, ifModifiedSince: undefined }, 'the refresh carried no validator');
  assert.equal(second.status, 502, `not the old copy as revalidated (${second.status} ${String(second.headers['x-cache'])})`);
  assert.notEqual(second.headers['x-cache'], 'REVALIDATED');

  const third = await fetchGot(proxy.port, '/c/obj');
  assert.notEqual(third.headers['x-cache'], 'HIT', 'the entry was not made fresh again');
  assert.equal(asked.length, 3, 'the store is asked again');
});
