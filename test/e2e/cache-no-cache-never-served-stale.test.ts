// Regression (found by a broken-store hunt): an object saying `Cache-Control: no-cache` (never to
// be used without validation, RFC 9111 §5.2.2.4) or `must-revalidate` / `proxy-revalidate` (never
// to be used stale, §5.2.2.2, §5.2.2.8) was served stale on a block with staleWhileRevalidate
// (the old version, at once, while the store already had a new one) or staleIfError (when the
// store failed). §4.2.4 forbids a stale answer for them: they are now validated first, and a store
// failure is the viewer's error. The proxy runs in this process on a clock the test moves.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cachedBlock, fetchGot, inProcessProxy, ManualClock } from '../support/cache-fixture.js';
import { fakeStore } from '../support/fake-store.js';

test('no-cache and must-revalidate objects are never served stale', { timeout: 60_000 }, async (t) => {
  let version = 'v1';
  let failing = false;
  const port = await fakeStore(t, (req, res) => {
    const cacheControl = decodeURIComponent((req.url ?? '/').slice(1).split('.')[0]!);
    if (failing) return void res.writeHead(500, { 'content-type': 'application/xml' }).end('<Error><Code>InternalError</Code></Error>');
    if (req.headers['if-none-match'] === `"${version}"`) return void res.writeHead(304, { etag: `"${version}"`, 'cache-control': cacheControl }).end();
    res.writeHead(200, { etag: `"${version}"`, 'content-length': '2', 'cache-control': cacheControl });
    res.end(version);
  });
  const clock = new ManualClock();
  const proxy = await inProcessProxy(t, [cachedBlock(port, '/w/', { ttl: '1h', staleWhileRevalidate: '1h' }), cachedBlock(port, '/e/', { ttl: '1h', staleIfError: '1h' })], { clock: clock.read });

  for (const cacheControl of ['no-cache', 'max-age=5, must-revalidate', 'max-age=5, proxy-revalidate']) {
    const key = `${encodeURIComponent(cacheControl)}.txt`;
    version = 'v1';
    failing = false;
    for (const block of ['/w/', '/e/']) assert.equal((await fetchGot(proxy.port, `${block}${key}`)).body.toString(), 'v1', `${block} ${cacheControl}: kept`);

    // staleWhileRevalidate: the object changed; the viewer gets it, not the old copy at once.
    version = 'v2';
    clock.advance(10_000);
    const swr = await fetchGot(proxy.port, `/w/${key}`);
    assert.notEqual(swr.headers['x-cache'], 'STALE', `${cacheControl}: never served unvalidated`);
    assert.equal(swr.body.toString(), 'v2', `${cacheControl}: the object as the store has it`);

    // staleIfError: the store fails; the viewer is told so, not given the stale copy.
    failing = true;
    const sie = await fetchGot(proxy.port, `/e/${key}`);
    assert.notEqual(sie.headers['x-cache'], 'STALE', `${cacheControl}: a stale copy is not served for an error`);
    assert.equal(sie.status, 500, `${cacheControl}: the store's failure`);
  }
});
