/** S3's XML errors for missing buckets/keys, unsupported operations and bad URIs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUCKET, origin, s3, xmlField } from '../../support/origin-client.js';

test('missing bucket → 404 NoSuchBucket with BucketName', async (t) => {
  const o = await origin(t);
  const r = await s3(o, { path: '/no-such-bucket/k' });
  assert.equal(r.status, 404);
  assert.equal(r.headers['content-type'], 'application/xml');
  assert.equal(xmlField(r.text, 'Code'), 'NoSuchBucket');
  assert.equal(xmlField(r.text, 'BucketName'), 'no-such-bucket');
  assert.equal(xmlField(r.text, 'RequestId'), r.headers['x-amz-request-id']);
  assert.ok(xmlField(r.text, 'HostId'));
});

test('missing key → 404 NoSuchKey with Key', async (t) => {
  const o = await origin(t);
  const r = await s3(o, { path: `/${BUCKET}/dir/none%20here` });
  assert.equal(r.status, 404);
  assert.equal(xmlField(r.text, 'Code'), 'NoSuchKey');
  assert.equal(xmlField(r.text, 'Key'), 'dir/none here');
  assert.equal(o.requests[0]?.errorCode, 'NoSuchKey');
});

test('unsupported operations → 501 NotImplemented', async (t) => {
  const o = await origin(t);
  await o.putObject(BUCKET, 'k', 'v');
  for (const [method, path] of [
    ['GET', `/${BUCKET}/k?acl`],
    ['GET', `/${BUCKET}/k?tagging`],
    ['PUT', `/${BUCKET}?versioning`],
    ['GET', '/'],
    ['POST', `/${BUCKET}/k`],
  ] as const) {
    const r = await s3(o, { method, path, ...(method !== 'GET' ? { body: '' } : {}) });
    assert.equal(r.status, 501, `${method} ${path}: ${r.text}`);
    assert.equal(xmlField(r.text, 'Code'), 'NotImplemented');
  }
});

test('created buckets exist; HEAD bucket is 200, HEAD missing bucket 404', async (t) => {
  const o = await origin(t, { buckets: [] });
  assert.equal((await s3(o, { method: 'HEAD', path: `/${BUCKET}` })).status, 404);
  o.createBucket(BUCKET);
  assert.equal((await s3(o, { method: 'HEAD', path: `/${BUCKET}` })).status, 200);
});
