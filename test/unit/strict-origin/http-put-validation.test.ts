/** PutObject checks: Content-MD5 (BadDigest / InvalidDigest), Content-Length required, metadata size. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUCKET, md5b64, origin, rawSocket, s3, signAws4, xmlField } from '../../support/origin-client.js';

test('a matching Content-MD5 is accepted', async (t) => {
  const o = await origin(t);
  const r = await s3(o, { method: 'PUT', path: `/${BUCKET}/k`, body: 'abc', headers: { 'Content-MD5': md5b64('abc') } });
  assert.equal(r.status, 200, r.text);
});

test('a mismatching Content-MD5 is 400 BadDigest and nothing is stored', async (t) => {
  const o = await origin(t);
  const r = await s3(o, { method: 'PUT', path: `/${BUCKET}/k`, body: 'abc', headers: { 'Content-MD5': md5b64('abd') } });
  assert.equal(r.status, 400);
  assert.equal(xmlField(r.text, 'Code'), 'BadDigest');
  assert.equal(await o.getObject(BUCKET, 'k'), undefined);
});

test('a malformed Content-MD5 is 400 InvalidDigest', async (t) => {
  const o = await origin(t);
  const r = await s3(o, { method: 'PUT', path: `/${BUCKET}/k`, body: 'abc', headers: { 'Content-MD5': 'not base64 md5' } });
  assert.equal(r.status, 400);
  assert.equal(xmlField(r.text, 'Code'), 'InvalidDigest');
});

test('PUT without Content-Length (and not chunked) is 411 MissingContentLength', async (t) => {
  const o = await origin(t);
  const { path, headers } = signAws4(o.port, { method: 'PUT', path: `/${BUCKET}/k`, headers: { 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD' } });
  // node:http would add "Content-Length: 0"; write the request by hand instead.
  const head = `PUT ${path} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}Connection: close\r\n\r\n`;
  const r = await rawSocket(o.port, head);
  assert.equal(r.status, 411);
  assert.equal(xmlField(r.text, 'Code'), 'MissingContentLength');
});

test('an empty object can be stored', async (t) => {
  const o = await origin(t);
  const r = await s3(o, { method: 'PUT', path: `/${BUCKET}/empty`, body: '' , headers: { 'Content-Length': '0' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.etag, '"d41d8cd98f00b204e9800998ecf8427e"');
  const get = await s3(o, { path: `/${BUCKET}/empty` });
  assert.equal(get.status, 200);
  assert.equal(get.headers['content-length'], '0');
});

test('more than 2 KB of user metadata is 400 MetadataTooLarge', async (t) => {
  const o = await origin(t);
  const r = await s3(o, { method: 'PUT', path: `/${BUCKET}/k`, body: 'x', headers: { 'x-amz-meta-big': 'v'.repeat(2100) } });
  assert.equal(r.status, 400);
  assert.equal(xmlField(r.text, 'Code'), 'MetadataTooLarge');
});
