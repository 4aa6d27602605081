// Regression (found by a hostile-viewer hunt): on a block with `cache.slice`, a viewer's
// `Range: bytes=9999999999999999999999999-` (a start no safe integer holds) made the proxy ask the
// store for `Range: bytes=1e+25-1e+25` — JavaScript's spelling of the number, not a range. S3
// ignores a Range it cannot read and sends the whole object: one over memory.maxObjectSize was then
// "too large to keep", and for a minute every viewer of it passed by the cache, each its own
// request to the store. One hostile request a minute switched the shield off for an object. Such a
// start now probes the first slice (the range is then answered 416 from what it learnt); the store
// only ever sees well-formed ranges.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cachedBlock, fetchGot } from '../support/cache-fixture.js';
import { startProxyCli } from '../support/proxy-cli.js';
import { MiB } from '../support/sizes.js';
import { fakeStore } from '../support/fake-store.js';

const SIZE = 2 * MiB;
const object = Buffer.from(Array.from({ length: SIZE }, (_, i) => i % 251));

test('a Range start past every safe integer neither reaches the store mangled nor turns the cache off', { timeout: 60_000 }, async (t) => {
  const asked: Array<string | undefined> = [];
  const port = await fakeStore(t, (req, res) => {
    asked.push(req.headers.range);
    const head = { etag: '"e1"', 'cache-control': 'max-age=3600' };
    const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    // As S3: a Range it cannot read is no Range.
    if (!m) return void res.writeHead(200, { ...head, 'content-length': String(SIZE) }).end(object);
    const start = Number(m[1]);
    if (start >= SIZE) return void res.writeHead(416, { 'content-range': `bytes */${SIZE}` }).end();
    const end = Math.min(m[2] === '' ? SIZE - 1 : Number(m[2]), SIZE - 1);
    res.writeHead(206, { ...head, 'content-range': `bytes ${start}-${end}/${SIZE}`, 'content-length': String(end - start + 1) });
    res.end(object.subarray(start, end + 1));
  });
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    cache: { memory: { maxSize: '64MiB', maxObjectSize: '1MiB' } },
    proxies: [cachedBlock(port, '/s/', { ttl: '1h', slice: '64KiB' })],
  });

  const hostile = await fetchGot(proxy.port, '/s/obj', { range: `bytes=${'9'.repeat(25)}-` });
  assert.equal(hostile.status, 416);
  for (const range of asked) assert.match(String(range), /^bytes=\d+-\d*$/, 'the store is asked only well-formed ranges');

  const before = asked.length;
  for (const round of [1, 2, 3]) {
    const g = await fetchGot(proxy.port, '/s/obj', { range: 'bytes=0-99' });
    assert.equal(g.status, 206, `round ${round}`);
    assert.ok(g.body.equals(object.subarray(0, 100)), `round ${round}`);
    assert.equal(g.headers['x-cache'], 'HIT', `round ${round}: served by the cache, not passed by`);
  }
  assert.equal(asked.length, before, 'no viewer went to the store');
});
