// Issue #20, README "Static sites and browsers", Listings: a folder without an index document is
// listed from signed ListObjectsV2 requests — HTML (folders marked and ordered first, sizes, dates,
// names HTML-escaped) or JSON with Accept: application/json; every link of every awkward key leads
// to that key; nothing above the block's keyPrefix is ever listed; a prefix with no keys is 404.
// (Paging beyond 1,000 keys and SigV2's ListObjects: site-listing-pages.test.ts.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AWKWARD_KEYS } from '../support/awkward-keys.js';
import { BUCKET, raw, origin as startOrigin } from '../support/origin-client.js';
import { startShieldProxy } from '../support/shield-e2e.js';
import { crawl, follow, keyRequests, listCalls, rowsOf, siteConfig } from '../support/site-e2e.js';
import { etagOf } from '../support/generated-body.js';

const JSON_ACCEPT = { accept: 'application/json' };
const DAY = new Date('2026-12-01T10:00:00.000Z');

test('a folder is listed as HTML and JSON: files and subfolders, folders first, sizes, dates, escaped names', async (t) => {
  const origin = await startOrigin(t);
  const big = Buffer.alloc(1536, 0x61);
  const odd = 'b <&> "q\'.txt';
  await origin.putObject(BUCKET, 'docs/a.txt', 'hello', { lastModified: DAY });
  await origin.putObject(BUCKET, `docs/${odd}`, 'odd', { lastModified: DAY });
  await origin.putObject(BUCKET, 'docs/big.bin', big, { lastModified: new Date(DAY.getTime() + 60_000) });
  await origin.putObject(BUCKET, 'docs/img/x.png', 'png');
  await origin.putObject(BUCKET, 'docs/zz/y.txt', 'y');
  await origin.putObject(BUCKET, 'docs-other/not-listed.txt', 'no');
  const p = await startShieldProxy(t, siteConfig(origin.port, [{ path: '/s/', bucket: BUCKET, extra: { site: { index: 'index.html', listing: true } } }]));

  const before = origin.requests.length;
  const html = await p.get('/s/docs/');
  assert.equal(html.status, 200, html.text);
  assert.equal(html.headers['content-type'], 'text/html; charset=utf-8');
  assert.equal(html.headers['cache-control'], 'no-cache', 'a listing changes with every upload');
  const calls = listCalls(origin, before);
  assert.equal(calls.length, 1, 'one page');
  assert.equal(calls[0]!.auth, 'v4-header', 'signed');
  assert.equal(calls[0]!.params.get('list-type'), '2', 'ListObjectsV2 on a SigV4 block');
  assert.equal(calls[0]!.params.get('prefix'), 'docs/');
  assert.equal(calls[0]!.params.get('delimiter'), '/');
  assert.equal(calls[0]!.params.get('encoding-type'), 'url');
  assert.equal(keyRequests(origin, 'docs/index.html', before).length, 1, 'the index document was asked for first');

  const rows = rowsOf(html.text);
  assert.deepEqual(
    rows.map((r) => [r.name, r.folder]),
    [['a.txt', false], [odd, false], ['big.bin', false], ['img/', true], ['zz/', true]],
  );
  // Folders first: rows come in key order (the listing streams), the page orders folder rows first.
  assert.match(html.text, /li\.folder\{order:-1\}/);
  assert.match(html.text, /<ul[^>]*>[^]*<li class="folder"><a href="\.\/img\/">img\/<\/a>/);
  // Sizes and dates.
  assert.match(html.text, /<a href="\.\/a\.txt">a\.txt<\/a><span class="n">5 B<\/span><span>2026-12-01T10:00:00\.000Z<\/span>/);
  assert.match(html.text, /<a href="\.\/big\.bin">big\.bin<\/a><span class="n">1\.5 KiB<\/span><span>2026-12-01T10:01:00\.000Z<\/span>/);
  // The odd name is escaped in the text and encoded in the link, never raw markup.
  assert.ok(!html.text.includes('<&>'), 'no raw markup from a key');
  assert.match(html.text, /<a href="\.\/b%20%3C%26%3E%20%22q%27\.txt">b &#60;&#38;&#62; &#34;q&#39;\.txt<\/a>/);
  assert.match(html.text, /<title>Index of \/s\/docs\/<\/title>/);
  assert.ok(!html.text.includes('not-listed'), 'a sibling prefix sharing the letters is not listed');
  for (const r of rows.filter((x) => !x.folder)) {
    const got = await p.get(follow('/s/docs/', r.href));
    assert.equal(got.status, 200, `${r.name}: its link fetches it`);
  }

  const json = await p.get('/s/docs/', JSON_ACCEPT);
  assert.equal(json.status, 200);
  assert.equal(json.headers['content-type'], 'application/json; charset=utf-8');
  assert.equal(json.headers['cache-control'], 'no-cache');
  assert.deepEqual(JSON.parse(json.text), {
    path: '/s/docs/',
    entries: [
      { name: 'a.txt', type: 'object', size: 5, lastModified: '2026-12-01T10:00:00.000Z', etag: etagOf('hello') },
      { name: odd, type: 'object', size: 3, lastModified: '2026-12-01T10:00:00.000Z', etag: etagOf('odd') },
      { name: 'big.bin', type: 'object', size: 1536, lastModified: '2026-12-01T10:01:00.000Z', etag: etagOf(big) },
      { name: 'img/', type: 'folder' },
      { name: 'zz/', type: 'folder' },
    ],
  });
  // A browser's Accept (HTML listed with JSON) gets HTML.
  const browser = await p.get('/s/docs/', { accept: 'text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.8' });
  assert.equal(browser.headers['content-type'], 'text/html; charset=utf-8');

  // HEAD answers as GET would, without the rows.
  for (const headers of [{}, JSON_ACCEPT]) {
    const head = await raw(p.port, { method: 'HEAD', path: '/s/docs/', headers });
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
    assert.equal(head.headers['content-type'], (headers === JSON_ACCEPT ? json : html).headers['content-type']);
  }
});

test('every awkward key is listed under its own name and its link, followed as a browser does, fetches it', async (t) => {
  const origin = await startOrigin(t);
  const bodies = new Map(AWKWARD_KEYS.map((k, i) => [k, `body ${i} of ${k}\n`]));
  for (const [k, body] of bodies) await origin.putObject(BUCKET, k, body);
  const p = await startShieldProxy(t, siteConfig(origin.port, [{ path: '/awk/', bucket: BUCKET, extra: { site: { listing: true } } }]));

  const { objects, folders } = await crawl(p.port, '/awk/');
  for (const [folder, res] of folders) assert.equal(res.status, 200, `folder ${JSON.stringify(folder)}: ${res.text.slice(0, 300)}`);
  // `trailing/slash/` is a folder's marker object: listed as the folder it names (an empty one).
  const expected = AWKWARD_KEYS.filter((k) => !k.endsWith('/'));
  assert.deepEqual([...objects.keys()].sort(), [...expected].sort(), 'every key listed, under its own name, once');
  assert.ok(folders.has('trailing/slash/'), 'the marker shows as its folder');
  assert.deepEqual(rowsOf(folders.get('trailing/slash/')!.text), [], 'listed, empty: the marker itself is no entry');

  for (const [key, path] of objects) {
    const got = await raw(p.port, { path });
    assert.equal(got.status, 200, `${JSON.stringify(key)} via ${path}: ${got.text.slice(0, 200)}`);
    assert.equal(got.text, bodies.get(key), `${JSON.stringify(key)} via ${path}: that key's body`);
  }

  const root = folders.get('')!.text;
  assert.ok(root.includes('&#34;quotes&#34;&#60;lt&#62;gt.txt'), 'the name is HTML-escaped');
  assert.ok(!root.includes('"quotes"<lt>'), 'never raw');

  // The JSON form lists the same names, in the same order, for every folder.
  for (const [folder, res] of folders) {
    const path = folder === '' ? '/awk/' : follow('/awk/', `./${folder.split('/').map(encodeURIComponent).join('/')}`);
    const json = await raw(p.port, { path, headers: JSON_ACCEPT });
    assert.equal(json.status, 200, `${JSON.stringify(folder)} as JSON`);
    const entries = (JSON.parse(json.text) as { entries: Array<{ name: string }> }).entries;
    assert.deepEqual(entries.map((e) => e.name), rowsOf(res.text).map((r) => r.name), `${JSON.stringify(folder)}: JSON and HTML agree`);
  }
});

test('entries come in the store\'s key order (UTF-8 bytes), folders and files merged', async (t) => {
  const origin = await startOrigin(t);
  // UTF-8 order: U+FF41 (EF BD 81) < U+FF46 (EF BD 86) < U+1F600 (F0 9F 98 80); UTF-16 would put the emoji (D83D) first.
  for (const k of ['order/\u{1F600}.txt', 'order/\uFF46.txt', 'order/\uFF41/x.txt', 'order/b/x.txt', 'order/c.txt']) await origin.putObject(BUCKET, k, 'x');
  const p = await startShieldProxy(t, siteConfig(origin.port, [{ path: '/s/', bucket: BUCKET, extra: { site: { listing: true } } }]));
  const json = await p.get('/s/order/', JSON_ACCEPT);
  assert.deepEqual((JSON.parse(json.text) as { entries: Array<{ name: string }> }).entries.map((e) => e.name), ['b/', 'c.txt', '\uFF41/', '\uFF46.txt', '\u{1F600}.txt']);
});

test('a listing is never cached, on a cached block too: the next one shows a new upload', async (t) => {
  const origin = await startOrigin(t);
  await origin.putObject(BUCKET, 'up/one.txt', '1');
  const p = await startShieldProxy(t, siteConfig(origin.port, [{ path: '/c/', bucket: BUCKET, extra: { site: { listing: true }, cache: { ttl: '1h' } } }]));
  const names = async (): Promise<string[]> => (JSON.parse((await p.get('/c/up/', JSON_ACCEPT)).text) as { entries: Array<{ name: string }> }).entries.map((e) => e.name);
  const before = origin.requests.length;
  assert.deepEqual(await names(), ['one.txt']);
  await origin.putObject(BUCKET, 'up/two.txt', '2');
  assert.deepEqual(await names(), ['one.txt', 'two.txt']);
  assert.equal(listCalls(origin, before).length, 2, 'each listing asked the store');
});

test('only the folder under the block\'s keyPrefix is ever listed; a prefix with no keys is 404', async (t) => {
  const origin = await startOrigin(t);
  await origin.putObject(BUCKET, 'site/a.txt', 'a');
  await origin.putObject(BUCKET, 'site/sub/b.txt', 'b');
  await origin.putObject(BUCKET, 'sitemap.xml', 'shares the letters, not the folder');
  await origin.putObject(BUCKET, 'other/secret.txt', 'above the prefix');
  await origin.putObject(BUCKET, 'root.txt', 'above the prefix');
  const p = await startShieldProxy(t, siteConfig(origin.port, [{ path: '/kp/', bucket: BUCKET, keyPrefix: 'site/', extra: { site: { listing: true } } }]));

  const before = origin.requests.length;
  const root = await p.get('/kp/', JSON_ACCEPT);
  assert.equal(root.status, 200, root.text);
  assert.deepEqual((JSON.parse(root.text) as { entries: Array<{ name: string }> }).entries.map((e) => e.name), ['a.txt', 'sub/']);
  const html = await p.get('/kp/');
  for (const word of ['secret', 'root.txt', 'sitemap', 'other']) assert.ok(!html.text.includes(word), `${word} is above the keyPrefix`);
  const sub = await p.get('/kp/sub/', JSON_ACCEPT);
  assert.deepEqual((JSON.parse(sub.text) as { entries: Array<{ name: string }> }).entries.map((e) => e.name), ['b.txt']);

  for (const path of ['/kp/nothing/', '/kp/a.txt/', '/kp/su/']) {
    for (const method of ['GET', 'HEAD']) {
      const empty = await raw(p.port, { method, path });
      assert.equal(empty.status, 404, `${method} ${path}: no keys under it, not an empty listing`);
      assert.equal(empty.headers['content-type'], 'application/xml');
      if (method === 'GET') assert.match(empty.text, /<Code>NoSuchKey<\/Code>/);
    }
  }
  const calls = listCalls(origin, before);
  assert.ok(calls.length >= 5);
  for (const c of calls) assert.ok(c.params.get('prefix')!.startsWith('site/'), `listed ${c.params.get('prefix')}: nothing above keyPrefix`);
  assert.deepEqual(
    [...new Set(calls.map((c) => c.params.get('prefix')))].sort(),
    ['site/', 'site/a.txt/', 'site/nothing/', 'site/su/', 'site/sub/'],
  );
});
