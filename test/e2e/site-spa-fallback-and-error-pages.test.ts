// Issue #20, README "Static sites and browsers", SPA fallback and error pages: a missing path whose
// last segment has no `.` serves `spaFallback` with 200; a missing file gets the 404 page with 404;
// a key the store refuses (403 AccessDenied) gets the 403 page with 403 — never the fallback; an
// error page that is itself missing falls back to the plain S3-shaped error; with notFoundFor403 a
// 403 is a 404. Every page is read through the same signed path, and through the shield cache on a
// cached block (the second viewer costs no request at the store).
// The strict origin has no per-key permissions: a relay in front of it answers S3's 403
// AccessDenied for `private/…` keys, as S3 does for a key the credential may not read.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUCKET, raw, origin as startOrigin } from '../support/origin-client.js';
import { startShieldProxy } from '../support/shield-e2e.js';
import { keyRequests, siteConfig, startDenyingRelay } from '../support/site-e2e.js';

const INDEX = '<!doctype html><div id="app"></div>\n';
const PAGE_404 = '<h1>404: not here</h1>\n';
const PAGE_403 = '<h1>403: not for you</h1>\n';
const PAGES = { 404: '/errors/404.html', 403: '/errors/403.html' };

test('spaFallback and error pages, through the signed path and the cache', async (t) => {
  const origin = await startOrigin(t);
  await origin.putObject(BUCKET, 'index.html', INDEX, { contentType: 'text/html' });
  await origin.putObject(BUCKET, 'errors/404.html', PAGE_404, { contentType: 'text/html' });
  await origin.putObject(BUCKET, 'errors/403.html', PAGE_403, { contentType: 'text/html' });
  await origin.putObject(BUCKET, 'assets/app.js', 'console.log(1)\n', { contentType: 'text/javascript' });
  await origin.putObject(BUCKET, 'private/secret.txt', 'secret\n');
  const relay = await startDenyingRelay(t, origin.port, (req) => (req.url ?? '').startsWith('/private/'));
  const app = { index: 'index.html', spaFallback: '/index.html', errorPages: PAGES };
  const p = await startShieldProxy(
    t,
    siteConfig(origin.port, [
      { path: '/app/', bucket: BUCKET, port: relay.port, extra: { site: app } },
      { path: '/bare/', bucket: BUCKET, port: relay.port, extra: { site: { index: 'index.html', errorPages: { 404: '/errors/none.html', 403: '/errors/none-403.html' } } } },
      { path: '/nf/', bucket: BUCKET, port: relay.port, extra: { site: app, notFoundFor403: true } },
      { path: '/cached/', bucket: BUCKET, extra: { site: app, cache: { ttl: '60s', notFoundTtl: '60s' } } },
    ]),
  );

  await t.test('a missing route (no extension) serves the fallback with 200; HEAD agrees', async () => {
    for (const path of ['/app/settings/profile', '/app/settings', '/app/a/b/c?tab=2']) {
      const before = origin.requests.length;
      const res = await raw(p.port, { path });
      assert.equal(res.status, 200, `${path}: ${res.text}`);
      assert.equal(res.text, INDEX);
      assert.equal(res.headers['content-type'], 'text/html');
      assert.equal(keyRequests(origin, 'index.html', before).length, 1, `${path}: the fallback read signed from the store`);
      const head = await raw(p.port, { method: 'HEAD', path });
      assert.equal(head.status, 200);
      assert.equal(head.body.length, 0);
      assert.equal(head.headers['content-length'], String(INDEX.length));
    }
    // An object that exists is itself.
    assert.equal((await raw(p.port, { path: '/app/assets/app.js' })).text, 'console.log(1)\n');
  });

  await t.test('a missing file (with an extension) gets the 404 page with 404, whole whatever the viewer asked', async () => {
    for (const headers of [{}, { range: 'bytes=0-3' }] as Array<Record<string, string>>) {
      const res = await raw(p.port, { path: '/app/missing.js', headers });
      assert.equal(res.status, 404);
      assert.equal(res.text, PAGE_404);
      assert.equal(res.headers['content-type'], 'text/html');
    }
    const head = await raw(p.port, { method: 'HEAD', path: '/app/missing.js' });
    assert.equal(head.status, 404);
    assert.equal(head.body.length, 0);
    // A folder with no index document is a missing page too.
    const folder = await raw(p.port, { path: '/app/assets/' });
    assert.equal(folder.status, 404);
    assert.equal(folder.text, PAGE_404);
  });

  await t.test('a key the store refuses gets the 403 page with 403, never the fallback', async () => {
    for (const path of ['/app/private/secret.txt', '/app/private/area']) {
      const from = relay.denied.length;
      const res = await raw(p.port, { path });
      assert.equal(res.status, 403, `${path}: ${res.text}`);
      assert.equal(res.text, PAGE_403);
      assert.equal(relay.denied.length, from + 1, 'the store said 403');
      const head = await raw(p.port, { method: 'HEAD', path });
      assert.equal(head.status, 403);
      assert.equal(head.body.length, 0);
    }
  });

  await t.test('with notFoundFor403 the store\'s 403 is a 404: the 404 page', async () => {
    const res = await raw(p.port, { path: '/nf/private/secret.txt' });
    assert.equal(res.status, 404);
    assert.equal(res.text, PAGE_404);
  });

  await t.test('a missing error page falls back to the plain S3-shaped error', async () => {
    const missing = await raw(p.port, { path: '/bare/missing.js' });
    assert.equal(missing.status, 404);
    assert.equal(missing.headers['content-type'], 'application/xml');
    assert.match(missing.text, /<Code>NoSuchKey<\/Code>/);
    const refused = await raw(p.port, { path: '/bare/private/secret.txt' });
    assert.equal(refused.status, 403);
    assert.equal(refused.headers['content-type'], 'application/xml');
    assert.match(refused.text, /<Code>AccessDenied<\/Code>/);
  });

  await t.test('on a cached block the fallback and the 404 page come from the cache the second time', async () => {
    for (const [path, status, body] of [
      ['/cached/settings/profile', 200, INDEX],
      ['/cached/missing.js', 404, PAGE_404],
    ] as const) {
      const first = await raw(p.port, { path });
      assert.equal(first.status, status);
      assert.equal(first.text, body);
      const before = origin.requests.length;
      const second = await raw(p.port, { path });
      assert.equal(second.status, status, `${path}: the same status from the cache`);
      assert.equal(second.text, body);
      assert.equal(second.headers['x-cache'], 'HIT', `${path}: the page from the cache`);
      assert.equal(origin.requests.length, before, `${path}: no request at the store`);
    }
    // Another missing route: its own 404 is new, the fallback is not.
    const before = origin.requests.length;
    const other = await raw(p.port, { path: '/cached/another/route' });
    assert.equal(other.status, 200);
    assert.equal(other.text, INDEX);
    assert.equal(keyRequests(origin, 'index.html', before).length, 0, 'the fallback from the cache');
    assert.equal(origin.requests.length, before + 1, 'only the missing key asked for');
  });
});
