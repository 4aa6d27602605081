/**
 * S3 refuses x-amz-* headers that are present but not signed (403 AccessDenied
 * "There were headers present in the request which were not signed"), and an
 * x-amz-content-sha256 is required for header auth. Unsigned ordinary headers
 * (User-Agent, Range, …) are fine.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUCKET, origin, raw, signAws4, xmlField } from '../../support/origin-client.js';

test('an unsigned x-amz-meta-x on PUT is refused and nothing is stored', async (t) => {
  const o = await origin(t);
  const { path, headers } = signAws4(o.port, { method: 'PUT', path: `/${BUCKET}/k`, body: 'data' });
  const r = await raw(o.port, { method: 'PUT', path, headers: { ...headers, 'x-amz-meta-x': 'sneaky' }, body: 'data' });
  assert.equal(r.status, 403);
  assert.equal(xmlField(r.text, 'Code'), 'AccessDenied');
  assert.equal(xmlField(r.text, 'Message'), 'There were headers present in the request which were not signed');
  assert.equal(xmlField(r.text, 'HeadersNotSigned'), 'x-amz-meta-x');
  assert.equal(await o.getObject(BUCKET, 'k'), undefined);
});

test('unsigned non-amz headers are accepted', async (t) => {
  const o = await origin(t);
  await o.putObject(BUCKET, 'k', '0123456789');
  const { path, headers } = signAws4(o.port, { path: `/${BUCKET}/k` });
  const r = await raw(o.port, { path, headers: { ...headers, 'User-Agent': 'x', Range: 'bytes=0-1', 'X-Forwarded-For': '1.2.3.4' } });
  assert.equal(r.status, 206);
  assert.equal(r.text, '01');
});

test('header auth without x-amz-content-sha256 is 400 InvalidRequest', async (t) => {
  const o = await origin(t);
  await o.putObject(BUCKET, 'k', 'v');
  // aws4 signs x-amz-content-sha256 only for service s3; sign as "s3" then drop it before signing.
  const { path, headers } = signAws4(o.port, { path: `/${BUCKET}/k`, headers: { 'X-Amz-Content-Sha256': 'x' } });
  delete headers['X-Amz-Content-Sha256'];
  const r = await raw(o.port, { path, headers });
  assert.equal(r.status, 400);
  assert.equal(xmlField(r.text, 'Code'), 'InvalidRequest');
  assert.equal(xmlField(r.text, 'Message'), 'Missing required header for this request: x-amz-content-sha256');
});
