/**
 * `requests` records every request in order: method, raw URL, headers, auth
 * kind, access key, status, error code and body bytes — what the proxy's
 * tests assert on ("nothing reached the origin", "no viewer Authorization").
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUCKET, CREDS, origin, s3 } from '../../support/origin-client.js';

test('every request is recorded', async (t) => {
  const o = await origin(t);
  assert.equal(o.requests.length, 0);
  await s3(o, { method: 'PUT', path: `/${BUCKET}/a%20b?x-id=PutObject`, body: 'hello' });
  await s3(o, { path: `/${BUCKET}/a%20b`, creds: null });
  await s3(o, { path: `/${BUCKET}/missing` });
  assert.equal(o.requests.length, 3);
  const [put, anon, missing] = o.requests;
  assert.equal(put?.method, 'PUT');
  assert.equal(put?.url, `/${BUCKET}/a%20b?x-id=PutObject`);
  assert.equal(put?.auth, 'v4-header');
  assert.equal(put?.accessKeyId, CREDS.accessKeyId);
  assert.equal(put?.status, 200);
  assert.equal(put?.bytesIn, 5);
  assert.equal(put?.errorCode, undefined);
  assert.match(String(put?.headers['authorization']), /^AWS4-HMAC-SHA256 Credential=/);
  assert.equal(anon?.auth, 'anonymous');
  assert.equal(anon?.status, 403);
  assert.equal(anon?.headers['authorization'], undefined);
  assert.equal(missing?.status, 404);
  assert.equal(missing?.errorCode, 'NoSuchKey');
});
