// Issue #18, "Ranges": a block with `cache.slice: 1MiB` fetches and keeps fixed-size slices. A
// Range request on a cold object fetches only the slices it spans (signed ranged GETs, counted at
// the strict origin with their exact Range headers) and answers 206 with the right Content-Range
// and bytes; open, suffix and multi-slice ranges; a full GET assembled from kept and missing
// slices; If-Range; and an object replaced between two slices is refetched, never stitched.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StrictOrigin } from '@origin-signer/strict-origin';
import { CACHE_BUCKET, cacheOrigin, cachedBlock, fetchGot, originReads, viewer, type Got } from '../support/cache-fixture.js';
import { gateRelay } from '../support/gate-relay.js';
import { startProxyCli } from '../support/proxy-cli.js';
import { generatedBytes, etagOf } from '../support/generated-body.js';
import { MiB } from '../support/sizes.js';
import { within } from '../support/wait-for.js';

const S = MiB;
/** Five whole slices and a short sixth. */
const SIZE = 5 * S + 300_000;
const slice = (i: number): string => `bytes=${i * S}-${Math.min(SIZE, (i + 1) * S) - 1}`;

/** What the origin saw of `key` since `from`: each read's Range, If-Match and status. */
function seen(origin: StrictOrigin, key: string, from: number): Array<{ range: unknown; ifMatch: unknown; status: number }> {
  return originReads(origin, key)
    .slice(from)
    .map((r) => ({ range: r.headers.range, ifMatch: r.headers['if-match'], status: r.status }));
}

function assertPart(label: string, g: Got, whole: Buffer, start: number, end: number): void {
  assert.equal(g.status, 206, `${label}: ${g.body.toString('utf8', 0, 300)}`);
  assert.ok(g.complete, `${label}: complete`);
  assert.equal(g.headers['content-range'], `bytes ${start}-${end}/${whole.length}`, `${label}: Content-Range`);
  assert.equal(g.headers['content-length'], String(end - start + 1), `${label}: Content-Length`);
  assert.ok(g.body.equals(whole.subarray(start, end + 1)), `${label}: the bytes of the range`);
  assert.equal(g.headers.etag, etagOf(whole), `${label}: ETag`);
}

test('slices: ranges fetch only the slices they span, full reads are assembled, a replaced object is never stitched', { timeout: 120_000 }, async (t) => {
  const origin = await cacheOrigin(t);
  const gate = await gateRelay(t, origin.port);
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    // /g/ reads through a relay that can hold the store's answers part-way.
    proxies: [cachedBlock(origin.port, '/s/', { ttl: '1h', slice: '1MiB' }), cachedBlock(gate.port, '/g/', { ttl: '1h', slice: '1MiB' })],
  });
  const get = (key: string, headers: Record<string, string> = {}): Promise<Got> => fetchGot(proxy.port, `/s/${key}`, headers);

  await t.test('middle, open, multi-slice and suffix ranges, then a full GET, each fetching only what is missing', async () => {
    const key = 'vod/movie.mp4';
    const body = generatedBytes(SIZE, key);
    await origin.putObject(CACHE_BUCKET, key, body, { contentType: 'video/mp4' });
    const etag = etagOf(body);
    let n = 0;
    const step = async (label: string, headers: Record<string, string>, expected: Array<{ range: string; ifMatch?: string }>): Promise<Got> => {
      const g = await get(key, headers);
      const reads = seen(origin, key, n);
      n += reads.length;
      assert.deepEqual(
        reads.map((r) => ({ range: r.range, ...(r.ifMatch === undefined ? {} : { ifMatch: r.ifMatch }) })),
        expected,
        `${label}: the slices fetched`,
      );
      for (const r of reads) assert.equal(r.status, 206, `${label}: ranged GETs answered 206`);
      return g;
    };

    // Cold: the slice the range starts in also tells the object's size and headers.
    const middle = await step('middle', { range: 'bytes=2500000-2600000' }, [{ range: slice(2) }]);
    assertPart('middle', middle, body, 2_500_000, 2_600_000);
    assert.equal(middle.headers['x-cache'], 'MISS');
    assert.equal(middle.headers['content-type'], 'video/mp4');
    // Later slices are fetched only if the object is still the one whose size and ETag are kept.
    const open = await step('open range', { range: 'bytes=4500000-' }, [
      { range: slice(4), ifMatch: etag },
      { range: slice(5), ifMatch: etag },
    ]);
    assertPart('open range', open, body, 4_500_000, SIZE - 1);
    const across = await step('across slices 1-4', { range: 'bytes=1500000-4300000' }, [
      { range: slice(1), ifMatch: etag },
      { range: slice(3), ifMatch: etag },
    ]);
    assertPart('across slices 1-4', across, body, 1_500_000, 4_300_000);
    const suffix = await step('suffix', { range: 'bytes=-200000' }, []);
    assertPart('suffix', suffix, body, SIZE - 200_000, SIZE - 1);
    const full = await step('full GET', {}, [{ range: slice(0), ifMatch: etag }]);
    assert.equal(full.status, 200);
    assert.ok(full.complete);
    assert.equal(full.headers['content-length'], String(SIZE));
    assert.ok(full.body.equals(body), 'the full GET is byte-identical, assembled from kept and fetched slices');
    const again = await step('full GET again', {}, []);
    assert.ok(again.body.equals(body));
    assert.equal(again.headers['x-cache'], 'HIT');

    // If-Range: the range when the validator matches, the whole object when it does not; from the cache.
    assertPart('If-Range ETag', await step('If-Range ETag', { range: 'bytes=10-20', 'if-range': etag }, []), body, 10, 20);
    assertPart('If-Range date', await step('If-Range date', { range: 'bytes=10-20', 'if-range': String(full.headers['last-modified']) }, []), body, 10, 20);
    const other = await step('If-Range other ETag', { range: 'bytes=10-20', 'if-range': '"0123456789abcdef0123456789abcdef"' }, []);
    assert.equal(other.status, 200);
    assert.equal(other.headers['content-range'], undefined);
    assert.ok(other.body.equals(body), 'a stale If-Range gets the whole object');
  });

  await t.test('a cold suffix range fetches at most two slices: a one-byte probe for the size and the last slice', async () => {
    const key = 'vod/suffix.mp4';
    const body = generatedBytes(SIZE, key);
    await origin.putObject(CACHE_BUCKET, key, body);
    const g = await get(key, { range: 'bytes=-100000' });
    assertPart('cold suffix', g, body, SIZE - 100_000, SIZE - 1);
    assert.deepEqual(
      seen(origin, key, 0).map((r) => r.range),
      ['bytes=0-0', slice(5)],
    );
  });

  await t.test('concurrent viewers of a cold object share each slice, the first one too', async () => {
    const key = 'vod/popular.mp4';
    const body = generatedBytes(SIZE, key);
    await origin.putObject(CACHE_BUCKET, key, body);
    const range = { range: 'bytes=1000000-2200000' };
    // The first request learns the object from slice 0 and is held there, part-way (past the
    // range's first byte, so its head is out): the object is known, its slice 0 still arriving.
    // Later viewers read that slice as it arrives — a second GET for it would be held by the
    // relay, and they would have no head.
    gate.hold(1_010_000, { afterHead: true });
    const first = viewer(proxy.port, `/g/${key}`, range);
    await within(first.head, 'the first viewer\'s head');
    const others = Array.from({ length: 19 }, () => viewer(proxy.port, `/g/${key}`, range));
    await within(Promise.all(others.map((v) => v.head)), 'every later viewer\'s head while slice 0 is held');
    gate.release();
    const got = await within(Promise.all([first, ...others].map((v) => v.done)), 'every viewer\'s body');
    for (const [i, g] of got.entries()) assertPart(`viewer ${i}`, g, body, 1_000_000, 2_200_000);
    const fetched = seen(origin, key, 0).map((r) => String(r.range));
    assert.deepEqual(fetched, [slice(0), slice(1), slice(2)], 'each slice once');
  });

  await t.test('an object replaced between slices is refetched, never stitched', async () => {
    const key = 'vod/replaced.mp4';
    const v1 = generatedBytes(SIZE, 'version 1');
    const v2 = generatedBytes(SIZE, 'version 2');
    const v3 = generatedBytes(SIZE, 'version 3');
    await origin.putObject(CACHE_BUCKET, key, v1);
    assertPart('v1 slice 0', await get(key, { range: 'bytes=100-200' }), v1, 100, 200);

    // Replaced (same size) after its entry is kept: the next slice is asked for with If-Match v1,
    // refused, and the read starts over on v2 before any byte is sent.
    await origin.putObject(CACHE_BUCKET, key, v2);
    let n = originReads(origin, key).length;
    assertPart('v2 slice 2', await get(key, { range: 'bytes=3000000-3000100' }), v2, 3_000_000, 3_000_100);
    const refetch = seen(origin, key, n);
    assert.deepEqual(refetch[0], { range: slice(2), ifMatch: etagOf(v1), status: 412 }, 'the v1 slice was asked for under If-Match and refused');
    assert.deepEqual(refetch.slice(1).map((r) => r.status), refetch.slice(1).map(() => 206));

    // Replaced again while a range spanning a kept slice (v2) and a missing one is read: the head
    // and the kept slice are out when the missing slice is refused, so the viewer's connection is
    // cut — it never receives v3 bytes after v2 bytes.
    await origin.putObject(CACHE_BUCKET, key, v3);
    const cut = await get(key, { range: 'bytes=3000000-3500000' });
    assert.equal(cut.status, 206);
    assert.equal(cut.headers.etag, etagOf(v2));
    assert.ok(!cut.complete, 'the viewer is cut, not given a whole 206');
    assert.ok(cut.body.length < 500_001);
    assert.ok(cut.body.equals(v2.subarray(3_000_000, 3_000_000 + cut.body.length)), 'every byte it got is v2');

    // The next read is v3, whole: the changed object was dropped, not served cut again and again.
    n = originReads(origin, key).length;
    const after = await get(key, { range: 'bytes=3000000-3500000' });
    assertPart('v3 after the change', after, v3, 3_000_000, 3_500_000);
    assert.ok(seen(origin, key, n).length > 0, 'v3 came from the origin');
    const whole = await get(key);
    assert.equal(whole.status, 200);
    assert.ok(whole.complete);
    assert.ok(whole.body.equals(v3), 'a full read after the change is v3, byte for byte');
  });
});
