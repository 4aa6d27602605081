/** ListObjectsV2 over HTTP: prefix, delimiter, max-keys + continuation-token, start-after, encoding-type=url. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUCKET, origin, s3, xmlField, xmlFields } from '../../support/origin-client.js';

async function setup(t: Parameters<typeof origin>[0]) {
  const o = await origin(t);
  for (const k of ['a.txt', 'photos/2024 trip/1.jpg', 'photos/2024 trip/2.jpg', 'photos/cat.jpg', 'x+y z.txt']) await o.putObject(BUCKET, k, k);
  return o;
}

test('prefix and delimiter', async (t) => {
  const o = await setup(t);
  const r = await s3(o, { path: `/${BUCKET}?list-type=2&prefix=photos%2F&delimiter=%2F` });
  assert.equal(r.status, 200, r.text);
  assert.match(r.text, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<ListBucketResult xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/">/);
  assert.deepEqual(xmlFields(r.text, 'Key'), ['photos/cat.jpg']);
  assert.deepEqual(xmlFields(r.text.replace(/<Contents>[\s\S]*?<\/Contents>/g, ''), 'Prefix').slice(1), ['photos/2024 trip/']);
  assert.equal(xmlField(r.text, 'KeyCount'), '2');
  assert.equal(xmlField(r.text, 'IsTruncated'), 'false');
  assert.equal(xmlField(r.text, 'Size'), String('photos/cat.jpg'.length));
  assert.match(xmlField(r.text, 'LastModified') ?? '', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/);
});

test('max-keys with continuation tokens walks every key once', async (t) => {
  const o = await setup(t);
  const keys: string[] = [];
  let token: string | undefined;
  for (let i = 0; i < 10; i++) {
    const r = await s3(o, { path: `/${BUCKET}?list-type=2&max-keys=2${token ? `&continuation-token=${encodeURIComponent(token)}` : ''}` });
    assert.equal(r.status, 200, r.text);
    keys.push(...xmlFields(r.text, 'Key'));
    if (xmlField(r.text, 'IsTruncated') === 'false') break;
    token = xmlField(r.text, 'NextContinuationToken');
    assert.ok(token);
  }
  assert.deepEqual(keys, ['a.txt', 'photos/2024 trip/1.jpg', 'photos/2024 trip/2.jpg', 'photos/cat.jpg', 'x+y z.txt']);
});

test('start-after', async (t) => {
  const o = await setup(t);
  const r = await s3(o, { path: `/${BUCKET}?list-type=2&start-after=photos%2Fcat.jpg` });
  assert.deepEqual(xmlFields(r.text, 'Key'), ['x+y z.txt']);
  assert.equal(xmlField(r.text, 'StartAfter'), 'photos/cat.jpg');
});

test('encoding-type=url encodes keys and prefixes', async (t) => {
  const o = await setup(t);
  const r = await s3(o, { path: `/${BUCKET}?list-type=2&encoding-type=url&prefix=x` });
  assert.equal(xmlField(r.text, 'EncodingType'), 'url');
  assert.deepEqual(xmlFields(r.text, 'Key'), ['x%2By+z.txt']);
});

test('a "+" in the query is a space (S3 form-decodes the query)', async (t) => {
  const o = await setup(t);
  // aws4 also form-decodes the query, so it signs prefix=photos/2024 trip
  const r = await s3(o, { path: `/${BUCKET}?list-type=2&prefix=photos%2F2024+trip` });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(xmlFields(r.text, 'Key'), ['photos/2024 trip/1.jpg', 'photos/2024 trip/2.jpg']);
});

test('ListObjects (v1) with marker', async (t) => {
  const o = await setup(t);
  const r = await s3(o, { path: `/${BUCKET}?marker=photos%2Fcat.jpg` });
  assert.equal(r.status, 200);
  assert.deepEqual(xmlFields(r.text, 'Key'), ['x+y z.txt']);
  assert.equal(xmlField(r.text, 'Marker'), 'photos/cat.jpg');
});

test('bad max-keys and bad list-type are 400 InvalidArgument', async (t) => {
  const o = await setup(t);
  assert.equal(xmlField((await s3(o, { path: `/${BUCKET}?list-type=2&max-keys=abc` })).text, 'Code'), 'InvalidArgument');
  assert.equal((await s3(o, { path: `/${BUCKET}?list-type=3` })).status, 400);
});
