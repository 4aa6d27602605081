// Regression (found by a broken-store hunt): on a block with `cache.slice`, a slice's 206 whose
// Content-Range named another object size than the one the object's entry holds (the store changed
// the object under the same ETag: `bytes 131072-131171/131172` for an object the first slice said
// was 196608 bytes) was kept as that slice, for good: every later read of it was answered from the
// cache short of its Content-Length and cut. Such an answer is now taken as "the object changed":
// the object's entry is dropped, the slice is not kept, and the next read learns the object afresh.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cachedBlock, fetchGot } from '../support/cache-fixture.js';
import { startProxyCli } from '../support/proxy-cli.js';
import { KiB } from '../support/sizes.js';
import { fakeStore } from '../support/fake-store.js';

const S = 64 * KiB;
const SIZE = 3 * S;
/** What the store says of its last slice: an object 100 bytes into it. */
const SHORT = 2 * S + 100;
const object = Buffer.from(Array.from({ length: SIZE }, (_, i) => i % 251));

test('a slice answered for an object of another size is never kept', { timeout: 60_000 }, async (t) => {
  const asked: Array<string | undefined> = [];
  const port = await fakeStore(t, (req, res) => {
    asked.push(req.headers.range);
    const m = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
    if (!m) return void res.writeHead(400).end();
    const start = Number(m[1]);
    const size = start >= 2 * S ? SHORT : SIZE;
    const end = Math.min(Number(m[2]), size - 1);
    res.writeHead(206, { 'content-range': `bytes ${start}-${end}/${size}`, 'content-length': String(end - start + 1), etag: '"e1"', 'cache-control': 'max-age=3600' });
    res.end(object.subarray(start, end + 1));
  });
  const proxy = await startProxyCli(t, { server: { host: '127.0.0.1', port: 0 }, proxies: [cachedBlock(port, '/s/', { ttl: '1h', slice: '64KiB' })] });

  const whole = await fetchGot(proxy.port, '/s/obj');
  assert.equal(whole.status, 200);
  assert.equal(whole.headers['content-length'], String(SIZE));
  assert.ok(!whole.complete, 'the last slice could not be had once the head was out: cut');
  assert.deepEqual(asked, ['bytes=0-65535', 'bytes=65536-131071', 'bytes=131072-196607']);

  const tail = await fetchGot(proxy.port, '/s/obj', { range: 'bytes=131100-131200' });
  assert.notEqual(tail.headers['x-cache'], 'HIT', 'the slice of another size was not kept');
  assert.equal(tail.status, 206);
  assert.ok(tail.complete, `a complete answer, not one cut short (${tail.headers['content-range']})`);
  const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(String(tail.headers['content-range']));
  assert.ok(range, 'a Content-Range');
  assert.equal(Number(range[3]), SHORT, 'the object as the store now describes it');
  assert.ok(tail.body.equals(object.subarray(Number(range[1]), Number(range[2]) + 1)), 'the bytes its Content-Range names');
  assert.equal(asked.at(-1), 'bytes=131072-196607', 'the slice was asked for again');
});
