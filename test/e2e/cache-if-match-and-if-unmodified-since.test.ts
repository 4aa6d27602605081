// Regression (found by a hostile-viewer hunt): a cached block ignored the viewer's If-Match and
// If-Unmodified-Since, answering 200/206 where the store says 412 — so a download resumed with
// `Range` and `If-Match: <old ETag>` got the new version's bytes after the old one's. The cache now
// judges them first (RFC 9110 §13.2.2), on a MISS and a HIT, whole and sliced, and answers as the
// strict origin does through a block without a cache.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { askEveryBlock, CACHE_BUCKET, cacheOrigin, referenceAndCachedBlocks } from '../support/cache-fixture.js';
import { xmlField } from '../support/origin-client.js';
import { startProxyCli } from '../support/proxy-cli.js';
import { generatedBytes, etagOf } from '../support/generated-body.js';
import { KiB } from '../support/sizes.js';

const BEFORE = 'Mon, 01 Jan 2024 00:00:00 GMT';
const AFTER = 'Wed, 01 Jan 2025 00:00:00 GMT';
const OTHER = '"0123456789abcdef0123456789abcdef"';

test('If-Match and If-Unmodified-Since on cached blocks: 412 as the store says, else the bytes', async (t) => {
  const origin = await cacheOrigin(t);
  // /u/ has no cache: what the store itself answers is the reference.
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    proxies: referenceAndCachedBlocks(origin.port),
  });
  const key = 'resume/movie.bin';
  const body = generatedBytes(200 * KiB + 3, key);
  const etag = etagOf(body);
  await origin.putObject(CACHE_BUCKET, key, body, { lastModified: new Date('2024-06-01T00:00:00Z') });

  const cases: Array<[Record<string, string>, number]> = [
    [{ 'if-match': OTHER, range: 'bytes=100-199' }, 412],
    [{ 'if-unmodified-since': BEFORE }, 412],
    [{ 'if-match': `${OTHER}, ${etag}`, range: 'bytes=100-199' }, 206],
    [{ 'if-match': '*' }, 200],
    [{ 'if-unmodified-since': AFTER, range: 'bytes=0-9' }, 206],
    [{ 'if-match': etag, 'if-unmodified-since': BEFORE }, 200],
  ];
  await askEveryBlock(proxy.port, key, cases, (g, status, what) => {
    if (status === 412) assert.equal(xmlField(g.body.toString('utf8'), 'Code'), 'PreconditionFailed', what);
    if (status === 206) {
      const [, s, e] = /bytes (\d+)-(\d+)\//.exec(String(g.headers['content-range']))!;
      assert.ok(g.body.equals(body.subarray(Number(s), Number(e) + 1)), what);
    }
    if (status === 200) assert.ok(g.body.equals(body), what);
  });
});
