/**
 * GET / HEAD / PUT / DELETE signed by aws4 (the independent oracle) succeed,
 * path-style and virtual-hosted (Host "<bucket>.localhost:<port>" while
 * connecting to 127.0.0.1), with S3's response headers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUCKET, CREDS, origin, s3 } from '../../support/origin-client.js';
import { md5Hex } from '../../support/generated-body.js';

for (const style of ['path', 'virtual'] as const) {
  test(`${style}-style: PUT, GET, HEAD, DELETE round trip`, async (t) => {
    const o = await origin(t);
    const host = style === 'virtual' ? `${BUCKET}.localhost:${o.port}` : undefined;
    const p = (key: string) => (style === 'virtual' ? `/${key}` : `/${BUCKET}/${key}`);
    const body = 'hello strict origin';

    const put = await s3(o, {
      method: 'PUT',
      path: p('dir/hello.txt'),
      ...(host ? { host } : {}),
      body,
      headers: { 'Content-Type': 'text/plain', 'x-amz-meta-colour': 'blue', 'Cache-Control': 'max-age=60' },
    });
    assert.equal(put.status, 200, put.text);
    const md5 = md5Hex(body);
    assert.equal(put.headers.etag, `"${md5}"`);
    assert.deepEqual(await o.getObject(BUCKET, 'dir/hello.txt'), Buffer.from(body));

    const get = await s3(o, { path: p('dir/hello.txt'), ...(host ? { host } : {}) });
    assert.equal(get.status, 200);
    assert.equal(get.text, body);
    assert.equal(get.headers['content-type'], 'text/plain');
    assert.equal(get.headers['content-length'], String(body.length));
    assert.equal(get.headers.etag, `"${md5}"`);
    assert.equal(get.headers['accept-ranges'], 'bytes');
    assert.equal(get.headers['x-amz-meta-colour'], 'blue');
    assert.equal(get.headers['cache-control'], 'max-age=60');
    assert.match(get.headers['last-modified'] ?? '', /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    assert.match(String(get.headers['x-amz-request-id']), /^[0-9A-F]{16}$/);
    assert.ok(get.headers['x-amz-id-2']);

    const head = await s3(o, { method: 'HEAD', path: p('dir/hello.txt'), ...(host ? { host } : {}) });
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
    assert.equal(head.headers['content-length'], String(body.length));
    assert.equal(head.headers.etag, `"${md5}"`);

    const del = await s3(o, { method: 'DELETE', path: p('dir/hello.txt'), ...(host ? { host } : {}) });
    assert.equal(del.status, 204);
    assert.equal(await o.getObject(BUCKET, 'dir/hello.txt'), undefined);
    const again = await s3(o, { method: 'DELETE', path: p('dir/hello.txt'), ...(host ? { host } : {}) });
    assert.equal(again.status, 204, 'deleting a missing key is 204 too');

    const gone = await s3(o, { path: p('dir/hello.txt'), ...(host ? { host } : {}) });
    assert.equal(gone.status, 404);
    assert.match(gone.text, /<Code>NoSuchKey<\/Code>/);
    const headGone = await s3(o, { method: 'HEAD', path: p('dir/hello.txt'), ...(host ? { host } : {}) });
    assert.equal(headGone.status, 404);
    assert.equal(headGone.body.length, 0);

    assert.ok(o.requests.every((r) => r.auth === 'v4-header' && r.accessKeyId === CREDS.accessKeyId));
  });
}

test('an object stored without Content-Type is served as binary/octet-stream', async (t) => {
  const o = await origin(t);
  await o.putObject(BUCKET, 'k', 'x');
  const get = await s3(o, { path: `/${BUCKET}/k` });
  assert.equal(get.headers['content-type'], 'binary/octet-stream');
});
