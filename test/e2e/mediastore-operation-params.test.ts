// Regression "DELETE ?uploadId deleted a MediaStore object": MediaStore's object operations take no
// query parameter and ignore what they do not know, so S3's operation parameters forwarded to it
// ran another operation than the viewer's — an abort of an upload deleted the object, a part
// upload overwrote it with the part, a read of a version got the current object. Through the CLI,
// against the strict origin in MediaStore mode: each is refused and nothing reaches the store.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MEDIASTORE_BUCKET } from '@origin-signer/strict-origin';
import { mediaStoreProxy } from '../support/mediastore-proxy.js';
import { raw } from '../support/origin-client.js';

test('a MediaStore block refuses S3\'s operation parameters, and the object stays as it was', { timeout: 60_000 }, async (t) => {
  const { origin, port } = await mediaStoreProxy(t, { signing: { payload: 'sha256' }, methods: ['GET', 'HEAD', 'PUT', 'DELETE', 'POST'] });
  const original = Buffer.from('#EXTM3U\n#EXT-X-VERSION:3\n');
  await origin.putObject(MEDIASTORE_BUCKET, 'live/index.m3u8', original);

  for (const [method, query, body] of [
    ['DELETE', 'uploadId=u1', undefined],
    ['DELETE', 'versionId=v1', undefined],
    ['PUT', 'partNumber=1&uploadId=u1', 'one part'],
    ['POST', 'uploads', undefined],
    ['POST', 'uploadId=u1', '<CompleteMultipartUpload/>'],
    ['GET', 'versionId=v1', undefined],
    ['GET', 'partNumber=1', undefined],
    ['HEAD', 'versionId=v1', undefined],
  ] as const) {
    const before = origin.requests.length;
    const r = await raw(port, { method, path: `/ms/index.m3u8?${query}`, ...(body ? { headers: { 'content-length': body.length }, body: Buffer.from(body) } : {}) });
    assert.equal(r.status, 400, `${method} ?${query}: ${r.text.slice(0, 300)}`);
    if (method !== 'HEAD') assert.match(r.text, /OS_ERR_SUBRESOURCE_REFUSED/, `${method} ?${query}`);
    assert.equal(origin.requests.length, before, `${method} ?${query} reached the store`);
  }
  assert.deepEqual(await origin.getObject(MEDIASTORE_BUCKET, 'live/index.m3u8'), original, 'the object is untouched');

  // The plain operations still go through, a cache-buster dropped on a read.
  const read = await raw(port, { path: '/ms/index.m3u8?cb=17' });
  assert.equal(read.status, 200, read.text.slice(0, 300));
  assert.equal(origin.requests.at(-1)!.url, '/live/index.m3u8');
  const del = await raw(port, { method: 'DELETE', path: '/ms/index.m3u8' });
  assert.equal(del.status, 200, del.text.slice(0, 300));
  assert.equal(await origin.getObject(MEDIASTORE_BUCKET, 'live/index.m3u8'), undefined);
});
