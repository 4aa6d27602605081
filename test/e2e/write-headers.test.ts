// README "What reaches the bucket", step 5: writes forward Content-Type, Content-Length,
// Content-MD5, Cache-Control, Content-Disposition, Content-Encoding, Content-Language, Expires,
// x-amz-storage-class, x-amz-meta-* and x-amz-checksum-*; `includeHeaders` adds more (forwarded and
// signed); `excludeHeaders` keeps a forwarded header out of the signature; everything else a
// viewer sends (x-amz-acl, x-amz-grant-*) stays behind. Against the strict origin, which stores
// the entity headers and checks Content-MD5 (400 BadDigest, passed through unchanged).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { startStrictOrigin, type RecordedRequest } from '@origin-signer/strict-origin';
import { BUCKET, KEYS } from '../support/modes-fixture.js';
import { startProxyCli } from '../support/proxy-cli.js';
import { raw, xmlField, md5b64 } from '../support/origin-client.js';
import { signedHeadersOf, writeBlock, type PayloadMode } from '../support/writes-helpers.js';


const ENTITY = {
  'content-type': 'text/vtt; charset=utf-8',
  'cache-control': 'public, max-age=31536000, immutable',
  'content-disposition': 'attachment; filename="subtitles (en).vtt"',
  'content-language': 'en',
  expires: 'Thu, 01 Dec 2033 16:00:00 GMT',
  'x-amz-meta-camera': 'A',
};

test('write headers: stored and returned, filtered, included, excluded; DELETE', { timeout: 120_000 }, async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  const methods = ['GET', 'HEAD', 'PUT', 'DELETE'];
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    proxies: [
      writeBlock(origin.port, { path: '/unsigned/', bucket: BUCKET, credentials: KEYS, payload: 'unsigned', methods, keyPrefix: 'w/' }),
      writeBlock(origin.port, { path: '/streaming/', bucket: BUCKET, credentials: KEYS, payload: 'streaming', methods, keyPrefix: 'w/' }),
      writeBlock(origin.port, { path: '/include/', bucket: BUCKET, credentials: KEYS, methods, keyPrefix: 'w/', signing: { includeHeaders: ['X-Custom-Trace'] } }),
      writeBlock(origin.port, { path: '/exclude/', bucket: BUCKET, credentials: KEYS, methods, keyPrefix: 'w/', signing: { excludeHeaders: ['cache-control'] } }),
    ],
  });
  const lastRequest = (): RecordedRequest => origin.requests[origin.requests.length - 1]!;

  for (const payload of ['unsigned', 'streaming'] as PayloadMode[]) {
    await t.test(`payload: ${payload}: entity headers, metadata and a correct Content-MD5 are stored and returned`, async () => {
      const body = gzipSync(Buffer.from('WEBVTT\n\n00:00.000 --> 00:01.000\nhello\n'.repeat(50)));
      const key = `subs-${payload}.vtt`;
      const put = await raw(proxy.port, {
        method: 'PUT',
        path: `/${payload}/${key}`,
        headers: { ...ENTITY, 'content-encoding': 'gzip', 'content-md5': md5b64(body), 'content-length': body.length },
        body,
      });
      assert.equal(put.status, 200, put.text.slice(0, 400));
      const sent = lastRequest();
      assert.equal(sent.status, 200);
      assert.equal(sent.headers['content-md5'], md5b64(body), 'Content-MD5 forwarded');
      // S3 wants aws-chunked first when the body is re-framed (sigv4-streaming.html).
      assert.equal(sent.headers['content-encoding'], payload === 'streaming' ? 'aws-chunked,gzip' : 'gzip');
      assert.ok((await origin.getObject(BUCKET, `w/${key}`))?.equals(body), 'stored byte-exact (still gzip)');

      for (const method of ['GET', 'HEAD']) {
        const res = await raw(proxy.port, { method, path: `/${payload}/${key}` });
        assert.equal(res.status, 200, method);
        for (const [name, value] of Object.entries(ENTITY)) assert.equal(res.headers[name], value, `${method} ${name}`);
        assert.equal(res.headers['content-encoding'], 'gzip', `${method}: the stored Content-Encoding, aws-chunked removed`);
        assert.equal(res.headers['content-length'], String(body.length), method);
        assert.equal(res.headers.etag, `"${Buffer.from(md5b64(body), 'base64').toString('hex')}"`, method);
        if (method === 'GET') assert.ok(res.body.equals(body), 'GET returns the gzip bytes untouched');
      }
    });

    await t.test(`payload: ${payload}: a wrong Content-MD5 gets the origin's 400 BadDigest and stores nothing`, async () => {
      const body = Buffer.from('segment bytes that do not match the digest\n');
      const key = `bad-md5-${payload}.ts`;
      const before = origin.requests.length;
      const res = await raw(proxy.port, {
        method: 'PUT',
        path: `/${payload}/${key}`,
        headers: { 'content-type': 'video/mp2t', 'content-md5': md5b64(Buffer.from('something else')), 'content-length': body.length },
        body,
      });
      assert.equal(res.status, 400, res.text.slice(0, 400));
      assert.match(String(res.headers['content-type']), /application\/xml/);
      assert.equal(xmlField(res.text, 'Code'), 'BadDigest');
      assert.equal(origin.requests.length, before + 1);
      assert.equal(lastRequest().errorCode, 'BadDigest', 'the origin itself refused it');
      assert.equal(await origin.getObject(BUCKET, `w/${key}`), undefined, 'nothing stored');
    });
  }

  await t.test('x-amz-acl and x-amz-grant-read from a viewer are not forwarded', async () => {
    const res = await raw(proxy.port, {
      method: 'PUT',
      path: '/unsigned/acl.txt',
      headers: { 'content-type': 'text/plain', 'x-amz-acl': 'public-read', 'x-amz-grant-read': 'uri="http://acs.amazonaws.com/groups/global/AllUsers"', 'x-amz-meta-kept': 'yes', 'content-length': 3 },
      body: 'acl',
    });
    assert.equal(res.status, 200, res.text.slice(0, 400));
    const sent = lastRequest();
    assert.equal(sent.headers['x-amz-acl'], undefined);
    assert.equal(sent.headers['x-amz-grant-read'], undefined);
    assert.equal(sent.headers['x-amz-meta-kept'], 'yes', 'control: metadata on the same request is forwarded');
    assert.ok(!signedHeadersOf(sent.headers.authorization).some((h) => h === 'x-amz-acl' || h === 'x-amz-grant-read'));
  });

  await t.test('includeHeaders: [X-Custom-Trace] is forwarded and signed; not on other blocks', async () => {
    const put = await raw(proxy.port, { method: 'PUT', path: '/include/traced.txt', headers: { 'x-custom-trace': 'trace-42', 'content-length': 5 }, body: 'trace' });
    assert.equal(put.status, 200, put.text.slice(0, 400));
    let sent = lastRequest();
    assert.equal(sent.headers['x-custom-trace'], 'trace-42');
    assert.ok(signedHeadersOf(sent.headers.authorization).includes('x-custom-trace'), String(sent.headers.authorization));
    const get = await raw(proxy.port, { path: '/include/traced.txt', headers: { 'x-custom-trace': 'trace-43' } });
    assert.equal(get.status, 200);
    sent = lastRequest();
    assert.equal(sent.headers['x-custom-trace'], 'trace-43', 'on reads too');
    assert.ok(signedHeadersOf(sent.headers.authorization).includes('x-custom-trace'));

    const other = await raw(proxy.port, { method: 'PUT', path: '/unsigned/untraced.txt', headers: { 'x-custom-trace': 'trace-44', 'content-length': 5 }, body: 'trace' });
    assert.equal(other.status, 200);
    assert.equal(lastRequest().headers['x-custom-trace'], undefined, 'a block without includeHeaders drops it');
  });

  await t.test('excludeHeaders: [cache-control] still forwards Cache-Control, outside the signature', async () => {
    const put = await raw(proxy.port, { method: 'PUT', path: '/exclude/cc.txt', headers: { 'cache-control': 'max-age=60', 'content-type': 'text/plain', 'content-length': 2 }, body: 'cc' });
    assert.equal(put.status, 200, put.text.slice(0, 400));
    const sent = lastRequest();
    assert.equal(sent.headers['cache-control'], 'max-age=60');
    const signed = signedHeadersOf(sent.headers.authorization);
    assert.ok(!signed.includes('cache-control'), signed.join(';'));
    assert.ok(signed.includes('content-type'), 'content-type is always signed');
    const head = await raw(proxy.port, { method: 'HEAD', path: '/exclude/cc.txt' });
    assert.equal(head.headers['cache-control'], 'max-age=60', 'stored');
    // Control: without excludeHeaders the same header is signed.
    await raw(proxy.port, { method: 'PUT', path: '/unsigned/cc.txt', headers: { 'cache-control': 'max-age=60', 'content-length': 2 }, body: 'cc' });
    assert.ok(signedHeadersOf(lastRequest().headers.authorization).includes('cache-control'));
  });

  await t.test('DELETE removes an object; then GET is 404 NoSuchKey', async () => {
    await origin.putObject(BUCKET, 'w/doomed.ts', 'bye');
    const del = await raw(proxy.port, { method: 'DELETE', path: '/unsigned/doomed.ts' });
    assert.equal(del.status, 204, del.text.slice(0, 400));
    assert.equal(await origin.getObject(BUCKET, 'w/doomed.ts'), undefined);
    const get = await raw(proxy.port, { path: '/unsigned/doomed.ts' });
    assert.equal(get.status, 404);
    assert.equal(xmlField(get.text, 'Code'), 'NoSuchKey');
  });
});
