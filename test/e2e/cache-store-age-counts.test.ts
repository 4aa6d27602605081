// RFC 9111 §4.2, §5.1: a store behind another cache sends `Age`, the time that cache already held
// the answer. It counts against the answer's lifetime here too, and the viewer's Age goes on from
// it. Before, `max-age=60, Age: 50` was kept fresh for a full 60 s more (110 s in all), and shown
// as Age: 0 — so a CDN in front kept it 50 s past its life as well. Whole and sliced blocks; the
// proxy runs in this process on a clock the test moves.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cachedBlock, fetchGot, inProcessProxy, ManualClock } from '../support/cache-fixture.js';
import { fakeStore } from '../support/fake-store.js';

const BODY = Buffer.from('an object a cache upstream has held for 50 s');

test("a store's Age counts against the lifetime, and the viewer's Age goes on from it", { timeout: 60_000 }, async (t) => {
  let gets = 0;
  const port = await fakeStore(t, (req, res) => {
    gets++;
    const head = { etag: '"a1"', 'cache-control': 'max-age=60', age: '50', 'accept-ranges': 'bytes' };
    const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    if (!m) return void res.writeHead(200, { ...head, 'content-length': String(BODY.length) }).end(BODY);
    const start = Number(m[1]);
    const end = Math.min(m[2] === '' ? BODY.length - 1 : Number(m[2]), BODY.length - 1);
    res.writeHead(206, { ...head, 'content-range': `bytes ${start}-${end}/${BODY.length}`, 'content-length': String(end - start + 1) });
    res.end(BODY.subarray(start, end + 1));
  });
  const clock = new ManualClock();
  const proxy = await inProcessProxy(t, [cachedBlock(port, '/c/', { ttl: '1h' }), cachedBlock(port, '/s/', { ttl: '1h', slice: '64KiB' })], { clock: clock.read });

  for (const prefix of ['/c/', '/s/']) {
    const before = gets;
    const first = await fetchGot(proxy.port, `${prefix}obj`);
    assert.equal(first.status, 200);
    assert.ok(first.body.equals(BODY));
    assert.equal(first.headers.age, '50', `${prefix}: the Age goes on from the store's`);
    clock.advance(5_000);
    const hit = await fetchGot(proxy.port, `${prefix}obj`);
    assert.equal(hit.headers['x-cache'], 'HIT', prefix);
    assert.equal(hit.headers.age, '55', prefix);
    // 50 s upstream + 15 s here: past its 60 s. It was kept for 60 s more before.
    clock.advance(10_000);
    const later = await fetchGot(proxy.port, `${prefix}obj`);
    assert.notEqual(later.headers['x-cache'], 'HIT', `${prefix}: 65 s old, past max-age=60`);
    assert.ok(gets > before + (prefix === '/c/' ? 1 : 0), `${prefix}: the store was asked again`);
    clock.advance(60_000);
  }
});
