// Regression (found by a broken-store hunt): on a block with `cache.slice`, an object the store
// labels with a weak ETag (W/"…", as a compressing relay in front of a store makes them) was
// sliced anyway. Slices after the first are asked with If-Match, which never matches a weak tag
// (RFC 9110 §13.1.1: strong comparison), so the store answered 412 and every read of more than one
// slice was cut after the first, for as long as the object stayed so. A weak ETag promises no
// byte-for-byte sameness either: such an object now passes by the cache, each read whole and
// complete from the store.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cachedBlock, fetchGot } from '../support/cache-fixture.js';
import { startProxyCli } from '../support/proxy-cli.js';
import { KiB } from '../support/sizes.js';
import { fakeStore } from '../support/fake-store.js';

const S = 64 * KiB;
const SIZE = 3 * S;
const object = Buffer.from(Array.from({ length: SIZE }, (_, i) => i % 251));

test('a sliced object with a weak ETag is served whole, never cut after its first slice', { timeout: 60_000 }, async (t) => {
  const port = await fakeStore(t, (req, res) => {
    const head = { etag: 'W/"w1"', 'cache-control': 'max-age=3600' };
    // If-Match compares strongly: a weak ETag never matches.
    if (req.headers['if-match'] !== undefined) return void res.writeHead(412, { 'content-type': 'application/xml' }).end('<Error><Code>PreconditionFailed</Code></Error>');
    const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    if (!m) return void res.writeHead(200, { ...head, 'content-length': String(SIZE) }).end(object);
    const start = Number(m[1]);
    const end = Math.min(m[2] === '' ? SIZE - 1 : Number(m[2]), SIZE - 1);
    res.writeHead(206, { ...head, 'content-range': `bytes ${start}-${end}/${SIZE}`, 'content-length': String(end - start + 1) });
    res.end(object.subarray(start, end + 1));
  });
  const proxy = await startProxyCli(t, { server: { host: '127.0.0.1', port: 0 }, proxies: [cachedBlock(port, '/s/', { ttl: '1h', slice: '64KiB' })] });

  for (const round of [1, 2]) {
    const whole = await fetchGot(proxy.port, '/s/obj');
    assert.equal(whole.status, 200, `round ${round}`);
    assert.ok(whole.complete, `round ${round}: complete, not cut after the first slice`);
    assert.ok(whole.body.equals(object), `round ${round}: the object`);
  }
  const part = await fetchGot(proxy.port, '/s/obj', { range: `bytes=${S - 10}-${S + 9}` });
  assert.equal(part.status, 206);
  assert.ok(part.complete);
  assert.ok(part.body.equals(object.subarray(S - 10, S + 10)), 'a range across two slices');
});
