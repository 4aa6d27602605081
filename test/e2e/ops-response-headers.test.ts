// README `responseHeaders` and `notFoundFor403`: by default the store's request ids and Server are
// dropped; `set` replaces (or adds) a header on every upstream response, `default` adds one only when
// the store sent none, a custom `remove` list replaces the default one. `notFoundFor403: true` turns
// the store's 403 AccessDenied into a 404 NoSuchKey (XML for GET, empty for HEAD), while any other
// 403 (SignatureDoesNotMatch) stays as the store sent it.
//
// The strict origin answers AccessDenied to a correctly signed request when the request has expired
// by its clock: an origin whose clock runs an hour ahead refuses a query-signed request
// (X-Amz-Expires 300) with 403 AccessDenied "Request has expired".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { raw, s3, xmlField } from '../support/origin-client.js';
import { blockFor, startProxyCli } from '../support/proxy-cli.js';
import { waitForLog } from '../support/access-lines.js';

const BUCKET = 'headers-bucket';
const KEYS = { accessKeyId: 'AKIDOPSHEADERS0001', secretAccessKey: 'ops/headers+secret=0123456789abcdef' };
const WRONG = { accessKeyId: KEYS.accessKeyId, secretAccessKey: 'ops/headers+WRONG=0123456789abcdef' };
const DEFAULT_REMOVED = ['x-amz-id-2', 'x-amz-request-id', 'server'];

test('responseHeaders: default removal, set, default, remove', { timeout: 60_000 }, async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  await origin.putObject(BUCKET, 'red.txt', 'red\n', { contentType: 'text/plain', metadata: { color: 'red', shape: 'circle', internal: 'build-42' } });
  await origin.putObject(BUCKET, 'plain.txt', 'plain\n', { contentType: 'text/plain' });
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    credentials: { reader: KEYS },
    proxies: [
      blockFor(origin.port, { path: '/d/', bucket: BUCKET, version: 'v4', mode: 'header', credentials: 'reader' }),
      blockFor(origin.port, {
        path: '/h/',
        bucket: BUCKET,
        version: 'v4',
        mode: 'header',
        credentials: 'reader',
        extra: {
          responseHeaders: {
            set: { 'x-amz-meta-color': 'green', 'cache-control': 'no-store', 'x-served-by': 'origin-signer' },
            default: { 'x-amz-meta-shape': 'square', 'content-language': 'en' },
            remove: ['x-amz-meta-internal'],
          },
        },
      }),
    ],
  });

  // What the store itself sends (so the checks below can fail).
  const direct = await s3(origin, { path: `/${BUCKET}/red.txt`, creds: KEYS });
  assert.equal(direct.status, 200);
  for (const h of DEFAULT_REMOVED) assert.ok(direct.headers[h] !== undefined, `the store sends ${h}`);
  assert.equal(direct.headers['x-amz-meta-color'], 'red');
  assert.equal(direct.headers['x-amz-meta-internal'], 'build-42');
  assert.equal(direct.headers['cache-control'], undefined);

  await t.test('default: x-amz-id-2, x-amz-request-id and server are dropped, the rest passes', async () => {
    for (const [method, path, status] of [['GET', '/d/red.txt', 200], ['HEAD', '/d/red.txt', 200], ['GET', '/d/missing.txt', 404]] as const) {
      const res = await raw(proxy.port, { method, path });
      assert.equal(res.status, status);
      for (const h of DEFAULT_REMOVED) assert.equal(res.headers[h], undefined, `${method} ${path}: ${h} dropped`);
      assert.ok(res.headers['x-request-id'], 'the proxy\'s own request id instead');
      if (status === 200) {
        assert.equal(res.headers.etag, direct.headers.etag);
        assert.equal(res.headers['last-modified'], direct.headers['last-modified']);
        assert.equal(res.headers['content-type'], 'text/plain');
        assert.equal(res.headers['x-amz-meta-color'], 'red');
        assert.equal(res.headers['x-amz-meta-internal'], 'build-42');
      }
    }
  });

  await t.test('set replaces or adds, default only fills in, a custom remove list replaces the default one', async () => {
    const red = await raw(proxy.port, { path: '/h/red.txt' });
    assert.equal(red.status, 200);
    assert.equal(red.text, 'red\n');
    assert.equal(red.headers['x-amz-meta-color'], 'green', 'set overrides the store\'s value');
    assert.equal(red.headers['cache-control'], 'no-store');
    assert.equal(red.headers['x-served-by'], 'origin-signer');
    assert.equal(red.headers['x-amz-meta-shape'], 'circle', 'default does not override a value the store sent');
    assert.equal(red.headers['content-language'], 'en', 'default fills in what the store did not send');
    assert.equal(red.headers['x-amz-meta-internal'], undefined, 'removed');
    // `remove` given: it is the whole list (the default one no longer applies).
    assert.ok(red.headers['x-amz-request-id'] !== undefined && red.headers.server !== undefined);

    const plain = await raw(proxy.port, { path: '/h/plain.txt' });
    assert.equal(plain.status, 200);
    assert.equal(plain.headers['x-amz-meta-color'], 'green', 'set adds a header the store did not send');
    assert.equal(plain.headers['x-amz-meta-shape'], 'square', 'default applies when the store sent none');
    assert.equal(plain.headers['content-language'], 'en');

    const head = await raw(proxy.port, { method: 'HEAD', path: '/h/red.txt' });
    assert.equal(head.headers['x-amz-meta-color'], 'green');
    assert.equal(head.headers['x-amz-meta-shape'], 'circle');
    // The store's error answers are upstream responses too.
    const missing = await raw(proxy.port, { path: '/h/missing.txt' });
    assert.equal(missing.status, 404);
    assert.equal(xmlField(missing.text, 'Code'), 'NoSuchKey');
    assert.equal(missing.headers['x-served-by'], 'origin-signer');
    assert.equal(missing.headers['cache-control'], 'no-store');
  });
});

test('notFoundFor403: the store\'s AccessDenied becomes 404 NoSuchKey (GET: XML, HEAD: empty); SignatureDoesNotMatch stays 403', { timeout: 60_000 }, async (t) => {
  // An origin an hour ahead: every query-signed request (valid 300 s) has expired by its clock.
  const ahead = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET], clock: () => Date.now() + 3600_000 });
  t.after(() => ahead.close());
  await ahead.putObject(BUCKET, 'obj.txt', 'obj\n', { contentType: 'text/plain' });
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  await origin.putObject(BUCKET, 'obj.txt', 'obj\n', { contentType: 'text/plain' });
  const expiring = (path: string, notFoundFor403: boolean) =>
    blockFor(ahead.port, { path, bucket: BUCKET, version: 'v4', mode: 'query', credentials: { ...KEYS }, extra: { notFoundFor403, signing: { version: 'v4', mode: 'query', expires: 300 } } });
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    proxies: [
      expiring('/denied/', false),
      expiring('/nf/', true),
      blockFor(origin.port, { path: '/mismatch/', bucket: BUCKET, version: 'v4', mode: 'header', credentials: { ...WRONG }, extra: { notFoundFor403: true } }),
      blockFor(origin.port, { path: '/ok/', bucket: BUCKET, version: 'v4', mode: 'header', credentials: { ...KEYS }, extra: { notFoundFor403: true } }),
    ],
  });

  // Without notFoundFor403 the viewer sees the store's 403 AccessDenied as it is.
  const denied = await raw(proxy.port, { path: '/denied/obj.txt' });
  assert.equal(denied.status, 403);
  assert.equal(xmlField(denied.text, 'Code'), 'AccessDenied');
  // The store's code, S3's wording: a store's Message is never passed on (it can carry detail).
  assert.equal(xmlField(denied.text, 'Message'), 'Access Denied');
  assert.equal(ahead.requests.at(-1)?.auth, 'v4-query', 'a signed request');

  const get = await raw(proxy.port, { path: '/nf/obj.txt' });
  assert.equal(get.status, 404, get.text);
  assert.match(String(get.headers['content-type']), /^application\/xml/);
  assert.equal(xmlField(get.text, 'Code'), 'NoSuchKey');
  assert.equal(xmlField(get.text, 'Message'), 'The specified key does not exist.');
  assert.equal(xmlField(get.text, 'RequestId'), get.headers['x-request-id']);
  assert.equal(Number(get.headers['content-length']), get.body.length);
  assert.doesNotMatch(get.text, /AccessDenied|expired/);
  assert.equal(ahead.requests.at(-1)?.errorCode, 'AccessDenied', 'the store answered AccessDenied');

  const head = await raw(proxy.port, { method: 'HEAD', path: '/nf/obj.txt', headers: { 'x-request-id': 'nf-head' } });
  assert.equal(head.status, 404);
  assert.equal(head.body.length, 0);
  assert.deepEqual([ahead.requests.at(-1)?.method, ahead.requests.at(-1)?.status, ahead.requests.at(-1)?.errorCode], ['HEAD', 403, 'AccessDenied'], 'the store said 403 AccessDenied (no body: HEAD)');

  const mismatch = await raw(proxy.port, { path: '/mismatch/obj.txt' });
  assert.equal(mismatch.status, 403, 'a signature mismatch is not hidden');
  assert.equal(xmlField(mismatch.text, 'Code'), 'SignatureDoesNotMatch');
  for (const h of DEFAULT_REMOVED) assert.equal(mismatch.headers[h], undefined);

  // A block with notFoundFor403 still serves what it may read.
  const ok = await raw(proxy.port, { path: '/ok/obj.txt' });
  assert.equal(ok.status, 200);
  assert.equal(ok.text, 'obj\n');
  const missing = await raw(proxy.port, { path: '/ok/none.txt' });
  assert.equal(missing.status, 404);
  assert.equal(xmlField(missing.text, 'Code'), 'NoSuchKey');

  await t.test(
    'the HEAD answered 404 by notFoundFor403 is logged and counted with the bytes it sent (none)',
    {},
    async () => {
      const line = await waitForLog(proxy, (l) => l.msg === 'request' && l.reqId === 'nf-head', 5000);
      assert.equal(line.status, 404);
      assert.equal(line.bytesOut, 0, JSON.stringify(line));
    },
  );
});
