// Issue #20, README "Static sites and browsers", site.appendSlash: a path that is no object but a
// folder (`/docs/guide` with keys under `docs/guide/`) is redirected 302 to the path with `/`, the
// query kept; an object that exists is served as it is (no listing asked for); a missing path that
// is no folder is 404 — or the block's 404 page. A key sharing the folder's letters (`guide-old/`)
// does not make `guide` a folder.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUCKET, raw, origin as startOrigin } from '../support/origin-client.js';
import { startShieldProxy } from '../support/shield-e2e.js';
import { listCalls, siteConfig } from '../support/site-e2e.js';

test('appendSlash: a folder without its slash is 302 to it, an object is served, anything else 404', async (t) => {
  const origin = await startOrigin(t);
  await origin.putObject(BUCKET, 'docs/guide/index.html', '<h1>guide</h1>\n', { contentType: 'text/html' });
  await origin.putObject(BUCKET, 'docs/file', 'an object without extension\n');
  await origin.putObject(BUCKET, 'docs/only-old-old/x.txt', 'x');
  await origin.putObject(BUCKET, 'docs/empty/', '');
  await origin.putObject(BUCKET, 'errors/404.html', '<h1>not here</h1>\n', { contentType: 'text/html' });
  const site = { index: 'index.html', appendSlash: true };
  const p = await startShieldProxy(
    t,
    siteConfig(origin.port, [
      { path: '/s/', bucket: BUCKET, extra: { site } },
      { path: '/e/', bucket: BUCKET, extra: { site: { ...site, errorPages: { 404: '/errors/404.html' } } } },
      { path: '/no/', bucket: BUCKET, extra: { site: { index: 'index.html' } } },
    ]),
  );

  for (const method of ['GET', 'HEAD']) {
    for (const [path, location] of [
      ['/s/docs/guide', '/s/docs/guide/'],
      ['/s/docs/guide?lang=fr&x=%20y', '/s/docs/guide/?lang=fr&x=%20y'],
      ['/s/docs', '/s/docs/'],
      ['/s/docs/empty', '/s/docs/empty/'],
    ] as const) {
      const before = origin.requests.length;
      const res = await raw(p.port, { method, path });
      assert.equal(res.status, 302, `${method} ${path}: ${res.text}`);
      assert.equal(res.headers.location, location, `${method} ${path}: to the folder, query kept`);
      assert.equal(res.body.length, 0);
      const calls = listCalls(origin, before);
      assert.equal(calls.length, 1, `${method} ${path}: one signed list request asks whether it is a folder`);
      assert.equal(calls[0]!.auth, 'v4-header');
      assert.equal(calls[0]!.params.get('prefix'), `${decodeURIComponent(location.split('?')[0]!.slice('/s/'.length))}`);
    }
  }
  // Followed, the redirect serves the folder's index document.
  const followed = await raw(p.port, { path: '/s/docs/guide/' });
  assert.equal(followed.status, 200);
  assert.equal(followed.text, '<h1>guide</h1>\n');

  await t.test('an object that exists is served as it is, never asked about as a folder', async () => {
    const before = origin.requests.length;
    const res = await raw(p.port, { path: '/s/docs/file' });
    assert.equal(res.status, 200);
    assert.equal(res.text, 'an object without extension\n');
    assert.equal(listCalls(origin, before).length, 0);
  });

  await t.test('a missing path that is no folder: 404, or the block\'s 404 page', async () => {
    for (const path of ['/s/docs/nothing', '/s/docs/only-old', '/s/docs/guide.html']) {
      const res = await raw(p.port, { path });
      assert.equal(res.status, 404, `${path}: ${res.text}`);
      assert.match(res.text, /<Code>NoSuchKey<\/Code>/);
    }
    const page = await raw(p.port, { path: '/e/docs/nothing' });
    assert.equal(page.status, 404);
    assert.equal(page.text, '<h1>not here</h1>\n');
    assert.equal(page.headers['content-type'], 'text/html');
    // A folder is still a folder on that block.
    assert.equal((await raw(p.port, { path: '/e/docs/guide' })).headers.location, '/e/docs/guide/');
  });

  await t.test('without appendSlash a folder without its slash is a missing object', async () => {
    const before = origin.requests.length;
    const res = await raw(p.port, { path: '/no/docs/guide' });
    assert.equal(res.status, 404);
    assert.equal(listCalls(origin, before).length, 0);
  });
});
