// README "What reaches the bucket", step 2: a block's `methods` list is enforced before anything goes upstream. A method the
// block does not allow — standard or not — gets 405 with `Allow` and never reaches the bucket;
// on a block that allows writes, PUT stores the body byte-exact and DELETE removes it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { BUCKET, KEYS } from '../support/modes-fixture.js';
import { blockFor, startProxyCli } from '../support/proxy-cli.js';
import { raw, rawSocket } from '../support/origin-client.js';

test('the methods allow-list: 405 with Allow and nothing upstream; allowed writes work', async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  await origin.putObject(BUCKET, 'ro/existing.txt', 'read only\n', { contentType: 'text/plain' });
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    proxies: [
      blockFor(origin.port, { path: '/ro/', bucket: BUCKET, version: 'v4', mode: 'header', credentials: KEYS, keyPrefix: 'ro/' }),
      blockFor(origin.port, { path: '/rw/', bucket: BUCKET, version: 'v4', mode: 'header', credentials: KEYS, keyPrefix: 'rw/', methods: ['GET', 'HEAD', 'PUT', 'DELETE'] }),
    ],
  });

  await t.test('read-only block refuses every other method', async () => {
    for (const method of ['PUT', 'POST', 'DELETE', 'PATCH', 'OPTIONS']) {
      const before = origin.requests.length;
      // Explicit Content-Length: node:http frames no body for DELETE/OPTIONS by itself.
      const res = await raw(proxy.port, { method, path: '/ro/existing.txt', headers: { 'content-type': 'text/plain', 'content-length': 10 }, body: 'overwrite!' });
      assert.equal(res.status, 405, `${method}: ${res.text.slice(0, 300)}`);
      assert.equal(res.headers.allow, 'GET, HEAD', method);
      assert.equal(res.headers['cache-control'], 'no-store', method);
      const body = JSON.parse(res.text) as Record<string, unknown>;
      assert.equal(body.error, 'OS_ERR_METHOD_NOT_ALLOWED', method);
      assert.equal(body.block, '/ro/', method);
      assert.equal(origin.requests.length, before, `${method}: nothing reached the origin`);
    }
    // A method Fastify has no route for still gets the block's 405, not a framework 404.
    const before = origin.requests.length;
    const propfind = await rawSocket(proxy.port, 'PROPFIND /ro/existing.txt HTTP/1.1\r\nHost: proxy\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    assert.equal(propfind.status, 405, propfind.text.slice(0, 300));
    assert.match(propfind.text, /\r\nallow: GET, HEAD\r\n/i);
    assert.match(propfind.text, /"error":"OS_ERR_METHOD_NOT_ALLOWED"/);
    assert.match(propfind.text, /"block":"\/ro\/"/);
    assert.equal(origin.requests.length, before, 'PROPFIND: nothing reached the origin');
    assert.equal((await origin.getObject(BUCKET, 'ro/existing.txt'))?.toString(), 'read only\n', 'the object is untouched');

    const get = await raw(proxy.port, { path: '/ro/existing.txt' });
    assert.equal(get.status, 200);
    assert.equal(get.text, 'read only\n');
  });

  // Fastify 5 refuses a QUERY request without Content-Type (RFC 10008) with its own 400
  // FST_ERR_ROUTE_MISSING_CONTENT_TYPE before the proxy's handler runs.
  await t.test('QUERY (a method no block allows) gets the block\'s 405 as well', {}, async () => {
    const before = origin.requests.length;
    const query = await rawSocket(proxy.port, 'QUERY /ro/existing.txt HTTP/1.1\r\nHost: proxy\r\nConnection: close\r\n\r\n');
    assert.equal(origin.requests.length, before, 'QUERY: nothing reached the origin');
    assert.equal(query.status, 405, query.text.slice(0, 400));
    assert.match(query.text, /\r\nallow: GET, HEAD\r\n/i);
    assert.match(query.text, /"error":"OS_ERR_METHOD_NOT_ALLOWED"/);
    assert.match(query.text, /\r\ncache-control: no-store\r\n/i);
  });

  await t.test('read-write block: PUT stores byte-exact, DELETE removes, POST is still refused', async () => {
    const body = Buffer.concat([Buffer.from('#EXTM3U\n'), Buffer.from([0, 1, 2, 0xff, 0xfe, 0x0d, 0x0a]), Buffer.from(' segment é\n')]);
    let before = origin.requests.length;
    const put = await raw(proxy.port, {
      method: 'PUT',
      path: '/rw/live/seg%201.ts',
      headers: { 'content-type': 'video/mp2t', 'content-length': body.length, 'x-amz-meta-encoder': 'e2e' },
      body,
    });
    assert.equal(put.status, 200, put.text.slice(0, 400));
    assert.equal(origin.requests.length, before + 1);
    assert.equal(origin.requests.at(-1)?.auth, 'v4-header');
    assert.equal(origin.requests.at(-1)?.method, 'PUT');
    assert.deepEqual(await origin.getObject(BUCKET, 'rw/live/seg 1.ts'), body, 'stored byte-exact under keyPrefix');

    const get = await raw(proxy.port, { path: '/rw/live/seg%201.ts' });
    assert.equal(get.status, 200);
    assert.deepEqual(get.body, body);
    assert.equal(get.headers['content-type'], 'video/mp2t');
    assert.equal(get.headers['x-amz-meta-encoder'], 'e2e');

    before = origin.requests.length;
    const post = await raw(proxy.port, { method: 'POST', path: '/rw/live/seg%201.ts', headers: { 'content-length': 1 }, body: 'x' });
    assert.equal(post.status, 405);
    assert.equal(post.headers.allow, 'GET, HEAD, PUT, DELETE');
    assert.equal(origin.requests.length, before);

    const del = await raw(proxy.port, { method: 'DELETE', path: '/rw/live/seg%201.ts' });
    assert.equal(del.status, 204, del.text.slice(0, 400));
    assert.equal(origin.requests.length, before + 1);
    assert.equal(origin.requests.at(-1)?.method, 'DELETE');
    assert.equal(await origin.getObject(BUCKET, 'rw/live/seg 1.ts'), undefined, 'deleted');
    const gone = await raw(proxy.port, { path: '/rw/live/seg%201.ts' });
    assert.equal(gone.status, 404);
  });
});
