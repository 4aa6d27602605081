// Regression "response-* overrides for anyone": `?response-content-type=text/html` served any
// object as HTML on the origin's domain (stored XSS) and `?response-cache-control=` let a viewer
// set what a CDN caches, because the proxy forwarded and signed them. They are dropped on reads
// (the store never sees them) and refused on writes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { raw } from '../support/origin-client.js';
import { BUCKET, KEYS } from '../support/modes-fixture.js';
import { blockFor, SIGNING_MODES, startProxyCli } from '../support/proxy-cli.js';

const HOSTILE = 'response-content-type=text%2Fhtml&response-cache-control=public%2C%20max-age%3D31536000&response-content-disposition=inline';

test('response-* overrides never reach the store, in every signing mode', { timeout: 60_000 }, async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  await origin.putObject(BUCKET, 'upload.txt', '<script>alert(1)</script>', { contentType: 'text/plain' });
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    proxies: SIGNING_MODES.map(({ version, mode }) => blockFor(origin.port, { path: `/${version}-${mode}/`, bucket: BUCKET, version, mode, credentials: KEYS, methods: ['GET', 'HEAD', 'PUT'] })),
  });
  for (const { version, mode } of SIGNING_MODES) {
    const res = await raw(proxy.port, { path: `/${version}-${mode}/upload.txt?${HOSTILE}` });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers['content-type'], 'text/plain', `${version} ${mode}: the stored type, not the viewer's`);
    assert.equal(res.headers['cache-control'], undefined);
    assert.equal(res.headers['content-disposition'], undefined);
    assert.doesNotMatch(origin.requests.at(-1)!.url, /response-/, 'the store never saw the overrides');
    const put = await raw(proxy.port, { method: 'PUT', path: `/${version}-${mode}/upload.txt?response-content-type=text%2Fhtml`, headers: { 'content-length': 1 }, body: 'x' });
    assert.equal(put.status, 400);
    assert.equal(JSON.parse(put.text).error, 'OS_ERR_SUBRESOURCE_REFUSED');
  }
  assert.equal((await origin.getObject(BUCKET, 'upload.txt'))?.toString(), '<script>alert(1)</script>');
});
