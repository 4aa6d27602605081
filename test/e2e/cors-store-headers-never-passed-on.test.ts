// Regression (found by a broken-store hunt): on a block with `cors:`, the store's own answer headers
// were written over the proxy's. A store sending `Access-Control-Allow-Origin: *` with
// `Access-Control-Allow-Credentials: true` had those reach an origin the block does not allow (and
// replace the allowed origin's echo), and a store's `Vary: Accept-Encoding` replaced the proxy's
// `Vary: Origin`, so a CDN could hand one origin's answer to another. The store's Access-Control-*
// headers are now dropped on such a block, and its Vary keeps Origin in it — straight from the
// store and from the shield cache alike.
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { raw } from '../support/origin-client.js';
import { startShieldProxy } from '../support/shield-e2e.js';
import { siteConfig } from '../support/site-e2e.js';

const ALLOWED = 'https://player.example.com';
const corsHeaders = (h: IncomingHttpHeaders): Record<string, unknown> => Object.fromEntries(Object.entries(h).filter(([n]) => n.startsWith('access-control-')));
const varies = (h: IncomingHttpHeaders): string[] => String(h.vary ?? '').split(',').map((v) => v.trim().toLowerCase());

test("a store's own CORS headers and Vary never replace the block's", async (t) => {
  // A store with a CORS configuration of its own that answers every read with it, whatever was asked.
  const store = createServer((req, res) => {
    req.resume();
    res.writeHead(200, {
      'content-type': 'text/plain',
      'content-length': '3',
      etag: '"e1"',
      'access-control-allow-origin': '*',
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'x-amz-meta-secret',
      vary: 'Accept-Encoding',
    });
    res.end(req.method === 'HEAD' ? undefined : 'hi\n');
  });
  await new Promise<void>((r) => store.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => (store.closeAllConnections(), store.close(() => r()))));
  const cors = { origins: [ALLOWED] };
  const p = await startShieldProxy(
    t,
    siteConfig((store.address() as AddressInfo).port, [
      { path: '/vod/', bucket: 'cors-bucket', extra: { cors } },
      { path: '/cached/', bucket: 'cors-bucket', extra: { cors, cache: { ttl: '60s' } } },
    ]),
  );

  // The cached block twice: the first read fills the cache (MISS), the second is answered from it (HIT).
  for (const path of ['/vod/a.txt', '/cached/a.txt', '/cached/a.txt']) {
    for (const method of ['GET', 'HEAD']) {
      const other = await raw(p.port, { method, path, headers: { origin: 'https://evil.example.net' } });
      assert.equal(other.status, 200, `${method} ${path}`);
      assert.deepEqual(corsHeaders(other.headers), {}, `${method} ${path} from an origin not allowed: no CORS header`);
      assert.ok(varies(other.headers).includes('origin'), `${method} ${path}: Vary names Origin (${other.headers.vary})`);
      assert.ok(varies(other.headers).includes('accept-encoding'), `${method} ${path}: the store's Vary kept (${other.headers.vary})`);

      const allowed = await raw(p.port, { method, path, headers: { origin: ALLOWED } });
      assert.deepEqual(
        corsHeaders(allowed.headers),
        { 'access-control-allow-origin': ALLOWED, 'access-control-expose-headers': 'content-range, accept-ranges, etag, content-length' },
        `${method} ${path} from the allowed origin: the block's CORS headers only`,
      );
      assert.ok(varies(allowed.headers).includes('origin'), `${method} ${path}: Vary names Origin (${allowed.headers.vary})`);
    }
  }
});
