/**
 * x-amz-content-sha256 with a hex hash is checked against the body as it
 * streams: a mismatch is 400 XAmzContentSHA256Mismatch and nothing is stored
 * (an existing object is left untouched). UNSIGNED-PAYLOAD is accepted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256Hex } from '../../support/generated-body.js';
import { BUCKET, origin, s3, xmlField } from '../../support/origin-client.js';

test('a body that does not match its signed sha256 is refused and not stored', async (t) => {
  const o = await origin(t);
  await o.putObject(BUCKET, 'k', 'original');
  const r = await s3(o, { method: 'PUT', path: `/${BUCKET}/k`, body: 'tampered', headers: { 'X-Amz-Content-Sha256': sha256Hex('intended') } });
  assert.equal(r.status, 400);
  assert.equal(xmlField(r.text, 'Code'), 'XAmzContentSHA256Mismatch');
  assert.equal(xmlField(r.text, 'ClientComputedContentSHA256'), sha256Hex('intended'));
  assert.equal(xmlField(r.text, 'S3ComputedContentSHA256'), sha256Hex('tampered'));
  assert.equal((await o.getObject(BUCKET, 'k'))?.toString(), 'original');

  const r2 = await s3(o, { method: 'PUT', path: `/${BUCKET}/new`, body: 'tampered', headers: { 'X-Amz-Content-Sha256': sha256Hex('intended') } });
  assert.equal(r2.status, 400);
  assert.equal(await o.getObject(BUCKET, 'new'), undefined);
  assert.equal(o.requests[1]?.bytesIn, 8, 'the body was read (streamed) before refusing');
});

test('a GET with a non-empty-body hash is refused', async (t) => {
  const o = await origin(t);
  await o.putObject(BUCKET, 'k', 'v');
  const r = await s3(o, { path: `/${BUCKET}/k`, headers: { 'X-Amz-Content-Sha256': sha256Hex('x') } });
  assert.equal(r.status, 400);
  assert.equal(xmlField(r.text, 'Code'), 'XAmzContentSHA256Mismatch');
});

test('UNSIGNED-PAYLOAD and a correct hash are both accepted', async (t) => {
  const o = await origin(t);
  const a = await s3(o, { method: 'PUT', path: `/${BUCKET}/a`, body: 'aaa', headers: { 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD' } });
  assert.equal(a.status, 200, a.text);
  const b = await s3(o, { method: 'PUT', path: `/${BUCKET}/b`, body: 'bbb' }); // aws4 signs sha256(body)
  assert.equal(b.status, 200, b.text);
  assert.equal((await o.getObject(BUCKET, 'a'))?.toString(), 'aaa');
  assert.equal((await o.getObject(BUCKET, 'b'))?.toString(), 'bbb');
});

test('an unknown x-amz-content-sha256 value is 400 InvalidArgument', async (t) => {
  const o = await origin(t);
  const r = await s3(o, { method: 'PUT', path: `/${BUCKET}/a`, body: 'aaa', headers: { 'X-Amz-Content-Sha256': 'not-a-hash' } });
  assert.equal(r.status, 400);
  assert.equal(xmlField(r.text, 'Code'), 'InvalidArgument');
  assert.equal(await o.getObject(BUCKET, 'a'), undefined);
});

test('refused uploads leave no temp files behind', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'so-test-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const o = await origin(t, { dataDir: dir });
  await s3(o, { method: 'PUT', path: `/${BUCKET}/k`, body: 'x'.repeat(10000), headers: { 'X-Amz-Content-Sha256': sha256Hex('y') } });
  assert.deepEqual(await readdir(`${dir}/tmp`), []);
  assert.deepEqual(await readdir(`${dir}/objects`), []);
});
