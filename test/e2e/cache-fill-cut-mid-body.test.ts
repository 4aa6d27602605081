// Issue #18, "Safe on failure": a fill that breaks mid-body is never served as complete to anyone
// — every viewer of that fill gets a cut connection, as from the store — and nothing of it stays
// cached: the next read goes to the strict origin again and gets the real object. The origin's
// `cut-body` fault answers 200 with a Content-Length of 1 MiB, sends 1000 bytes and resets; a
// relay in front of it holds those bytes until every collapsed viewer has joined the fill.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StrictOrigin } from '@origin-signer/strict-origin';
import { accessLineFor } from '../support/access-lines.js';
import { CACHE_BUCKET, cacheOrigin, cachedBlock, fetchGot, originReads, viewer } from '../support/cache-fixture.js';
import { gateRelay } from '../support/gate-relay.js';
import { encodeKey } from '../support/origin-client.js';
import { startProxyCli } from '../support/proxy-cli.js';
import { generatedBytes, etagOf } from '../support/generated-body.js';
import { KiB, MiB } from '../support/sizes.js';
import { waitFor, within } from '../support/wait-for.js';

const VIEWERS = 10;

/** The origin cuts the body of the next GET of `key`, and only that one. */
function cutNextGet(origin: StrictOrigin, key: string): void {
  let armed = true;
  const path = `/${encodeKey(key)}`;
  origin.setFault((r) => {
    if (!armed || r.method !== 'GET' || r.url.split('?')[0] !== path) return undefined;
    armed = false;
    return 'cut-body';
  });
}

test('a fill cut mid-body: its viewers are cut, nothing is kept, the next read refetches', { timeout: 120_000 }, async (t) => {
  const origin = await cacheOrigin(t);
  const gate = await gateRelay(t, origin.port);
  const proxy = await startProxyCli(t, { server: { host: '127.0.0.1', port: 0 }, proxies: [cachedBlock(gate.port, '/c/', { ttl: '1h' })] });

  /** After a cut fill: the origin serves the object again, whole, and then it is kept. */
  async function refetched(key: string, body: Buffer, readsBefore: number): Promise<void> {
    const next = await fetchGot(proxy.port, `/c/${key}`);
    assert.equal(next.status, 200);
    assert.ok(next.complete);
    assert.equal(next.headers['x-cache'], 'MISS', 'nothing of the cut fill was kept');
    assert.ok(next.body.equals(body), 'the real object');
    assert.equal(next.headers.etag, etagOf(body));
    const reads = originReads(origin, key);
    assert.equal(reads.length, readsBefore + 1, 'the read after the cut went to the origin');
    assert.equal(reads.at(-1)!.fault, undefined);
    const hit = await fetchGot(proxy.port, `/c/${key}`);
    assert.equal(hit.headers['x-cache'], 'HIT');
    assert.ok(hit.body.equals(body));
    assert.equal(originReads(origin, key).length, readsBefore + 1);
  }

  await t.test('one viewer: cut, not a complete 200; the next read goes to the origin', async () => {
    const key = 'cut/one.bin';
    const body = generatedBytes(200 * KiB, key);
    await origin.putObject(CACHE_BUCKET, key, body);
    cutNextGet(origin, key);
    const cut = await fetchGot(proxy.port, `/c/${key}`);
    assert.equal(cut.status, 200, 'the head was out when the body broke');
    assert.equal(cut.headers['content-length'], String(MiB));
    assert.ok(!cut.complete, 'the viewer\'s connection is cut');
    assert.ok(cut.body.length < MiB);
    assert.ok(cut.body.equals(Buffer.alloc(cut.body.length, 0x61)), 'what it got is what the store sent');
    const reads = originReads(origin, key);
    assert.equal(reads.length, 1);
    assert.equal(reads[0]!.fault, 'cut-body');
    const line = await accessLineFor(proxy, cut.headers['x-request-id']);
    assert.equal(line.cache, 'MISS');
    await refetched(key, body, 1);
  });

  await t.test(`${VIEWERS} collapsed viewers of a fill that breaks are all cut`, async () => {
    const key = 'cut/collapsed.bin';
    const body = generatedBytes(300 * KiB, key);
    await origin.putObject(CACHE_BUCKET, key, body);
    cutNextGet(origin, key);
    // The head and 500 of the 1000 bytes pass; the rest (and the reset) wait until every viewer is in.
    gate.hold(500, { afterHead: true });
    const viewers = Array.from({ length: VIEWERS }, () => viewer(proxy.port, `/c/${key}`));
    const heads = await within(Promise.all(viewers.map((v) => v.head)), 'every viewer\'s head');
    await waitFor(() => gate.held() > 0 && viewers.every((v) => v.received() > 0), 'first bytes at every viewer');
    assert.equal(originReads(origin, key).length, 1, 'one GET for every viewer');
    gate.release();
    const got = await within(Promise.all(viewers.map((v) => v.done)), 'every viewer\'s end');
    for (const [i, g] of got.entries()) {
      assert.equal(g.status, 200, `viewer ${i}`);
      assert.ok(!g.complete, `viewer ${i}: cut, not given a complete body`);
      assert.ok(g.body.length <= 1000, `viewer ${i}: no more than the store sent`);
    }
    const results = heads.map((h) => h.headers['x-cache']).sort();
    assert.deepEqual(results, ['COLLAPSED', ...Array<string>(VIEWERS - 2).fill('COLLAPSED'), 'MISS'].sort(), 'they shared the one fill');
    await refetched(key, body, 1);
  });
});
