// Issue #20, README "Static sites and browsers", Block root and folders: with `site.index` the block
// root and every folder serve their index document (a signed GET of `folder/index.html`), and HEAD
// agrees with GET (same status and headers, no body); without `site` the block root is S3's 404
// NoSuchKey from the proxy, nothing reaching the store; a folder with no index and no listing is 404.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUCKET, raw, origin as startOrigin } from '../support/origin-client.js';
import { startShieldProxy } from '../support/shield-e2e.js';
import { keyRequests, listCalls, siteConfig } from '../support/site-e2e.js';

/** The headers GET and HEAD must agree on (Date and the request id differ by nature). */
const ENTITY = ['content-type', 'content-length', 'etag', 'last-modified', 'accept-ranges', 'cache-control'];

test('site.index: the block root and folders serve their index document; HEAD agrees with GET', async (t) => {
  const origin = await startOrigin(t);
  await origin.putObject(BUCKET, 'index.html', '<h1>home</h1>\n', { contentType: 'text/html' });
  await origin.putObject(BUCKET, 'guide/index.html', '<h1>guide</h1>\n', { contentType: 'text/html', headers: { 'cache-control': 'max-age=60' } });
  await origin.putObject(BUCKET, 'guide/deep/er/index.html', '<h1>deeper</h1>\n', { contentType: 'text/html' });
  await origin.putObject(BUCKET, 'no-index/readme.txt', 'no index here\n', { contentType: 'text/plain' });
  const p = await startShieldProxy(
    t,
    siteConfig(origin.port, [
      { path: '/site/', bucket: BUCKET, extra: { site: { index: 'index.html' } } },
      { path: '/plain/', bucket: BUCKET },
    ]),
  );

  for (const [path, key, body] of [
    ['/site/', 'index.html', '<h1>home</h1>\n'],
    ['/site/guide/', 'guide/index.html', '<h1>guide</h1>\n'],
    ['/site/guide/deep/er/', 'guide/deep/er/index.html', '<h1>deeper</h1>\n'],
  ] as const) {
    const before = origin.requests.length;
    const get = await p.get(path);
    assert.equal(get.status, 200, `GET ${path}: ${get.text}`);
    assert.equal(get.text, body, `GET ${path} serves ${key}`);
    assert.equal(get.headers['content-type'], 'text/html');
    const reads = origin.requests.slice(before);
    assert.equal(reads.length, 1, `GET ${path}: one request at the store`);
    assert.equal(reads[0]!.url, `/${key}`, `GET ${path}: a GET of ${key}`);
    assert.equal(reads[0]!.auth, 'v4-header', 'signed (the strict origin verified it)');
    assert.equal(reads[0]!.status, 200);

    const h = await raw(p.port, { method: 'HEAD', path });
    assert.equal(h.status, get.status, `HEAD ${path}: the status of GET`);
    assert.equal(h.body.length, 0, `HEAD ${path}: no body`);
    for (const name of ENTITY) assert.equal(h.headers[name], get.headers[name], `HEAD ${path}: ${name} as GET`);
    assert.equal(h.headers['content-length'], String(Buffer.byteLength(body)), 'HEAD: the index document\'s length');
  }
  assert.equal(listCalls(origin).length, 0, 'folders with an index are never listed');

  await t.test('a folder without an index document and without listing: 404, and no listing asked for', async () => {
    for (const method of ['GET', 'HEAD']) {
      const before = origin.requests.length;
      const res = await raw(p.port, { method, path: '/site/no-index/' });
      assert.equal(res.status, 404, `${method}: ${res.text}`);
      assert.equal(res.headers['content-type'], 'application/xml');
      if (method === 'GET') assert.match(res.text, /<Code>NoSuchKey<\/Code>/);
      else assert.equal(res.body.length, 0);
      assert.deepEqual(
        origin.requests.slice(before).map((r) => [r.method, r.url]),
        [[method, '/no-index/index.html']],
        'only the index document was asked for',
      );
    }
    // Nor is a folder that does not exist at all anything but 404.
    assert.equal((await p.get('/site/nowhere/')).status, 404);
    assert.equal(listCalls(origin).length, 0);
  });

  await t.test('without site: the block root is S3\'s 404 NoSuchKey from the proxy; nothing reaches the store', async () => {
    for (const method of ['GET', 'HEAD']) {
      for (const path of ['/plain/', '/plain/?list-type=2', '/plain/?prefix=guide/&delimiter=/']) {
        const before = origin.requests.length;
        const res = await raw(p.port, { method, path });
        assert.equal(res.status, 404, `${method} ${path}`);
        assert.equal(res.headers['content-type'], 'application/xml');
        if (method === 'GET') assert.match(res.text, /^<\?xml[^>]*>\s*<Error><Code>NoSuchKey<\/Code><Message>[^<]+<\/Message>.*<RequestId>/s);
        else assert.equal(res.body.length, 0);
        assert.equal(origin.requests.length, before, `${method} ${path}: nothing reached the store`);
      }
    }
    // The index document is no feature of a block without site: guide/ is whatever the store says of that key.
    const before = origin.requests.length;
    const folder = await raw(p.port, { path: '/plain/guide/' });
    assert.equal(folder.status, 404);
    assert.equal(keyRequests(origin, 'guide/index.html', before).length, 0, 'no index document read');
  });
});
