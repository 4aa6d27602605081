/**
 * mediastore mode: the key is the whole path, SigV4 service "mediastore" with
 * the generic URI rule (aws4 for a non-S3 service normalises and double-
 * encodes the path and signs sha256(body) without x-amz-content-sha256).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CREDS, origin, raw, s3, signAws4, xmlField } from '../../support/origin-client.js';

const MS = { service: 'mediastore' as const, buckets: [] };

test('PUT / GET / HEAD / list / DELETE with awkward names', async (t) => {
  const o = await origin(t, MS);
  const body = Buffer.from('#EXTM3U\n');
  const put = await s3(o, { method: 'PUT', path: '/folder%20a/vid%C3%A9o%2B1.m3u8', service: 'mediastore', body, headers: { 'Content-Type': 'application/x-mpegURL' } });
  assert.equal(put.status, 200, put.text);
  assert.equal(JSON.parse(put.text).StorageClass, 'TEMPORAL');
  assert.deepEqual(await o.getObject('', 'folder a/vidéo+1.m3u8'), body);

  const get = await s3(o, { path: '/folder%20a/vid%C3%A9o%2B1.m3u8', service: 'mediastore' });
  assert.equal(get.status, 200, get.text);
  assert.deepEqual(get.body, body);
  assert.equal(get.headers['content-type'], 'application/x-mpegURL');

  const root = await s3(o, { path: '/', service: 'mediastore' });
  assert.equal(root.status, 200, root.text);
  assert.deepEqual(JSON.parse(root.text), { Items: [{ Name: 'folder a', Type: 'FOLDER' }] });
  const folder = await s3(o, { path: '/folder%20a/', service: 'mediastore' });
  const items = JSON.parse(folder.text).Items as Array<{ Name: string; Type: string; ContentLength: number }>;
  assert.deepEqual(items.map((i) => [i.Name, i.Type, i.ContentLength]), [['vidéo+1.m3u8', 'OBJECT', body.length]]);

  const del = await s3(o, { method: 'DELETE', path: '/folder%20a/vid%C3%A9o%2B1.m3u8', service: 'mediastore' });
  assert.equal(del.status, 200, del.text);
  const gone = await s3(o, { path: '/folder%20a/vid%C3%A9o%2B1.m3u8', service: 'mediastore' });
  assert.equal(gone.status, 404);
});

test('a body that does not match the signed sha256 (no x-amz-content-sha256 header) is refused', async (t) => {
  const o = await origin(t, MS);
  // aws4 signs sha256("one body"); the wire carries another body of the same length.
  const { path, headers } = signAws4(o.port, { method: 'PUT', path: '/x.ts', service: 'mediastore', body: 'one body' });
  const r = await raw(o.port, { method: 'PUT', path, headers, body: 'two body' });
  assert.equal(r.status, 403);
  assert.equal(xmlField(r.text, 'Code'), 'SignatureDoesNotMatch');
  assert.equal(await o.getObject('', 'x.ts'), undefined);
});

test('UNSIGNED-PAYLOAD (botocore MediaStore PutObject) is accepted', async (t) => {
  const o = await origin(t, MS);
  const r = await s3(o, { method: 'PUT', path: '/live/seg1.ts', service: 'mediastore', body: 'ts', headers: { 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD' } });
  assert.equal(r.status, 200, r.text);
});

test('an S3-scoped signature is refused in mediastore mode', async (t) => {
  const o = await origin(t, MS);
  const r = await s3(o, { path: '/live/seg1.ts', service: 's3' });
  assert.equal(r.status, 400);
  assert.equal(xmlField(r.text, 'Code'), 'AuthorizationHeaderMalformed');
  assert.ok(o.requests.every((q) => q.accessKeyId === CREDS.accessKeyId));
});

test('"//" in a MediaStore path is normalised for signing (aws4 and botocore agree)', async (t) => {
  const o = await origin(t, MS);
  const put = await s3(o, { method: 'PUT', path: '/live//stream/index.m3u8', service: 'mediastore', body: 'x' });
  assert.equal(put.status, 200, put.text);
  assert.deepEqual(await o.getObject('', 'live//stream/index.m3u8'), Buffer.from('x'));
});
