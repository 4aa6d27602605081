// Regression (found by a broken-store hunt): a 206 whose Content-Length disagreed with its own
// Content-Range (bytes 0-65535, but 100 bytes long) was kept as that slice, "fresh" for ever: every
// later read of the object was answered from the cache with the wrong bytes at the wrong offsets
// (the next slice's bytes where the first's should be) and cut short of its Content-Length. A 206
// now counts only when its length is its range: 502, nothing kept, the next read asks again.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cachedBlock, fetchGot } from '../support/cache-fixture.js';
import { startProxyCli } from '../support/proxy-cli.js';
import { KiB } from '../support/sizes.js';
import { fakeStore } from '../support/fake-store.js';

const S = 64 * KiB;
const SIZE = 3 * S;
const object = Buffer.from(Array.from({ length: SIZE }, (_, i) => i % 251));

test('a 206 whose Content-Length is not its Content-Range is refused and never kept', { timeout: 60_000 }, async (t) => {
  const asked: Array<string | undefined> = [];
  let broken = true;
  const port = await fakeStore(t, (req, res) => {
    asked.push(req.headers.range);
    const m = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
    if (!m) return void res.writeHead(400).end();
    const start = Number(m[1]);
    const end = Math.min(Number(m[2]), SIZE - 1);
    const head = { 'content-range': `bytes ${start}-${end}/${SIZE}`, etag: '"e1"', 'cache-control': 'max-age=3600' };
    if (start === 0 && broken) {
      // The first slice's answer says 64 KiB in its Content-Range but carries 100 bytes.
      broken = false;
      res.writeHead(206, { ...head, 'content-length': '100' });
      return void res.end(object.subarray(0, 100));
    }
    res.writeHead(206, { ...head, 'content-length': String(end - start + 1) });
    res.end(object.subarray(start, end + 1));
  });
  const proxy = await startProxyCli(t, { server: { host: '127.0.0.1', port: 0 }, proxies: [cachedBlock(port, '/s/', { ttl: '1h', slice: '64KiB' })] });

  const first = await fetchGot(proxy.port, '/s/obj');
  assert.equal(first.status, 502, 'the broken answer is not passed on as the object');
  assert.deepEqual(asked, ['bytes=0-65535']);

  const second = await fetchGot(proxy.port, '/s/obj', { range: `bytes=50-${S + 49}` });
  assert.equal(second.status, 206);
  assert.ok(second.complete, 'the whole range, not cut short');
  assert.equal(second.headers['x-cache'], 'MISS', 'nothing of the broken answer was kept');
  assert.ok(second.body.equals(object.subarray(50, S + 50)), 'every byte at its own offset');
  assert.deepEqual(asked.slice(1), ['bytes=0-65535', 'bytes=65536-131071'], 'the first slice was asked for again');

  const whole = await fetchGot(proxy.port, '/s/obj');
  assert.equal(whole.status, 200);
  assert.ok(whole.complete);
  assert.ok(whole.body.equals(object), 'the object as the store has it');
});
