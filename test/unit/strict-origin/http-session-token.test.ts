/**
 * Credentials with a session token require x-amz-security-token, signed and
 * equal (403 InvalidToken otherwise); a token sent for a key that has none is
 * also 403 InvalidToken. Same for presigned URLs (X-Amz-Security-Token).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUCKET, origin, raw, s3, signAws4, xmlField, type Creds } from '../../support/origin-client.js';

const TEMP: Creds = { accessKeyId: 'ASIATEMPORARY', secretAccessKey: 'temp-secret', sessionToken: 'FwoGZXIvYXdzEPT//////////token+with/odd=chars' };
const PLAIN: Creds = { accessKeyId: 'AKIAPLAIN', secretAccessKey: 'plain-secret' };

async function setup(t: Parameters<typeof origin>[0]) {
  const o = await origin(t, { credentials: [TEMP, PLAIN] });
  await o.putObject(BUCKET, 'k', 'v');
  return o;
}

test('the right token (signed, as aws4 does) is accepted', async (t) => {
  const o = await setup(t);
  const r = await s3(o, { path: `/${BUCKET}/k`, creds: TEMP });
  assert.equal(r.status, 200, r.text);
});

test('a missing token is InvalidToken', async (t) => {
  const o = await setup(t);
  const { sessionToken: _, ...noToken } = TEMP;
  const r = await s3(o, { path: `/${BUCKET}/k`, creds: noToken });
  assert.equal(r.status, 403);
  assert.equal(xmlField(r.text, 'Code'), 'InvalidToken');
});

test('a wrong token (even correctly signed) is InvalidToken', async (t) => {
  const o = await setup(t);
  const r = await s3(o, { path: `/${BUCKET}/k`, creds: { ...TEMP, sessionToken: TEMP.sessionToken + 'x' } });
  assert.equal(r.status, 403);
  assert.equal(xmlField(r.text, 'Code'), 'InvalidToken');
});

test('a token sent for a key without one is InvalidToken', async (t) => {
  const o = await setup(t);
  const r = await s3(o, { path: `/${BUCKET}/k`, creds: { ...PLAIN, sessionToken: 'anything' } });
  assert.equal(r.status, 403);
  assert.equal(xmlField(r.text, 'Code'), 'InvalidToken');
});

test('an unsigned token header is refused as an unsigned x-amz-* header', async (t) => {
  const o = await setup(t);
  const { sessionToken: _, ...noToken } = TEMP;
  const { path, headers } = signAws4(o.port, { path: `/${BUCKET}/k`, creds: noToken });
  const r = await raw(o.port, { path, headers: { ...headers, 'X-Amz-Security-Token': TEMP.sessionToken as string } });
  assert.equal(r.status, 403);
  assert.equal(xmlField(r.text, 'Code'), 'AccessDenied');
  assert.equal(xmlField(r.text, 'HeadersNotSigned'), 'x-amz-security-token');
});

test('presigned URLs: token in the query accepted, wrong token refused', async (t) => {
  const o = await setup(t);
  assert.equal((await s3(o, { path: `/${BUCKET}/k`, creds: TEMP, signQuery: true })).status, 200);
  const bad = await s3(o, { path: `/${BUCKET}/k`, creds: { ...TEMP, sessionToken: 'nope' }, signQuery: true });
  assert.equal(bad.status, 403);
  assert.equal(xmlField(bad.text, 'Code'), 'InvalidToken');
});
