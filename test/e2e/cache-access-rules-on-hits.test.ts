// Issue #18, "Access first, always": a block's viewer access rules run on every request, hit or
// miss — with the object kept, a viewer without the secret header, outside the allowed IPs or
// without a valid signed URL still gets 403 and not a byte of the object. And the cache key is the
// block, the object key and the listed query parameters only: viewers with different secrets,
// different signed URLs, a dropped cache-buster or other headers of their own share one entry (one
// GET at the strict origin).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DISTRIBUTION, accessBlock, accessOrigin, accessProxy, deniedReason, flipChar, nowSec, rsa2048Keys } from '../support/access-fixtures.js';
import { rsa2048SignedPath } from '../support/access-signed-path.js';
import { originReads } from '../support/cache-fixture.js';
import { raw, type Res } from '../support/origin-client.js';

const BODY = 'the kept object: 0123456789abcdefghijklmnopqrstuvwxyz\n';
const OBJECTS = { 'h.txt': BODY, 'u.txt': BODY, 'i.txt': BODY };
const OLD = 'old-secret-5d1c';
const NEW = 'new-secret-a9e2';
const SECRET = { name: 'X-Origin-Secret', values: [OLD, NEW] };
const CACHE = { cache: { ttl: '1h' } };

test('access rules run on hits; viewer tokens and headers are never part of the cache key', async (t) => {
  const origin = await accessOrigin(t, OBJECTS);
  const keys = rsa2048Keys(t);
  const proxy = await accessProxy(
    t,
    [
      accessBlock(origin, '/h/', { requireHeader: SECRET }, CACHE),
      accessBlock(origin, '/u/', { signedUrls: { keys, baseUrl: DISTRIBUTION } }, CACHE),
      accessBlock(origin, '/i/', { allowIps: ['203.0.113.0/24'] }, CACHE),
    ],
    { server: { trustProxy: ['127.0.0.1'] } },
  );

  /** A request answered from the entry: the object, X-Cache HIT, nothing at the origin. */
  async function hit(key: string, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Res> {
    const before = originReads(origin, key).length;
    const res = await raw(proxy.port, { method, path, headers });
    assert.equal(res.status, 200, `${path}: ${res.text.slice(0, 300)}`);
    assert.equal(res.headers['x-cache'], 'HIT', `${path} ${JSON.stringify(headers)}: X-Cache`);
    assert.equal(res.text, method === 'HEAD' ? '' : BODY);
    assert.equal(originReads(origin, key).length, before, `${path}: the hit reached no origin`);
    return res;
  }
  /** Refused although the object is kept: 403, no byte or header of the object, nothing at the origin. */
  async function refused(key: string, path: string, headers: Record<string, string>, reason: string, method = 'GET'): Promise<void> {
    const before = originReads(origin, key).length;
    const res = await raw(proxy.port, { method, path, headers });
    if (method === 'HEAD') assert.equal(res.status, 403, `${path}: HEAD refused`);
    else assert.equal(await deniedReason(proxy, res), reason, `${path} ${JSON.stringify(headers)}`);
    assert.ok(!res.text.includes('kept object'), 'not a byte of the object');
    for (const h of ['etag', 'last-modified', 'x-cache', 'age']) assert.equal(res.headers[h], undefined, `${path}: no ${h}`);
    assert.equal(originReads(origin, key).length, before, `${reason}: nothing reached the bucket`);
  }

  await t.test('requireHeader: a hit still needs the secret; both secrets and any cache-buster share one entry', async () => {
    const miss = await raw(proxy.port, { path: '/h/h.txt', headers: { 'x-origin-secret': OLD } });
    assert.equal(miss.status, 200);
    assert.equal(miss.headers['x-cache'], 'MISS');
    assert.equal(miss.text, BODY);
    await refused('h.txt', '/h/h.txt', {}, 'missing secret header');
    await refused('h.txt', '/h/h.txt', { 'x-origin-secret': 'a-guess' }, 'wrong secret header');
    await refused('h.txt', '/h/h.txt?cb=123', {}, 'missing secret header');
    await refused('h.txt', '/h/h.txt', { 'if-none-match': String(miss.headers.etag) }, 'missing secret header');
    await refused('h.txt', '/h/h.txt', { range: 'bytes=0-3' }, 'missing secret header');
    await refused('h.txt', '/h/h.txt', {}, 'missing secret header', 'HEAD');

    await hit('h.txt', '/h/h.txt', { 'x-origin-secret': NEW });
    await hit('h.txt', '/h/h.txt?cb=123', { 'x-origin-secret': OLD });
    await hit('h.txt', '/h/h.txt?cb=456&utm_source=x', { 'x-origin-secret': NEW });
    await hit('h.txt', '/h/h.txt', {
      'x-origin-secret': OLD,
      authorization: 'Bearer viewer-token-1',
      cookie: 'session=viewer-2',
      'accept-encoding': 'gzip',
      'user-agent': 'another viewer',
      'x-forwarded-for': '198.51.100.1',
    });
    await hit('h.txt', '/h/h.txt', { 'x-origin-secret': NEW }, 'HEAD');
    assert.equal(originReads(origin, 'h.txt').length, 1, 'one GET at the origin for every viewer');
    assert.equal(originReads(origin, 'h.txt')[0]!.url, '/h.txt', 'no viewer parameter reached the origin');
  });

  await t.test('signedUrls: a hit still needs a valid signed URL; different signatures share one entry', async () => {
    const first = rsa2048SignedPath(`${DISTRIBUTION}/u/u.txt`, nowSec() + 3600);
    const miss = await raw(proxy.port, { path: first });
    assert.equal(miss.status, 200, miss.text);
    assert.equal(miss.headers['x-cache'], 'MISS');

    await refused('u.txt', '/u/u.txt', {}, 'missing signature');
    await refused('u.txt', `/u/u.txt?cb=1`, {}, 'missing signature');
    const tampered = first.replace(/Signature=([^&]+)/, (_m, s: string) => `Signature=${flipChar(s)}`);
    await refused('u.txt', tampered, {}, 'bad signature');
    await refused('u.txt', rsa2048SignedPath(`${DISTRIBUTION}/u/u.txt`, nowSec() - 10), {}, 'expired');
    await refused('u.txt', rsa2048SignedPath(`${DISTRIBUTION}/u/h.txt`, nowSec() + 3600).replace('/u/h.txt', '/u/u.txt'), {}, 'bad signature');

    await hit('u.txt', rsa2048SignedPath(`${DISTRIBUTION}/u/u.txt`, nowSec() + 7200));
    await hit('u.txt', rsa2048SignedPath(`${DISTRIBUTION}/u/u.txt?cb=123`, nowSec() + 3600));
    assert.equal(originReads(origin, 'u.txt').length, 1, 'one GET at the origin for every signed URL');
    assert.doesNotMatch(originReads(origin, 'u.txt')[0]!.url, /Signature|Expires|Key-Pair-Id/);
  });

  await t.test('allowIps: a hit still needs an allowed viewer address', async () => {
    const miss = await raw(proxy.port, { path: '/i/i.txt', headers: { 'x-forwarded-for': '203.0.113.5' } });
    assert.equal(miss.status, 200, miss.text);
    assert.equal(miss.headers['x-cache'], 'MISS');
    await refused('i.txt', '/i/i.txt', { 'x-forwarded-for': '198.51.100.7' }, 'ip not allowed');
    await refused('i.txt', '/i/i.txt', {}, 'ip not allowed');
    await hit('i.txt', '/i/i.txt', { 'x-forwarded-for': '203.0.113.77' });
    assert.equal(originReads(origin, 'i.txt').length, 1);
  });
});
