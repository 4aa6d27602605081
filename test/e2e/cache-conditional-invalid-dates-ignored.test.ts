// Regression (found by a hostile-viewer hunt): a cached block read the viewer's If-Modified-Since
// and If-Unmodified-Since with Date.parse, which takes "0", "2030", "Dec 2030" or an ISO date for a
// date: `If-Unmodified-Since: 0` was answered 412 and `If-Modified-Since: 2030` 304 from the cache,
// where the store — which, as RFC 9110 §13.1.3-4 says, ignores a value that is not an HTTP-date —
// answers 200 with the object. Only the three HTTP-date forms count now; the strict origin behind
// a block without a cache is the reference, on a MISS and a HIT, whole and sliced.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { askEveryBlock, CACHE_BUCKET, cacheOrigin, referenceAndCachedBlocks } from '../support/cache-fixture.js';
import { startProxyCli } from '../support/proxy-cli.js';

test('conditional dates that are not HTTP-dates are ignored on cached blocks, as the store ignores them', { timeout: 60_000 }, async (t) => {
  const origin = await cacheOrigin(t);
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    proxies: referenceAndCachedBlocks(origin.port),
  });
  const key = 'dates/obj.txt';
  const body = Buffer.from('the object');
  await origin.putObject(CACHE_BUCKET, key, body, { lastModified: new Date('2024-06-01T00:00:00Z') });

  const cases: Array<[Record<string, string>, number]> = [
    [{ 'if-unmodified-since': '0' }, 200],
    [{ 'if-unmodified-since': '2020' }, 200],
    [{ 'if-unmodified-since': '2024-01-01' }, 200],
    [{ 'if-modified-since': '2030' }, 200],
    [{ 'if-modified-since': 'Dec 2030' }, 200],
    [{ 'if-modified-since': '2030-01-01T00:00:00Z' }, 200],
    [{ 'if-modified-since': 'Sat, 01 Jun 2024 00:00:00 +0000' }, 200],
    // The HTTP-date forms still count.
    [{ 'if-unmodified-since': 'Mon, 01 Jan 2024 00:00:00 GMT' }, 412],
    [{ 'if-modified-since': 'Sat, 01 Jun 2024 00:00:00 GMT' }, 304],
    [{ 'if-modified-since': 'Saturday, 01-Jun-24 00:00:00 GMT' }, 304],
    [{ 'if-modified-since': 'Sat Jun  1 00:00:00 2024' }, 304],
  ];
  await askEveryBlock(proxy.port, key, cases, (g, status, what) => {
    if (status === 200) assert.ok(g.body.equals(body), what);
  });
});
