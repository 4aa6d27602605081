// Issue #18, "Viewer conditionals (If-None-Match, If-Modified-Since) and HEAD answered from the
// entry": once an object is kept, a viewer's conditional GET is answered 304 (validators, no
// body), a HEAD with the entry's headers and no body, and an unsatisfiable Range 416 — none of them
// reaching the strict origin. On a cold object the viewer's conditionals never reach the store
// either: the fill is a plain GET, judged against what arrives. For a whole-object block and a
// sliced one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CACHE_BUCKET, cacheOrigin, cachedBlock, fetchGot, originReads, type Got } from '../support/cache-fixture.js';
import { xmlField } from '../support/origin-client.js';
import { startProxyCli } from '../support/proxy-cli.js';
import { generatedBytes, etagOf } from '../support/generated-body.js';
import { KiB } from '../support/sizes.js';

const LAST_MODIFIED = new Date('2024-01-02T03:04:05Z');
const LAST_MODIFIED_HTTP = 'Tue, 02 Jan 2024 03:04:05 GMT';
const BEFORE = 'Mon, 01 Jan 2024 00:00:00 GMT';
const AFTER = 'Wed, 01 Jan 2025 00:00:00 GMT';

const BLOCKS = [
  { prefix: '/c/', cache: { ttl: '1h' }, size: 300 * KiB },
  { prefix: '/s/', cache: { ttl: '1h', slice: '64KiB' }, size: 300 * KiB + 7 },
] as const;

test('viewer conditionals, HEAD and 416 answered from the entry', async (t) => {
  const origin = await cacheOrigin(t);
  const proxy = await startProxyCli(t, { server: { host: '127.0.0.1', port: 0 }, proxies: BLOCKS.map((b) => cachedBlock(origin.port, b.prefix, b.cache)) });

  for (const b of BLOCKS) {
    await t.test(b.prefix === '/c/' ? 'whole objects' : 'sliced objects', async () => {
      const key = `conditional/${b.prefix.slice(1, -1)}.bin`;
      const body = generatedBytes(b.size, key);
      const etag = etagOf(body);
      await origin.putObject(CACHE_BUCKET, key, body, { contentType: 'application/x-test', lastModified: LAST_MODIFIED });
      const path = `${b.prefix}${key}`;

      // Cold, with If-None-Match: the fill is a plain GET (the viewer's validator is not the
      // store's business); the viewer's own condition is judged against what arrives.
      const cold = await fetchGot(proxy.port, path, { 'if-none-match': etag });
      assert.equal(cold.status, 304, cold.body.toString('utf8', 0, 300));
      assert.equal(cold.body.length, 0);
      assert.equal(cold.headers['x-cache'], 'MISS');
      const fills = originReads(origin, key);
      assert.ok(fills.length >= 1);
      for (const r of fills) {
        assert.equal(r.method, 'GET');
        assert.equal(r.headers['if-none-match'], undefined, 'the viewer\'s If-None-Match never reaches the store');
      }
      // Every slice in (a sliced block keeps only what was read).
      const full = await fetchGot(proxy.port, path);
      assert.equal(full.status, 200);
      assert.ok(full.body.equals(body));
      const n = originReads(origin, key).length;

      const fromEntry = async (label: string, headers: Record<string, string>, method = 'GET'): Promise<Got> => {
        const g = await fetchGot(proxy.port, path, headers, method);
        assert.equal(originReads(origin, key).length, n, `${label}: nothing reached the origin`);
        assert.equal(g.headers['x-cache'], 'HIT', `${label}: X-Cache`);
        assert.match(String(g.headers.age), /^\d+$/, `${label}: Age`);
        return g;
      };
      const notModified = (label: string, g: Got): void => {
        assert.equal(g.status, 304, label);
        assert.equal(g.body.length, 0, `${label}: no body`);
        assert.equal(g.headers.etag, etag, `${label}: ETag`);
        assert.equal(g.headers['last-modified'], LAST_MODIFIED_HTTP, `${label}: Last-Modified`);
        assert.equal(g.headers['content-length'], undefined, `${label}: no Content-Length`);
      };
      const whole = (label: string, g: Got): void => {
        assert.equal(g.status, 200, label);
        assert.ok(g.body.equals(body), `${label}: the object`);
      };

      notModified('If-None-Match', await fromEntry('If-None-Match', { 'if-none-match': etag }));
      notModified('If-None-Match weak, in a list', await fromEntry('If-None-Match list', { 'if-none-match': `"nope", W/${etag}` }));
      notModified('If-None-Match *', await fromEntry('If-None-Match *', { 'if-none-match': '*' }));
      whole('If-None-Match other', await fromEntry('If-None-Match other', { 'if-none-match': '"0123456789abcdef0123456789abcdef"' }));
      notModified('If-Modified-Since later', await fromEntry('If-Modified-Since later', { 'if-modified-since': AFTER }));
      notModified('If-Modified-Since equal', await fromEntry('If-Modified-Since equal', { 'if-modified-since': LAST_MODIFIED_HTTP }));
      whole('If-Modified-Since earlier', await fromEntry('If-Modified-Since earlier', { 'if-modified-since': BEFORE }));
      // If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2).
      whole('If-None-Match other + If-Modified-Since later', await fromEntry('both', { 'if-none-match': '"other"', 'if-modified-since': AFTER }));

      const head = await fromEntry('HEAD', {}, 'HEAD');
      assert.equal(head.status, 200);
      assert.equal(head.body.length, 0, 'HEAD has no body');
      assert.equal(head.headers['content-length'], String(body.length), 'HEAD: the object\'s Content-Length');
      assert.equal(head.headers.etag, etag);
      assert.equal(head.headers['last-modified'], LAST_MODIFIED_HTTP);
      assert.equal(head.headers['content-type'], 'application/x-test');
      assert.equal(head.headers['accept-ranges'], 'bytes');
      const headRange = await fromEntry('HEAD Range', { range: 'bytes=10-19' }, 'HEAD');
      assert.equal(headRange.status, 206);
      assert.equal(headRange.headers['content-range'], `bytes 10-19/${body.length}`);
      assert.equal(headRange.headers['content-length'], '10');
      assert.equal(headRange.body.length, 0);
      notModified('HEAD If-None-Match', await fromEntry('HEAD If-None-Match', { 'if-none-match': etag }, 'HEAD'));

      for (const range of [`bytes=${body.length}-`, `bytes=${body.length + 100}-${body.length + 200}`, 'bytes=-0']) {
        const g = await fromEntry(`416 ${range}`, { range });
        assert.equal(g.status, 416, range);
        assert.equal(g.headers['content-range'], `bytes */${body.length}`, `${range}: Content-Range`);
        assert.equal(g.headers['content-type'], 'application/xml');
        assert.equal(xmlField(g.body.toString('utf8'), 'Code'), 'InvalidRange');
        assert.equal(xmlField(g.body.toString('utf8'), 'RequestId'), g.headers['x-request-id'], `${range}: our request id`);
      }
    });
  }

  await t.test('HEAD on a cold object fills the entry with one GET; the GET after it is a hit', async () => {
    const key = 'conditional/head-first.bin';
    const body = generatedBytes(10 * KiB, key);
    await origin.putObject(CACHE_BUCKET, key, body);
    const head = await fetchGot(proxy.port, `/c/${key}`, {}, 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
    assert.equal(head.headers['content-length'], String(body.length));
    assert.equal(head.headers['x-cache'], 'MISS');
    const get = await fetchGot(proxy.port, `/c/${key}`);
    assert.equal(get.headers['x-cache'], 'HIT');
    assert.ok(get.body.equals(body));
    assert.deepEqual(originReads(origin, key).map((r) => r.method), ['GET']);
  });
});
