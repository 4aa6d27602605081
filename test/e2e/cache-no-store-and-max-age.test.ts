// Issue #18, "Freshness": the object's own Cache-Control / Expires (S3 object metadata) win over
// the block's `ttl`, capped by `maxTtl`; `no-store` and `private` are never kept (every read
// reaches the strict origin) though concurrent viewers still share one fill. Time is the proxy's
// injected clock; an expired entry is revalidated with If-None-Match and a 304 refreshes it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CACHE_BUCKET, ManualClock, cacheOrigin, cachedBlock, fetchGot, inProcessProxy, originReads, viewer, type Got } from '../support/cache-fixture.js';
import { gateRelay } from '../support/gate-relay.js';
import { generatedBytes } from '../support/generated-body.js';
import { KiB } from '../support/sizes.js';
import { waitFor, within } from '../support/wait-for.js';

const TTL_S = 2;
const MAX_TTL_S = 10;

test('Cache-Control and Expires against ttl and maxTtl; no-store and private are never kept', async (t) => {
  const origin = await cacheOrigin(t);
  const gate = await gateRelay(t, origin.port);
  const clock = new ManualClock();
  const proxy = await inProcessProxy(t, [cachedBlock(gate.port, '/c/', { ttl: `${TTL_S}s`, maxTtl: `${MAX_TTL_S}s` })], { clock: clock.read });

  const put = (key: string, headers: { 'cache-control'?: string; expires?: string } = {}): Promise<void> => origin.putObject(CACHE_BUCKET, key, `object ${key}\n`, { headers });
  /** A GET: its X-Cache, the object, and how many requests it sent to the origin (0 or 1). */
  async function read(key: string, cache: string): Promise<Got> {
    const before = originReads(origin, key).length;
    const g = await fetchGot(proxy.port, `/c/${key}`);
    assert.equal(g.status, 200, g.body.toString());
    assert.equal(g.body.toString(), `object ${key}\n`);
    assert.equal(g.headers['x-cache'], cache, `${key} at +${clock.now - start} ms: X-Cache`);
    assert.equal(originReads(origin, key).length - before, cache === 'HIT' ? 0 : 1, `${key}: reads at the origin`);
    return g;
  }
  let start = clock.now;
  /** Fresh until `freshMs` after the first read, then revalidated once (a conditional GET, 304). */
  async function freshFor(key: string, freshMs: number, stillFresh = freshMs - 100): Promise<void> {
    start = clock.now;
    const first = await read(key, 'MISS');
    clock.advance(stillFresh);
    const hit = await read(key, 'HIT');
    assert.equal(hit.headers.age, String(Math.floor(stillFresh / 1000)), 'Age on the injected clock');
    clock.advance(freshMs - stillFresh + 1);
    await read(key, 'REVALIDATED');
    const revalidation = originReads(origin, key).at(-1)!;
    assert.equal(revalidation.headers['if-none-match'], first.headers.etag, 'a signed conditional GET with the stored ETag');
    assert.equal(revalidation.status, 304);
    await read(key, 'HIT');
  }

  await t.test('no Cache-Control, no Expires: the block\'s ttl', async () => {
    await put('fresh/plain.txt');
    await freshFor('fresh/plain.txt', TTL_S * 1000);
  });

  await t.test('max-age wins over ttl', async () => {
    await put('fresh/max-age.txt', { 'cache-control': 'public, max-age=5' });
    await freshFor('fresh/max-age.txt', 5000);
  });

  await t.test('s-maxage wins over max-age (a shared cache)', async () => {
    await put('fresh/s-maxage.txt', { 'cache-control': 'max-age=1, s-maxage=7' });
    await freshFor('fresh/s-maxage.txt', 7000);
  });

  await t.test('max-age is capped by maxTtl', async () => {
    await put('fresh/capped.txt', { 'cache-control': 'max-age=86400' });
    await freshFor('fresh/capped.txt', MAX_TTL_S * 1000);
  });

  await t.test('Expires is honoured (relative to the store\'s Date), and capped by maxTtl', async () => {
    // HTTP dates have whole seconds: the lifetime is Expires minus Date, 5 to 6 s here.
    await put('fresh/expires.txt', { expires: new Date(Date.now() + 6000).toUTCString() });
    start = clock.now;
    await read('fresh/expires.txt', 'MISS');
    clock.advance(4000);
    await read('fresh/expires.txt', 'HIT');
    clock.advance(3000);
    await read('fresh/expires.txt', 'REVALIDATED');

    await put('fresh/expires-far.txt', { expires: new Date(Date.now() + 86400_000).toUTCString() });
    await freshFor('fresh/expires-far.txt', MAX_TTL_S * 1000);

    await put('fresh/expired.txt', { expires: 'Thu, 01 Jan 2015 00:00:00 GMT' });
    await read('fresh/expired.txt', 'MISS');
    await read('fresh/expired.txt', 'REVALIDATED');
    await read('fresh/expired.txt', 'REVALIDATED');
  });

  await t.test('no-store and private are never kept', async () => {
    await put('never/no-store.txt', { 'cache-control': 'no-store' });
    await put('never/private.txt', { 'cache-control': 'private, max-age=600' });
    for (const key of ['never/no-store.txt', 'never/private.txt']) {
      await read(key, 'MISS');
      await read(key, 'MISS');
      clock.advance(500);
      await read(key, 'MISS');
      for (const r of originReads(origin, key)) assert.equal(r.headers['if-none-match'], undefined, 'nothing kept to revalidate');
    }
  });

  await t.test('no-store: concurrent viewers still share one fill', async () => {
    const key = 'never/collapsed.bin';
    const body = generatedBytes(256 * KiB, key);
    await origin.putObject(CACHE_BUCKET, key, body, { headers: { 'cache-control': 'no-store' } });
    gate.hold(100, { afterHead: true });
    const viewers = Array.from({ length: 8 }, () => viewer(proxy.port, `/c/${key}`));
    const heads = await within(Promise.all(viewers.map((v) => v.head)), 'every viewer\'s head');
    await waitFor(() => gate.held() > 0 && viewers.every((v) => v.received() > 0), 'first bytes at every viewer');
    gate.release();
    const got = await within(Promise.all(viewers.map((v) => v.done)), 'every viewer\'s body');
    for (const g of got) assert.ok(g.complete && g.body.equals(body));
    assert.deepEqual(heads.map((h) => h.headers['x-cache']).sort(), ['COLLAPSED', 'COLLAPSED', 'COLLAPSED', 'COLLAPSED', 'COLLAPSED', 'COLLAPSED', 'COLLAPSED', 'MISS']);
    assert.equal(originReads(origin, key).length, 1, 'one GET for the eight viewers');
    const after = await fetchGot(proxy.port, `/c/${key}`);
    assert.equal(after.headers['x-cache'], 'MISS', 'and nothing kept after it');
    assert.ok(after.body.equals(body));
    assert.equal(originReads(origin, key).length, 2);
  });
});
