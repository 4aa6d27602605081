// Regression (found by a broken-store hunt): a store answering a revalidation (If-None-Match: "v1")
// with a 304 that names another ETag ("v2") had that 304 merged into the stored copy: viewers got
// the old bytes labelled with the new version's ETag (REVALIDATED, then HIT), so a CDN or player
// holding "v2" kept the wrong bytes under it. Such a 304 is not about the stored copy (RFC 9111
// §4.3.4): it is now a store failure (502), the outdated copy is dropped, and the next read fetches
// the object afresh. The proxy runs in this process on a clock the test moves.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cachedBlock, fetchGot, inProcessProxy, ManualClock } from '../support/cache-fixture.js';
import { fakeStore } from '../support/fake-store.js';

test('a 304 naming another ETag than the one asked about does not refresh the entry', { timeout: 60_000 }, async (t) => {
  const asked: Array<string | undefined> = [];
  let version = 'first';
  const port = await fakeStore(t, (req, res) => {
    const inm = req.headers['if-none-match'];
    asked.push(inm);
    if (inm !== undefined) {
      res.writeHead(304, { etag: '"v2"', 'cache-control': 'max-age=10' });
      return void res.end();
    }
    res.writeHead(200, { etag: version === 'first' ? '"v1"' : '"v2"', 'content-length': String(version.length), 'cache-control': 'max-age=10' });
    res.end(version);
  });
  const clock = new ManualClock();
  const proxy = await inProcessProxy(t, [cachedBlock(port, '/c/', { ttl: '1h' })], { clock: clock.read });

  const first = await fetchGot(proxy.port, '/c/obj');
  assert.equal(first.status, 200);
  assert.equal(first.headers.etag, '"v1"');

  version = 'second';
  clock.advance(20_000);
  const second = await fetchGot(proxy.port, '/c/obj');
  assert.equal(asked[1], '"v1"', 'the refresh asked about "v1"');
  assert.ok(!(second.status === 200 && second.headers.etag === '"v2"' && second.body.toString() === 'first'), 'never the old bytes under the new ETag');
  assert.equal(second.status, 502);

  const third = await fetchGot(proxy.port, '/c/obj');
  assert.equal(asked[2], undefined, 'the outdated copy was dropped: an unconditional GET');
  assert.equal(third.status, 200);
  assert.equal(third.headers.etag, '"v2"');
  assert.equal(third.body.toString(), 'second');
});
