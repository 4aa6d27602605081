// Regression (found by a broken-store hunt): an object whose metadata says `Cache-Control:
// max-age=-1` (a common way to say "do not keep this fresh") or another invalid max-age was taken
// as saying nothing, and kept fresh for the block's `ttl` (an hour here): every viewer got the
// copy as a HIT, never revalidated. RFC 9111 §4.2.1 has a cache treat invalid freshness as stale:
// such an object is now revalidated on every read. The proxy runs in this process on a clock the
// test moves (a second only: well inside the block's ttl).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cachedBlock, fetchGot, inProcessProxy, ManualClock } from '../support/cache-fixture.js';
import { fakeStore } from '../support/fake-store.js';

test('an invalid max-age makes the object stale, not fresh for the block ttl', { timeout: 60_000 }, async (t) => {
  const asked: Array<{ url: string | undefined; ifNoneMatch: string | undefined }> = [];
  const port = await fakeStore(t, (req, res) => {
    asked.push({ url: req.url, ifNoneMatch: req.headers['if-none-match'] });
    const cacheControl = req.url === '/minus-one' ? 'max-age=-1' : req.url === '/word' ? 'public, max-age=soon' : 's-maxage=1.5, max-age=3600';
    if (req.headers['if-none-match'] === '"v1"') {
      res.writeHead(304, { etag: '"v1"', 'cache-control': cacheControl });
      return void res.end();
    }
    res.writeHead(200, { etag: '"v1"', 'content-length': '5', 'cache-control': cacheControl });
    res.end('hello');
  });
  const clock = new ManualClock();
  const proxy = await inProcessProxy(t, [cachedBlock(port, '/c/', { ttl: '1h' })], { clock: clock.read });

  for (const key of ['minus-one', 'word', 'fractional-s-maxage']) {
    const first = await fetchGot(proxy.port, `/c/${key}`);
    assert.equal(first.status, 200, key);
    assert.equal(first.headers['x-cache'], 'MISS', key);
    clock.advance(1000);
    const before = asked.length;
    const second = await fetchGot(proxy.port, `/c/${key}`);
    assert.equal(second.status, 200, key);
    assert.equal(second.body.toString(), 'hello', key);
    assert.equal(second.headers['x-cache'], 'REVALIDATED', `${key}: not kept fresh for the block's ttl`);
    assert.deepEqual(asked.slice(before), [{ url: `/${key}`, ifNoneMatch: '"v1"' }], `${key}: revalidated with the store`);
  }
});
