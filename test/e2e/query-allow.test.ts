// Issue #20, README "Static sites and browsers", Query pass-through: `query.allow` parameters are
// forwarded and signed on reads (the strict origin verifies the signature over them and honours
// response-content-disposition as S3 does), in SigV4 and SigV2; every other response-* is still
// dropped, and a block without query.allow drops them all; a value with a control character (CR LF
// header injection) is refused 400 before anything reaches the store; on a cached block the
// allowed parameter is part of the key.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUCKET, raw, origin as startOrigin } from '../support/origin-client.js';
import { startShieldProxy } from '../support/shield-e2e.js';
import { keyRequests, siteConfig } from '../support/site-e2e.js';

const ALLOW = { query: { allow: ['response-content-disposition'] } };
const DISPOSITION = 'attachment; filename="a b.bin"';
const Q = `response-content-disposition=${encodeURIComponent(DISPOSITION)}`;

test('query.allow: forwarded and signed, others dropped, control characters refused, part of the cache key', async (t) => {
  const origin = await startOrigin(t);
  await origin.putObject(BUCKET, 'file.bin', 'data', { contentType: 'application/octet-stream' });
  const p = await startShieldProxy(
    t,
    siteConfig(origin.port, [
      { path: '/dl/', bucket: BUCKET, extra: ALLOW },
      { path: '/dl2/', bucket: BUCKET, version: 'v2', extra: ALLOW },
      { path: '/plain/', bucket: BUCKET },
      { path: '/cdl/', bucket: BUCKET, extra: { ...ALLOW, cache: { ttl: '60s' } } },
      { path: '/site/', bucket: BUCKET, extra: { ...ALLOW, site: { index: 'index.html', listing: true } } },
    ]),
  );

  await t.test('the allowed parameter is signed and honoured; other response-* are dropped (SigV4 and SigV2)', async () => {
    for (const [block, auth] of [['/dl/', 'v4-header'], ['/dl2/', 'v2-header']] as const) {
      const before = origin.requests.length;
      const res = await raw(p.port, { path: `${block}file.bin?${Q}&response-content-type=text%2Fhtml&response-cache-control=no-store&x=1` });
      assert.equal(res.status, 200, `${block}: ${res.text}`);
      assert.equal(res.headers['content-disposition'], DISPOSITION, `${block}: the store honoured it`);
      assert.equal(res.headers['content-type'], 'application/octet-stream', `${block}: response-content-type was not forwarded`);
      assert.equal(res.headers['cache-control'], undefined);
      const rec = origin.requests[before]!;
      assert.equal(origin.requests.length, before + 1);
      assert.equal(rec.auth, auth, 'signed, and the signature over the query verified');
      assert.equal(rec.status, 200);
      const params = new URLSearchParams(rec.url.split('?')[1]);
      assert.equal(params.get('response-content-disposition'), DISPOSITION);
      for (const dropped of ['response-content-type', 'response-cache-control', 'x']) assert.equal(params.get(dropped), null, `${block}: ${dropped} dropped`);
    }
    const plain = await raw(p.port, { path: `/plain/file.bin?${Q}` });
    assert.equal(plain.status, 200);
    assert.equal(plain.headers['content-disposition'], undefined, 'a block without query.allow drops it');
    assert.ok(!origin.requests.at(-1)!.url.includes('response-'), 'nothing of it at the store');
  });

  await t.test('a value with a control character is refused 400; nothing reaches the store', async () => {
    for (const value of ['attachment%0D%0ASet-Cookie%3A%20a%3Db', 'a%0Ab', 'a%00b', 'a%7Fb', 'a%09b']) {
      for (const block of ['/dl/', '/dl2/', '/cdl/']) {
        const before = origin.requests.length;
        const res = await raw(p.port, { path: `${block}file.bin?response-content-disposition=${value}` });
        assert.equal(res.status, 400, `${block} ${value}`);
        assert.equal((JSON.parse(res.text) as { error: string }).error, 'OS_ERR_BAD_REQUEST');
        assert.equal(res.headers['set-cookie'], undefined);
        assert.equal(origin.requests.length, before, `${block} ${value}: nothing reached the store`);
      }
    }
    // On a site block too, the block root and folders (their index document) included: the viewer's 400, not a missing page.
    for (const path of ['/site/file.bin', '/site/', '/site/sub/']) {
      const before = origin.requests.length;
      const res = await raw(p.port, { path: `${path}?response-content-disposition=a%0D%0Ab` });
      assert.equal(res.status, 400, `${path}: ${res.text}`);
      assert.equal(origin.requests.length, before, `${path}: nothing reached the store`);
    }
    // A dropped parameter is not judged: it never goes anywhere.
    assert.equal((await raw(p.port, { path: '/plain/file.bin?response-content-disposition=a%0D%0Ab' })).status, 200);
  });

  await t.test('on a cached block the allowed parameter is part of the key', async () => {
    const get = (q: string): ReturnType<typeof raw> => raw(p.port, { path: `/cdl/file.bin${q}` });
    const before = origin.requests.length;
    const a = await get('?response-content-disposition=attachment%3B%20filename%3Da.bin');
    assert.equal(a.headers['x-cache'], 'MISS');
    assert.equal(a.headers['content-disposition'], 'attachment; filename=a.bin');
    const b = await get('?response-content-disposition=attachment%3B%20filename%3Db.bin');
    assert.equal(b.headers['x-cache'], 'MISS', 'another value: another entry');
    assert.equal(b.headers['content-disposition'], 'attachment; filename=b.bin');
    assert.equal(keyRequests(origin, 'file.bin', before).length, 2, 'two values, two GETs at the store');
    const again = await get('?x=1&response-content-disposition=attachment%3B%20filename%3Da.bin');
    assert.equal(again.headers['x-cache'], 'HIT', 'the same value again (a dropped parameter aside)');
    assert.equal(again.headers['content-disposition'], 'attachment; filename=a.bin', 'its own rendering');
    const none = await get('');
    assert.equal(none.headers['x-cache'], 'MISS', 'without the parameter: the plain object, its own entry');
    assert.equal(none.headers['content-disposition'], undefined);
    assert.equal(keyRequests(origin, 'file.bin', before).length, 3);
  });
});
