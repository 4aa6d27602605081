// Issue #18, "Writes invalidate": on a cached block that allows writes, a PUT, a DELETE and a
// completed multipart upload through the proxy drop what the cache holds of that key (and its
// slices): the next read goes to the strict origin and gets the new object (or its 404).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CACHE_BUCKET, CACHE_KEYS, cacheOrigin, originReads } from '../support/cache-fixture.js';
import { raw, xmlField, type Res } from '../support/origin-client.js';
import { startProxyCli } from '../support/proxy-cli.js';
import { KiB } from '../support/sizes.js';
import { WRITE_METHODS, writeBlock } from '../support/writes-helpers.js';
import { generatedBytes, etagOf } from '../support/generated-body.js';

const PART = 64 * KiB;

test('writes through the proxy invalidate the key', { timeout: 120_000 }, async (t) => {
  const origin = await cacheOrigin(t, { minPartSize: PART });
  const block = (path: string, cache: Record<string, unknown>): Record<string, unknown> => ({
    ...writeBlock(origin.port, { path, bucket: CACHE_BUCKET, credentials: CACHE_KEYS, methods: WRITE_METHODS }),
    cache,
  });
  const proxy = await startProxyCli(t, { server: { host: '127.0.0.1', port: 0 }, proxies: [block('/w/', { ttl: '1h' }), block('/ws/', { ttl: '1h', slice: '64KiB' })] });

  /** A GET through the proxy: its X-Cache, status and body, and whether it reached the origin. */
  async function read(key: string, prefix: string, expected: { status: number; cache: string; body?: Buffer; reads?: number }, headers: Record<string, string> = {}): Promise<Res> {
    const before = originReads(origin, key).length;
    const res = await raw(proxy.port, { path: `${prefix}${key}`, headers });
    assert.equal(res.status, expected.status, `${key}: ${res.text.slice(0, 300)}`);
    assert.equal(res.headers['x-cache'], expected.cache, `${key}: X-Cache`);
    if (expected.body) assert.ok(res.body.equals(expected.body), `${key}: the body (${res.body.length} bytes)`);
    assert.equal(originReads(origin, key).length - before, expected.reads ?? (expected.cache === 'HIT' ? 0 : 1), `${key}: reads at the origin`);
    return res;
  }
  const write = async (method: string, path: string, body?: Buffer | string, headers: Record<string, string> = {}): Promise<Res> =>
    raw(proxy.port, { method, path, headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) }, ...(body === undefined ? {} : { body }) });

  await t.test('PUT and DELETE', async () => {
    const key = 'docs/page.html';
    const v1 = Buffer.from('<p>version 1</p>\n');
    const v2 = Buffer.from('<p>version 2, longer</p>\n');
    await origin.putObject(CACHE_BUCKET, key, v1, { contentType: 'text/html' });
    await read(key, '/w/', { status: 200, cache: 'MISS', body: v1 });
    await read(key, '/w/', { status: 200, cache: 'HIT', body: v1 });

    const put = await write('PUT', `/w/${key}`, v2, { 'content-type': 'text/html' });
    assert.equal(put.status, 200, put.text);
    const after = await read(key, '/w/', { status: 200, cache: 'MISS', body: v2 });
    assert.equal(after.headers.etag, etagOf(v2));
    await read(key, '/w/', { status: 200, cache: 'HIT', body: v2 });

    const del = await write('DELETE', `/w/${key}`);
    assert.equal(del.status, 204, del.text);
    const gone = await read(key, '/w/', { status: 404, cache: 'MISS' });
    assert.equal(xmlField(gone.text, 'Code'), 'NoSuchKey');
  });

  await t.test('a completed multipart upload', async () => {
    const key = 'video/upload.mp4';
    const old = generatedBytes(10 * KiB, 'before the upload');
    await origin.putObject(CACHE_BUCKET, key, old);
    const created = await write('POST', `/w/${key}?uploads`);
    assert.equal(created.status, 200, created.text);
    const uploadId = encodeURIComponent(xmlField(created.text, 'UploadId')!);
    const parts = [generatedBytes(PART, 'part 1'), generatedBytes(PART, 'part 2'), generatedBytes(KiB, 'part 3')];
    const etags: string[] = [];
    for (const [i, p] of parts.entries()) {
      const res = await write('PUT', `/w/${key}?partNumber=${i + 1}&uploadId=${uploadId}`, p);
      assert.equal(res.status, 200, res.text);
      etags.push(String(res.headers.etag));
    }
    // Kept again while the upload is open: the object is still the old one.
    await read(key, '/w/', { status: 200, cache: 'MISS', body: old });
    await read(key, '/w/', { status: 200, cache: 'HIT', body: old });

    const xml = `<CompleteMultipartUpload>${etags.map((e, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${e}</ETag></Part>`).join('')}</CompleteMultipartUpload>`;
    const done = await write('POST', `/w/${key}?uploadId=${uploadId}`, xml, { 'content-type': 'application/xml' });
    assert.equal(done.status, 200, done.text);
    await read(key, '/w/', { status: 200, cache: 'MISS', body: Buffer.concat(parts) });
    await read(key, '/w/', { status: 200, cache: 'HIT', body: Buffer.concat(parts) });
  });

  await t.test('a PUT drops the object\'s slices too', async () => {
    const key = 'video/sliced.bin';
    const v1 = generatedBytes(300 * KiB, 'sliced v1');
    const v2 = generatedBytes(300 * KiB, 'sliced v2');
    await origin.putObject(CACHE_BUCKET, key, v1);
    const range = { range: 'bytes=100000-200000' };
    // Slices 1, 2 and 3 of 64 KiB.
    await read(key, '/ws/', { status: 206, cache: 'MISS', body: v1.subarray(100_000, 200_001), reads: 3 }, range);
    const before = originReads(origin, key).length;
    const kept = await raw(proxy.port, { path: `/ws/${key}`, headers: range });
    assert.ok(kept.body.equals(v1.subarray(100_000, 200_001)));
    assert.equal(originReads(origin, key).length, before, 'the slices are kept');

    const put = await write('PUT', `/ws/${key}`, v2);
    assert.equal(put.status, 200, put.text);
    const n = originReads(origin, key).length;
    const after = await raw(proxy.port, { path: `/ws/${key}`, headers: range });
    assert.equal(after.status, 206);
    assert.ok(after.body.equals(v2.subarray(100_000, 200_001)), 'the new bytes');
    assert.ok(originReads(origin, key).length > n, 'the read after the PUT went to the origin');
    const v1Etag = etagOf(v1);
    for (const r of originReads(origin, key).slice(n)) assert.notEqual(r.headers['if-match'], v1Etag, 'a fresh read, no slice asked for under the old ETag');
  });
});
