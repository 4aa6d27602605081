// Regression (found by a hostile-viewer hunt): a broken store answering a plain GET with 206 and
// part of the object had it kept under the object's key, "fresh" for ever: every viewer after was
// answered 200 from the cache and cut. A 206 now answers only the range the fill asked for; any
// other is neither passed on nor kept (502), whole-object fills and slices alike. The store is a
// small HTTP server of this test's own that always answers bytes 0-4 of a 20-byte object.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { cachedBlock, fetchGot } from '../support/cache-fixture.js';
import { startProxyCli } from '../support/proxy-cli.js';

test('a 206 for another range than asked is refused and never kept', { timeout: 60_000 }, async (t) => {
  const asked: Array<string | undefined> = [];
  const store = createServer((req, res) => {
    asked.push(req.headers.range);
    res.writeHead(206, { 'content-range': 'bytes 0-4/20', 'content-length': '5', etag: '"abc"', 'cache-control': 'max-age=3600' });
    res.end('HELLO');
  });
  await new Promise<void>((resolve) => store.listen(0, '127.0.0.1', resolve));
  t.after(() => store.close());
  const port = (store.address() as AddressInfo).port;
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    proxies: [cachedBlock(port, '/c/', { ttl: '1h' }), cachedBlock(port, '/s/', { ttl: '1h', slice: '64KiB' })],
  });

  for (const [path, headers, range] of [['/c/obj', {}, undefined], ['/s/obj', { range: 'bytes=10-19' }, 'bytes=0-65535']] as const) {
    for (const round of [1, 2]) {
      const before = asked.length;
      const g = await fetchGot(proxy.port, path, headers);
      assert.equal(g.status, 502, `${path} round ${round}: ${g.status} ${g.body.toString('utf8', 0, 200)}`);
      assert.deepEqual(asked.slice(before), [range], `${path} round ${round}: nothing was kept, the store is asked again`);
    }
  }
});
