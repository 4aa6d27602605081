/**
 * A request signed with the wrong secret is 403 SignatureDoesNotMatch and the
 * body carries S3's diagnostics: AWSAccessKeyId, StringToSign,
 * SignatureProvided and the origin's own CanonicalRequest. An unknown key is
 * 403 InvalidAccessKeyId.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sha256Hex } from '../../support/generated-body.js';
import { BUCKET, CREDS, origin, s3, signAws4, raw, xmlField } from '../../support/origin-client.js';

test('wrong secret → SignatureDoesNotMatch with the canonical request', async (t) => {
  const o = await origin(t);
  await o.putObject(BUCKET, 'a b.txt', 'x');
  const bad = { ...CREDS, secretAccessKey: 'not-the-secret' };
  const { path, headers } = signAws4(o.port, { path: `/${BUCKET}/a%20b.txt`, creds: bad });
  const r = await raw(o.port, { path, headers });
  assert.equal(r.status, 403);
  assert.equal(xmlField(r.text, 'Code'), 'SignatureDoesNotMatch');
  assert.equal(xmlField(r.text, 'AWSAccessKeyId'), CREDS.accessKeyId);
  const provided = /Signature=([0-9a-f]{64})/.exec(headers['Authorization'] ?? '')?.[1];
  assert.equal(xmlField(r.text, 'SignatureProvided'), provided);
  const canonical = xmlField(r.text, 'CanonicalRequest') ?? '';
  const lines = canonical.split('\n');
  assert.equal(lines[0], 'GET');
  assert.equal(lines[1], `/${BUCKET}/a%20b.txt`);
  assert.ok(lines.includes(`host:127.0.0.1:${o.port}`));
  assert.equal(lines.at(-2), 'host;x-amz-content-sha256;x-amz-date');
  const sts = xmlField(r.text, 'StringToSign') ?? '';
  assert.equal(sts.split('\n')[3], sha256Hex(canonical), 'StringToSign hashes the CanonicalRequest shown');
  assert.equal(o.requests[0]?.errorCode, 'SignatureDoesNotMatch');
  assert.equal(o.requests[0]?.auth, 'v4-header');
});

test('unknown access key → InvalidAccessKeyId', async (t) => {
  const o = await origin(t);
  const r = await s3(o, { path: `/${BUCKET}/x`, creds: { accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 's' } });
  assert.equal(r.status, 403);
  assert.equal(xmlField(r.text, 'Code'), 'InvalidAccessKeyId');
  assert.equal(xmlField(r.text, 'AWSAccessKeyId'), 'AKIDUNKNOWN');
});

test('setCredentials replaces the accepted keys', async (t) => {
  const o = await origin(t);
  await o.putObject(BUCKET, 'k', 'v');
  assert.equal((await s3(o, { path: `/${BUCKET}/k` })).status, 200);
  o.setCredentials([{ accessKeyId: 'AKIDNEW', secretAccessKey: 'new-secret' }]);
  assert.equal((await s3(o, { path: `/${BUCKET}/k` })).status, 403);
  assert.equal((await s3(o, { path: `/${BUCKET}/k`, creds: { accessKeyId: 'AKIDNEW', secretAccessKey: 'new-secret' } })).status, 200);
});

test('wrong region in the scope → 400 AuthorizationHeaderMalformed naming the expected region', async (t) => {
  const o = await origin(t);
  const r = await s3(o, { path: `/${BUCKET}/x`, region: 'eu-west-1' });
  assert.equal(r.status, 400);
  assert.equal(xmlField(r.text, 'Code'), 'AuthorizationHeaderMalformed');
  assert.equal(xmlField(r.text, 'Region'), 'us-east-1');
  assert.match(xmlField(r.text, 'Message') ?? '', /'eu-west-1' is wrong; expecting 'us-east-1'/);
  assert.equal(o.requests[0]?.auth, 'malformed');
});

test('wrong service in the scope → 400 AuthorizationHeaderMalformed', async (t) => {
  const o = await origin(t);
  const r = await s3(o, { path: `/${BUCKET}/x`, service: 'mediastore', headers: { 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD' } });
  assert.equal(r.status, 400);
  assert.equal(xmlField(r.text, 'Code'), 'AuthorizationHeaderMalformed');
});
