// Issue #18, `notFoundTtl`: a 404 from the store is kept that long (on the proxy's injected clock)
// and answered from the cache as S3 would — NoSuchKey XML with this request's own id — without a
// request at the strict origin; after it, the origin is asked again. With `notFoundFor403`, a 403
// AccessDenied (S3's answer for a missing key to a reader without ListBucket) is kept as a 404;
// another 403 (a signature the store refused) is not. `notFoundTtl: 0`, the default, keeps nothing.
//
// The strict origin answers 403 AccessDenied to an expired presigned URL: a query-signed block
// (X-Amz-Expires 300) with the origin's clock an hour ahead gets one for any key.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CACHE_BUCKET, CACHE_KEYS, ManualClock, cacheOrigin, cachedBlock, fetchGot, inProcessProxy, originReads, type Got } from '../support/cache-fixture.js';
import { encodeKey, xmlField } from '../support/origin-client.js';
import { blockFor } from '../support/proxy-cli.js';

test('notFoundTtl keeps a 404 for its time; notFoundFor403 keeps AccessDenied as 404; 0 keeps nothing', async (t) => {
  let originAhead = 0;
  const origin = await cacheOrigin(t, { clock: () => Date.now() + originAhead });
  const clock = new ManualClock();
  const query = blockFor(origin.port, {
    path: '/q/',
    bucket: CACHE_BUCKET,
    version: 'v4',
    mode: 'query',
    credentials: CACHE_KEYS,
    extra: { cache: { notFoundTtl: '1s' }, notFoundFor403: true },
  });
  const proxy = await inProcessProxy(
    t,
    [cachedBlock(origin.port, '/nf/', { notFoundTtl: '1s' }), cachedBlock(origin.port, '/nf0/', {}), cachedBlock(origin.port, '/sl/', { notFoundTtl: '1s', slice: '64KiB' }), query],
    { clock: clock.read },
  );

  /** A GET (or HEAD) answered 404 NoSuchKey in S3's shape with this request's id; whether it reached the origin. */
  async function notFound(path: string, key: string, cache: 'HIT' | 'MISS', method = 'GET'): Promise<Got> {
    const before = originReads(origin, key).length;
    const g = await fetchGot(proxy.port, path, {}, method);
    assert.equal(g.status, 404, `${path}: ${g.body.toString('utf8', 0, 300)}`);
    assert.equal(g.headers['x-cache'], cache, `${path}: X-Cache`);
    assert.equal(originReads(origin, key).length - before, cache === 'HIT' ? 0 : 1, `${path}: reads at the origin`);
    if (method === 'HEAD') return g;
    const xml = g.body.toString('utf8');
    assert.equal(g.headers['content-type'], 'application/xml');
    assert.equal(xmlField(xml, 'Code'), 'NoSuchKey', xml);
    assert.equal(xmlField(xml, 'RequestId'), g.headers['x-request-id'], 'this request\'s id, not the first one\'s');
    return g;
  }

  await t.test('a 404 is kept for notFoundTtl, then asked for again', async () => {
    const key = 'nf/missing.txt';
    const first = await notFound(`/nf/${key}`, key, 'MISS');
    const second = await notFound(`/nf/${key}`, key, 'HIT');
    assert.notEqual(second.headers['x-request-id'], first.headers['x-request-id']);
    await notFound(`/nf/${key}`, key, 'HIT', 'HEAD');
    // The object appears: the kept 404 still answers until its time is up.
    await origin.putObject(CACHE_BUCKET, key, 'here now\n');
    clock.advance(999);
    await notFound(`/nf/${key}`, key, 'HIT');
    clock.advance(2);
    const found = await fetchGot(proxy.port, `/nf/${key}`);
    assert.equal(found.status, 200);
    assert.equal(found.headers['x-cache'], 'MISS');
    assert.equal(found.body.toString(), 'here now\n');
    assert.equal(originReads(origin, key).length, 2);
  });

  await t.test('after notFoundTtl a missing key is asked for again, and kept again', async () => {
    const key = 'nf/still-missing.txt';
    await notFound(`/nf/${key}`, key, 'MISS');
    clock.advance(1001);
    await notFound(`/nf/${key}`, key, 'MISS');
    await notFound(`/nf/${key}`, key, 'HIT');
  });

  await t.test('a sliced block keeps its 404 too', async () => {
    const key = 'sl/missing.bin';
    await notFound(`/sl/${key}`, key, 'MISS');
    await notFound(`/sl/${key}`, key, 'HIT');
    const range = await fetchGot(proxy.port, `/sl/${key}`, { range: 'bytes=100-200' });
    assert.equal(range.status, 404);
    assert.equal(originReads(origin, key).length, 1);
  });

  await t.test('notFoundTtl 0 (the default) keeps nothing', async () => {
    const key = 'nf0/missing.txt';
    await notFound(`/nf0/${key}`, key, 'MISS');
    await notFound(`/nf0/${key}`, key, 'MISS');
    await notFound(`/nf0/${key}`, key, 'MISS', 'HEAD');
  });

  await t.test('notFoundFor403: AccessDenied is kept as a 404; another 403 is not kept', async () => {
    const key = 'q/denied.txt';
    originAhead = 3600_000;
    try {
      await notFound(`/q/${key}`, key, 'MISS');
      const seen = originReads(origin, key);
      assert.equal(seen[0]!.status, 403);
      assert.equal(seen[0]!.errorCode, 'AccessDenied', 'the origin refused the expired presigned URL');
      await notFound(`/q/${key}`, key, 'HIT');
    } finally {
      originAhead = 0;
    }

    const refused = 'q/refused.txt';
    const path = `/${encodeKey(refused)}`;
    let armed = true;
    origin.setFault((r) => (armed && r.url.split('?')[0] === path ? ((armed = false), 'signature-mismatch') : undefined));
    t.after(() => origin.setFault(undefined));
    const mismatch = await fetchGot(proxy.port, `/q/${refused}`);
    assert.equal(mismatch.status, 403, mismatch.body.toString());
    assert.equal(xmlField(mismatch.body.toString(), 'Code'), 'SignatureDoesNotMatch');
    // Not a missing key: the next read asks the store again (and finds no such key, kept from then on).
    await notFound(`/q/${refused}`, refused, 'MISS');
    await notFound(`/q/${refused}`, refused, 'HIT');
  });
});
