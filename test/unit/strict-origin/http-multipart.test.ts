/**
 * Multipart upload over HTTP (aws4-signed): Create, UploadPart, ListParts,
 * Complete (ETag "<md5 of part md5s>-<n>"), Abort, and S3's refusals
 * (EntityTooSmall, InvalidPartOrder, InvalidPart, NoSuchUpload).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { BUCKET, origin, s3, xmlField, xmlFields } from '../../support/origin-client.js';
import { MiB } from '../../support/sizes.js';

const md5 = (b: Buffer) => createHash('md5').update(b).digest();

async function create(o: Awaited<ReturnType<typeof origin>>, key: string, headers: Record<string, string> = {}) {
  const r = await s3(o, { method: 'POST', path: `/${BUCKET}/${key}?uploads`, headers });
  assert.equal(r.status, 200, r.text);
  assert.equal(xmlField(r.text, 'Key'), decodeURIComponent(key));
  return xmlField(r.text, 'UploadId') as string;
}

async function part(o: Awaited<ReturnType<typeof origin>>, key: string, id: string, n: number, body: Buffer) {
  const r = await s3(o, { method: 'PUT', path: `/${BUCKET}/${key}?partNumber=${n}&uploadId=${encodeURIComponent(id)}`, body, headers: { 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD' } });
  assert.equal(r.status, 200, r.text);
  return r.headers.etag as string;
}

const completeBody = (parts: Array<[number, string]>) =>
  `<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${parts.map(([n, e]) => `<Part><ETag>${e}</ETag><PartNumber>${n}</PartNumber></Part>`).join('')}</CompleteMultipartUpload>`;

test('create, upload two parts, list, complete, read back', async (t) => {
  const o = await origin(t);
  const key = 'big%20file.bin';
  const id = await create(o, key, { 'Content-Type': 'video/mp4', 'x-amz-meta-camera': 'A' });
  const p1 = Buffer.alloc(5 * MiB, 1);
  const p2 = Buffer.from('tail bytes');
  const e1 = await part(o, key, id, 1, p1);
  const e2 = await part(o, key, id, 2, p2);
  assert.equal(e1, `"${md5(p1).toString('hex')}"`);

  const list = await s3(o, { path: `/${BUCKET}/${key}?uploadId=${encodeURIComponent(id)}` });
  assert.equal(list.status, 200, list.text);
  assert.deepEqual(xmlFields(list.text, 'PartNumber'), ['1', '2']);
  assert.deepEqual(xmlFields(list.text, 'Size'), [String(p1.length), String(p2.length)]);

  const done = await s3(o, { method: 'POST', path: `/${BUCKET}/${key}?uploadId=${encodeURIComponent(id)}`, body: completeBody([[1, e1], [2, e2]]) });
  assert.equal(done.status, 200, done.text);
  const expectedEtag = `"${createHash('md5').update(Buffer.concat([md5(p1), md5(p2)])).digest('hex')}-2"`;
  assert.equal(xmlField(done.text, 'ETag'), expectedEtag);

  const get = await s3(o, { method: 'HEAD', path: `/${BUCKET}/${key}` });
  assert.equal(get.headers.etag, expectedEtag);
  assert.equal(get.headers['content-type'], 'video/mp4');
  assert.equal(get.headers['x-amz-meta-camera'], 'A');
  assert.deepEqual(await o.getObject(BUCKET, 'big file.bin'), Buffer.concat([p1, p2]));
  const again = await s3(o, { path: `/${BUCKET}/${key}?uploadId=${encodeURIComponent(id)}` });
  assert.equal(xmlField(again.text, 'Code'), 'NoSuchUpload');
});

test('a non-last part under 5 MiB is EntityTooSmall; a wrong order InvalidPartOrder; a wrong ETag InvalidPart', async (t) => {
  const o = await origin(t);
  const id = await create(o, 'k');
  const e1 = await part(o, 'k', id, 1, Buffer.from('small'));
  const e2 = await part(o, 'k', id, 2, Buffer.from('tail'));
  const post = (body: string) => s3(o, { method: 'POST', path: `/${BUCKET}/k?uploadId=${encodeURIComponent(id)}`, body });
  assert.equal(xmlField((await post(completeBody([[1, e1], [2, e2]]))).text, 'Code'), 'EntityTooSmall');
  assert.equal(xmlField((await post(completeBody([[2, e2], [1, e1]]))).text, 'Code'), 'InvalidPartOrder');
  assert.equal(xmlField((await post(completeBody([[1, '"0123"']]))).text, 'Code'), 'InvalidPart');
  assert.equal(xmlField((await post('<nope/>')).text, 'Code'), 'MalformedXML');
  // A single small part is fine (it is the last one).
  const ok = await post(completeBody([[2, e2]]));
  assert.equal(ok.status, 200, ok.text);
  assert.equal((await o.getObject(BUCKET, 'k'))?.toString(), 'tail');
});

test('abort removes the upload; later parts are NoSuchUpload', async (t) => {
  const o = await origin(t);
  const id = await create(o, 'k');
  await part(o, 'k', id, 1, Buffer.from('x'));
  const abort = await s3(o, { method: 'DELETE', path: `/${BUCKET}/k?uploadId=${encodeURIComponent(id)}` });
  assert.equal(abort.status, 204);
  const r = await s3(o, { method: 'PUT', path: `/${BUCKET}/k?partNumber=2&uploadId=${encodeURIComponent(id)}`, body: 'y' });
  assert.equal(r.status, 404);
  assert.equal(xmlField(r.text, 'Code'), 'NoSuchUpload');
  assert.equal(await o.getObject(BUCKET, 'k'), undefined);
});

test('part numbers outside 1..10000 are InvalidArgument', async (t) => {
  const o = await origin(t);
  const id = await create(o, 'k');
  for (const n of ['0', '10001', 'x']) {
    const r = await s3(o, { method: 'PUT', path: `/${BUCKET}/k?partNumber=${n}&uploadId=${encodeURIComponent(id)}`, body: 'y' });
    assert.equal(r.status, 400, n);
    assert.equal(xmlField(r.text, 'Code'), 'InvalidArgument');
  }
});
