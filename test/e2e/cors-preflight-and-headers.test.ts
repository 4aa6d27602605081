// Issue #20, README "Static sites and browsers", CORS: a preflight is answered 204 by the proxy for
// an allowed origin, method and headers — before the access rules (a browser cannot send the CDN's
// secret header on a preflight) and never reaching the store — and 403 with no CORS headers
// otherwise; `https://*.example.org` matches one label only. Every actual answer of the block —
// 200, 206, 304, HEAD, the store's 404, the proxy's own 403, a cached copy — carries
// Access-Control-Allow-Origin, the exposed headers and Vary: Origin for an allowed origin, and no
// CORS header for any other; `credentials: true` echoes the exact origin with Allow-Credentials.
import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { test } from 'node:test';
import { BUCKET, raw, origin as startOrigin } from '../support/origin-client.js';
import { startShieldProxy } from '../support/shield-e2e.js';
import { siteConfig } from '../support/site-e2e.js';

const PLAYER = 'https://player.example.com';
const SECRET = { 'x-cdn-secret': 'cdn-secret-value-0001' };
const CORS = { origins: [PLAYER, 'https://*.example.org'], methods: ['GET', 'HEAD'], headers: ['Range', 'If-None-Match'], maxAge: 600 };
const EXPOSED = 'content-range, accept-ranges, etag, content-length';

const corsHeaders = (h: IncomingHttpHeaders): string[] => Object.keys(h).filter((n) => n.startsWith('access-control-'));
const varies = (h: IncomingHttpHeaders): string[] => String(h.vary ?? '').split(',').map((v) => v.trim().toLowerCase());

test('CORS: preflights answered by the proxy, CORS headers on every answer for an allowed origin', async (t) => {
  const origin = await startOrigin(t);
  await origin.putObject(BUCKET, 'a.mp4', 'abcdefghij', { contentType: 'video/mp4' });
  const p = await startShieldProxy(
    t,
    siteConfig(origin.port, [
      { path: '/vod/', bucket: BUCKET, extra: { cors: CORS, access: { requireHeader: { name: 'x-cdn-secret', values: [SECRET['x-cdn-secret']] } } } },
      { path: '/cached/', bucket: BUCKET, extra: { cors: CORS, cache: { ttl: '60s' } } },
      { path: '/cred/', bucket: BUCKET, extra: { cors: { origins: ['https://app.example.com'], credentials: true } } },
      { path: '/star/', bucket: BUCKET, extra: { cors: { origins: ['*'] } } },
    ]),
  );
  const preflight = (path: string, o: string, method = 'GET', headers?: string): ReturnType<typeof raw> =>
    raw(p.port, { method: 'OPTIONS', path, headers: { origin: o, 'access-control-request-method': method, ...(headers ? { 'access-control-request-headers': headers } : {}) } });

  await t.test('an allowed preflight: 204 from the proxy, no secret header needed, nothing at the store', async () => {
    const before = origin.requests.length;
    for (const [o, asked] of [
      [PLAYER, 'range, if-none-match'],
      [PLAYER, 'Range'],
      [PLAYER, undefined],
      [PLAYER, 'accept, accept-language'],
      ['https://a.example.org', 'range'],
      ['https://cdn-7.example.org', undefined],
    ] as const) {
      const res = await preflight('/vod/a.mp4', o, 'GET', asked);
      assert.equal(res.status, 204, `${o} ${asked}: ${res.text}`);
      assert.equal(res.headers['access-control-allow-origin'], o);
      assert.equal(res.headers['access-control-allow-methods'], 'GET, HEAD');
      assert.equal(res.headers['access-control-allow-headers'], 'range, if-none-match');
      assert.equal(res.headers['access-control-max-age'], '600');
      assert.equal(res.headers['access-control-allow-credentials'], undefined);
      assert.ok(varies(res.headers).includes('origin'));
      assert.equal(res.body.length, 0);
    }
    assert.equal((await preflight('/vod/a.mp4', PLAYER, 'HEAD')).status, 204);
    assert.equal(origin.requests.length, before, 'no preflight reached the store');
  });

  await t.test('a refused preflight: 403 and no CORS header (origin, method, header, wildcard depth)', async () => {
    const before = origin.requests.length;
    for (const [o, method, asked] of [
      ['https://evil.example.com', 'GET', undefined],
      ['https://player.example.com.evil.net', 'GET', undefined],
      ['http://player.example.com', 'GET', undefined],
      ['https://a.b.example.org', 'GET', undefined],
      ['https://example.org', 'GET', undefined],
      ['http://a.example.org', 'GET', undefined],
      ['https://a.example.org:8443', 'GET', undefined],
      ['null', 'GET', undefined],
      [PLAYER, 'PUT', undefined],
      [PLAYER, 'DELETE', undefined],
      [PLAYER, 'GET', 'range, x-custom'],
      [PLAYER, 'GET', 'authorization'],
    ] as const) {
      const res = await preflight('/vod/a.mp4', o, method, asked);
      assert.equal(res.status, 403, `${o} ${method} ${asked}`);
      assert.deepEqual(corsHeaders(res.headers), [], `${o} ${method} ${asked}: no CORS header`);
    }
    assert.equal(origin.requests.length, before);
  });

  await t.test('actual answers carry the CORS headers for an allowed origin: 200, HEAD, 206, 304, 404, 403', async () => {
    const etag = (await raw(p.port, { path: '/vod/a.mp4', headers: SECRET })).headers.etag as string;
    for (const [what, method, path, headers, status] of [
      ['GET', 'GET', '/vod/a.mp4', SECRET, 200],
      ['HEAD', 'HEAD', '/vod/a.mp4', SECRET, 200],
      ['Range', 'GET', '/vod/a.mp4', { ...SECRET, range: 'bytes=0-3' }, 206],
      ['If-None-Match', 'GET', '/vod/a.mp4', { ...SECRET, 'if-none-match': etag }, 304],
      ['the store\'s 404', 'GET', '/vod/missing.mp4', SECRET, 404],
      ['the proxy\'s 403 (no secret header)', 'GET', '/vod/a.mp4', {}, 403],
    ] as const) {
      for (const o of [PLAYER, 'https://a.example.org']) {
        const res = await raw(p.port, { method, path, headers: { ...headers, origin: o } });
        assert.equal(res.status, status, `${what}: ${res.text}`);
        assert.equal(res.headers['access-control-allow-origin'], o, `${what}: Allow-Origin`);
        assert.equal(res.headers['access-control-expose-headers'], EXPOSED, `${what}: Expose-Headers`);
        assert.ok(varies(res.headers).includes('origin'), `${what}: Vary: Origin`);
        assert.equal(res.headers['access-control-allow-credentials'], undefined);
      }
      for (const o of ['https://evil.example.com', 'https://a.b.example.org', undefined]) {
        const res = await raw(p.port, { method, path, headers: { ...headers, ...(o ? { origin: o } : {}) } });
        assert.equal(res.status, status, `${what} from ${o}`);
        assert.deepEqual(corsHeaders(res.headers), [], `${what} from ${o}: no CORS header`);
      }
    }
  });

  await t.test('cached answers carry them too, for each viewer\'s own origin', async () => {
    const first = await raw(p.port, { path: '/cached/a.mp4', headers: { origin: PLAYER } });
    assert.equal(first.headers['x-cache'], 'MISS');
    assert.equal(first.headers['access-control-allow-origin'], PLAYER);
    const before = origin.requests.length;
    const hit = await raw(p.port, { path: '/cached/a.mp4', headers: { origin: 'https://b.example.org' } });
    assert.equal(hit.headers['x-cache'], 'HIT');
    assert.equal(hit.headers['access-control-allow-origin'], 'https://b.example.org', 'the HIT names this viewer\'s origin');
    assert.equal(hit.headers['access-control-expose-headers'], EXPOSED);
    assert.ok(varies(hit.headers).includes('origin'));
    const range = await raw(p.port, { path: '/cached/a.mp4', headers: { origin: PLAYER, range: 'bytes=2-4' } });
    assert.equal(range.status, 206);
    assert.equal(range.headers['access-control-allow-origin'], PLAYER);
    const other = await raw(p.port, { path: '/cached/a.mp4', headers: { origin: 'https://evil.example.com' } });
    assert.equal(other.headers['x-cache'], 'HIT');
    assert.deepEqual(corsHeaders(other.headers), [], 'a HIT for an origin not allowed: no CORS header');
    assert.equal(origin.requests.length, before, 'all from the cache');
  });

  await t.test('credentials: true echoes the exact origin with Allow-Credentials; "*" without credentials is *', async () => {
    const pre = await preflight('/cred/a.mp4', 'https://app.example.com');
    assert.equal(pre.status, 204);
    assert.equal(pre.headers['access-control-allow-origin'], 'https://app.example.com');
    assert.equal(pre.headers['access-control-allow-credentials'], 'true');
    const get = await raw(p.port, { path: '/cred/a.mp4', headers: { origin: 'https://app.example.com', cookie: 'session=1' } });
    assert.equal(get.status, 200);
    assert.equal(get.headers['access-control-allow-origin'], 'https://app.example.com');
    assert.equal(get.headers['access-control-allow-credentials'], 'true');
    assert.deepEqual(corsHeaders((await raw(p.port, { path: '/cred/a.mp4', headers: { origin: PLAYER } })).headers), []);

    const star = await raw(p.port, { path: '/star/a.mp4', headers: { origin: 'https://anyone.example.net' } });
    assert.equal(star.headers['access-control-allow-origin'], '*');
    assert.equal(star.headers['access-control-allow-credentials'], undefined);
    assert.equal((await preflight('/star/a.mp4', 'https://anyone.example.net')).headers['access-control-allow-origin'], '*');
  });
});
