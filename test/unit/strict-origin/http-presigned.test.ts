/**
 * SigV4 presigned URLs (aws4 signQuery): they work until X-Amz-Expires has
 * passed on the origin's (injected) clock, then 403 AccessDenied "Request has
 * expired"; X-Amz-Expires above 604800 is 400 AuthorizationQueryParametersError;
 * a tampered query is SignatureDoesNotMatch.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUCKET, amzDate, origin, raw, signAws4, xmlField } from '../../support/origin-client.js';

const T0 = Date.UTC(2024, 5, 1, 10, 0, 0);

function presign(port: number, path: string, expires: number, method = 'GET') {
  return signAws4(port, { method, path: `${path}${path.includes('?') ? '&' : '?'}X-Amz-Expires=${expires}&X-Amz-Date=${amzDate(T0)}`, signQuery: true });
}

test('a presigned GET works within its lifetime and expires after it', async (t) => {
  let now = T0;
  const o = await origin(t, { clock: () => now });
  await o.putObject(BUCKET, 'report 2024.pdf', 'pdf-bytes');
  const { path, headers } = presign(o.port, `/${BUCKET}/report%202024.pdf`, 300);
  assert.match(path, /X-Amz-Signature=[0-9a-f]{64}/);

  now = T0 + 300_000;
  const ok = await raw(o.port, { path, headers });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.text, 'pdf-bytes');
  assert.equal(o.requests[0]?.auth, 'v4-query');

  now = T0 + 301_000;
  const late = await raw(o.port, { path, headers });
  assert.equal(late.status, 403);
  assert.equal(xmlField(late.text, 'Code'), 'AccessDenied');
  assert.equal(xmlField(late.text, 'Message'), 'Request has expired');
});

test('response-* overrides in a presigned URL set the response headers', async (t) => {
  const o = await origin(t, { clock: () => T0 });
  await o.putObject(BUCKET, 'k', 'v', { contentType: 'text/plain' });
  const q = 'response-content-disposition=attachment%3B%20filename%3D%22a%20b.txt%22&response-content-type=application%2Foctet-stream&response-cache-control=no-cache';
  const { path, headers } = presign(o.port, `/${BUCKET}/k?${q}`, 60);
  const r = await raw(o.port, { path, headers });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers['content-disposition'], 'attachment; filename="a b.txt"');
  assert.equal(r.headers['content-type'], 'application/octet-stream');
  assert.equal(r.headers['cache-control'], 'no-cache');
});

test('X-Amz-Expires over seven days is AuthorizationQueryParametersError', async (t) => {
  const o = await origin(t, { clock: () => T0 });
  const { path, headers } = presign(o.port, `/${BUCKET}/k`, 604801);
  const r = await raw(o.port, { path, headers });
  assert.equal(r.status, 400);
  assert.equal(xmlField(r.text, 'Code'), 'AuthorizationQueryParametersError');
});

test('changing a signed query parameter is SignatureDoesNotMatch', async (t) => {
  const o = await origin(t, { clock: () => T0 });
  await o.putObject(BUCKET, 'k', 'v');
  const { path, headers } = presign(o.port, `/${BUCKET}/k?response-content-type=text%2Fplain`, 60);
  const r = await raw(o.port, { path: path.replace('text%2Fplain', 'text%2Fhtml'), headers });
  assert.equal(r.status, 403);
  assert.equal(xmlField(r.text, 'Code'), 'SignatureDoesNotMatch');
  assert.match(xmlField(r.text, 'CanonicalRequest') ?? '', /response-content-type=text%2Fhtml/);
});

test('a presigned PUT stores the object (UNSIGNED-PAYLOAD)', async (t) => {
  const o = await origin(t, { clock: () => T0 });
  const { path, headers } = presign(o.port, `/${BUCKET}/up.bin`, 60, 'PUT');
  const r = await raw(o.port, { method: 'PUT', path, headers: { ...headers, 'Content-Length': 5 }, body: 'hello' });
  assert.equal(r.status, 200, r.text);
  assert.equal((await o.getObject(BUCKET, 'up.bin'))?.toString(), 'hello');
});

test('presigned and Authorization together are refused', async (t) => {
  const o = await origin(t, { clock: () => T0 });
  const { path, headers } = presign(o.port, `/${BUCKET}/k`, 60);
  const h = signAws4(o.port, { path: `/${BUCKET}/k`, headers: { 'X-Amz-Date': amzDate(T0) } }).headers;
  const r = await raw(o.port, { path, headers: { ...headers, Authorization: h['Authorization'] as string } });
  assert.equal(r.status, 400);
  assert.equal(xmlField(r.text, 'Code'), 'InvalidArgument');
});
