// Regression (found by a broken-store hunt): a store answer with two Cache-Control field lines,
// `max-age=3600` and `no-store` (or `private`), was judged by its first line only: the object was
// kept and served to every viewer as a HIT — its replayed header saying `max-age=3600, no-store`.
// Several field lines are one comma-separated list (RFC 9110 §5.3): every line counts now, so
// such an object is never kept, whole or sliced.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cachedBlock, fetchGot } from '../support/cache-fixture.js';
import { startProxyCli } from '../support/proxy-cli.js';
import { fakeStore } from '../support/fake-store.js';

test('a no-store or private on a second Cache-Control line keeps the object out of the cache', { timeout: 60_000 }, async (t) => {
  const reads: string[] = [];
  const port = await fakeStore(t, (req, res) => {
    reads.push(req.url ?? '');
    // Two field lines, as Node writes an array.
    res.setHeader('cache-control', ['max-age=3600', req.url === '/private' ? 'private' : 'no-store']);
    res.setHeader('etag', '"a"');
    const m = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
    if (m) {
      res.statusCode = 206;
      res.setHeader('content-range', 'bytes 0-4/5');
    }
    res.setHeader('content-length', '5');
    res.end('hello');
  });
  const proxy = await startProxyCli(t, { server: { host: '127.0.0.1', port: 0 }, proxies: [cachedBlock(port, '/c/', { ttl: '1h' }), cachedBlock(port, '/s/', { ttl: '1h', slice: '64KiB' })] });

  for (const path of ['/c/no-store', '/c/private', '/s/no-store', '/s/private']) {
    for (const round of [1, 2]) {
      const before = reads.length;
      const g = await fetchGot(proxy.port, path);
      assert.equal(g.status, 200, `${path} round ${round}`);
      assert.equal(g.body.toString(), 'hello', `${path} round ${round}`);
      assert.equal(g.headers['x-cache'], 'MISS', `${path} round ${round}: never kept`);
      assert.equal(reads.length, before + 1, `${path} round ${round}: the store was asked`);
    }
  }
});
