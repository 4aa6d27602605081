// Issue #18, "Collapsed misses, streamed": concurrent viewers of a missing object share one signed
// GET to the strict origin and each receives bytes as they arrive (read-while-write). A relay in
// front of the origin holds its answer part-way, so the fill is caught in progress without
// sleeping: every viewer has its head and first bytes while the store has not sent the rest.
// A slow viewer never stalls the others or the fill; the viewer whose request started the fill
// leaving does not abort it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accessLineFor } from '../support/access-lines.js';
import { CACHE_BUCKET, cacheOrigin, cachedBlock, originReads, pausedViewer, viewer } from '../support/cache-fixture.js';
import { gateRelay } from '../support/gate-relay.js';
import { startProxyCli } from '../support/proxy-cli.js';
import { generatedBytes, sha256Hex, etagOf } from '../support/generated-body.js';
import { KiB, MiB } from '../support/sizes.js';
import { waitFor, within } from '../support/wait-for.js';

const VIEWERS = 50;

test('collapsed misses: one GET at the origin for many viewers, streamed to each as it arrives', { timeout: 120_000 }, async (t) => {
  const origin = await cacheOrigin(t);
  const gate = await gateRelay(t, origin.port);
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    cache: { memory: { maxSize: '128MiB', maxObjectSize: '32MiB' } },
    proxies: [cachedBlock(gate.port, '/c/', { ttl: '1h' })],
  });

  await t.test(`${VIEWERS} concurrent viewers of a cold object: 1 GET, one MISS, the rest COLLAPSED, identical bodies`, async () => {
    const key = 'live/segment-1.ts';
    const body = generatedBytes(3 * MiB + 12_345, key);
    await origin.putObject(CACHE_BUCKET, key, body, { contentType: 'video/mp2t' });
    // The store's head and its first MiB pass; the rest waits until every viewer has its head.
    gate.hold(MiB);
    const viewers = Array.from({ length: VIEWERS }, () => viewer(proxy.port, `/c/${key}`));
    const heads = await within(Promise.all(viewers.map((v) => v.head)), 'every viewer\'s head while the store holds the rest');
    assert.deepEqual(new Set(heads.map((h) => h.status)), new Set([200]), 'every viewer has a 200 head');
    // Read-while-write: each viewer has bytes of the body while the fill is still incomplete.
    // (The relay holding bytes back: the store has not sent the whole object, so the fill cannot be complete.)
    await waitFor(() => gate.held() > 0 && viewers.every((v) => v.received() > 0), 'first body bytes at every viewer while the relay holds the rest');
    assert.ok(viewers.every((v) => v.received() < body.length), 'no viewer has the whole object before the store sent it');
    assert.equal(originReads(origin, key).length, 1, 'one GET at the origin while every viewer waits');
    gate.release();
    const got = await within(Promise.all(viewers.map((v) => v.done)), 'every viewer\'s body');

    for (const [i, g] of got.entries()) {
      assert.equal(g.status, 200, `viewer ${i}`);
      assert.ok(g.complete, `viewer ${i}: complete`);
      assert.equal(g.headers['content-length'], String(body.length));
      assert.equal(sha256Hex(g.body), sha256Hex(body), `viewer ${i}: byte-identical body`);
      assert.equal(g.headers['content-type'], 'video/mp2t');
      assert.equal(g.headers.etag, etagOf(body));
    }
    const results = heads.map((h) => h.headers['x-cache']);
    assert.equal(results.filter((r) => r === 'MISS').length, 1, `X-Cache: ${results.join(' ')}`);
    assert.equal(results.filter((r) => r === 'COLLAPSED').length, VIEWERS - 1, `X-Cache: ${results.join(' ')}`);
    const reads = originReads(origin, key);
    assert.equal(reads.length, 1, 'exactly one request reached the origin');
    assert.equal(reads[0]!.method, 'GET');
    assert.equal(reads[0]!.headers.range, undefined, 'a whole-object fill');
    assert.equal(reads[0]!.status, 200);
    // The access lines say which viewer filled and which shared.
    const lines = await Promise.all(heads.map((h) => accessLineFor(proxy, h.headers['x-request-id'])));
    assert.deepEqual(lines.map((l) => l.cache).sort(), results.map(String).sort());

    const later = await viewer(proxy.port, `/c/${key}`).done;
    assert.equal(later.status, 200);
    assert.equal(later.headers['x-cache'], 'HIT');
    assert.match(String(later.headers.age), /^\d+$/);
    assert.equal(sha256Hex(later.body), sha256Hex(body));
    assert.equal(originReads(origin, key).length, 1, 'the hit reached no origin');
  });

  await t.test('a slow viewer stalls neither the others nor the fill; the viewer that started the fill leaving does not abort it', async () => {
    const key = 'live/segment-2.ts';
    // Far more than the sockets between the proxy and a viewer hold: a viewer that reads nothing holds the proxy's writes.
    const body = generatedBytes(16 * MiB, key);
    await origin.putObject(CACHE_BUCKET, key, body);
    gate.hold(256 * KiB);
    // The viewer whose request starts the fill leaves after its first bytes.
    const leaver = viewer(proxy.port, `/c/${key}`);
    assert.equal((await within(leaver.head, 'the first viewer\'s head')).headers['x-cache'], 'MISS');
    await waitFor(() => leaver.received() > 0, 'the first viewer\'s first bytes');
    leaver.leave();
    await leaver.done;
    // A viewer that takes its first bytes and then reads nothing, and one that reads at full speed.
    const slow = await within(pausedViewer(proxy.port, `/c/${key}`), 'the slow viewer\'s first bytes');
    const fast = viewer(proxy.port, `/c/${key}`);
    assert.equal((await within(fast.head, 'the fast viewer\'s head')).headers['x-cache'], 'COLLAPSED');
    gate.release();

    const fastGot = await within(fast.done, 'the fast viewer\'s body');
    assert.ok(fastGot.complete, 'the fast viewer got the whole body');
    assert.equal(sha256Hex(fastGot.body), sha256Hex(body));
    // The fill completed and was kept although the slow viewer has read nothing since its first bytes.
    const hit = await viewer(proxy.port, `/c/${key}`).done;
    assert.equal(hit.headers['x-cache'], 'HIT');
    assert.equal(sha256Hex(hit.body), sha256Hex(body));
    await accessLineFor(proxy, hit.headers['x-request-id']);
    assert.ok(!proxy.logs().some((l) => l.msg === 'request' && l.reqId === slow.requestId), 'the proxy is still sending to the slow viewer');
    assert.equal(originReads(origin, key).length, 1, 'one GET at the origin: the leaver did not abort it, the slow viewer did not hold it');

    const slowGot = await slow.resume();
    assert.equal(slowGot.status, 200);
    assert.ok(slowGot.complete, 'the slow viewer gets the whole body once it reads');
    assert.equal(sha256Hex(slowGot.body), sha256Hex(body));
  });
});
