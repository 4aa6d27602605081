/**
 * aws-chunked uploads over HTTP: the seed request is signed by aws4, the chunk
 * signatures by a hand-written chain; the origin stores the decoded bytes,
 * and refuses a bad chunk signature (403), a wrong decoded length (400
 * IncompleteBody) and a chunked transfer without x-amz-decoded-content-length (411).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { awsChunked, awsChunkedLength } from '../../support/hand-signers.js';
import { BUCKET, amzDate, origin, raw, signAws4, xmlField } from '../../support/origin-client.js';

const NOW = Date.UTC(2024, 4, 5, 6, 7, 8);

function chunkedPut(port: number, key: string, data: Buffer, chunkSize: number, opts: { decodedLength?: number; tamper?: boolean } = {}) {
  const framedLength = awsChunkedLength(data.length, chunkSize);
  const { path, headers } = signAws4(port, {
    method: 'PUT',
    path: `/${BUCKET}/${key}`,
    headers: {
      'X-Amz-Date': amzDate(NOW),
      'X-Amz-Content-Sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
      'Content-Encoding': 'aws-chunked',
      'X-Amz-Decoded-Content-Length': String(opts.decodedLength ?? data.length),
      'Content-Length': String(framedLength),
      'Content-Type': 'application/octet-stream',
    },
  });
  const seedSignature = /Signature=([0-9a-f]{64})/.exec(headers['Authorization'] ?? '')?.[1] as string;
  const body = awsChunked(data, chunkSize, { seedSignature, amzDate: amzDate(NOW) });
  assert.equal(body.length, framedLength);
  if (opts.tamper) {
    // Replace one hex digit inside the final chunk's signature with another hex digit.
    const i = body.length - 20;
    body[i] = body[i] === 0x61 ? 0x62 : 0x61;
  }
  return raw(port, { method: 'PUT', path, headers, body });
}

test('a signed aws-chunked upload is decoded and stored', async (t) => {
  const o = await origin(t, { clock: () => NOW });
  const data = randomBytes(200_000);
  const r = await chunkedPut(o.port, 'chunked.bin', data, 64 * 1024);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(await o.getObject(BUCKET, 'chunked.bin'), data);
  const head = await raw(o.port, { method: 'HEAD', path: `/${BUCKET}/chunked.bin`, headers: signAws4(o.port, { method: 'HEAD', path: `/${BUCKET}/chunked.bin`, headers: { 'X-Amz-Date': amzDate(NOW) } }).headers });
  assert.equal(head.headers['content-encoding'], undefined, 'aws-chunked is not stored as a content-encoding');
  assert.equal(head.headers['content-length'], String(data.length));
  assert.ok(o.requests[0] && o.requests[0].bytesIn > data.length);
});

test('a bad chunk signature is 403 SignatureDoesNotMatch and nothing is stored', async (t) => {
  const o = await origin(t, { clock: () => NOW });
  const r = await chunkedPut(o.port, 'bad.bin', randomBytes(20_000), 8192, { tamper: true });
  assert.equal(r.status, 403);
  assert.equal(xmlField(r.text, 'Code'), 'SignatureDoesNotMatch');
  assert.equal(await o.getObject(BUCKET, 'bad.bin'), undefined);
});

test('x-amz-decoded-content-length different from the decoded size is 400 IncompleteBody', async (t) => {
  const o = await origin(t, { clock: () => NOW });
  const r = await chunkedPut(o.port, 'len.bin', randomBytes(10_000), 8192, { decodedLength: 10_001 });
  assert.equal(r.status, 400);
  assert.equal(xmlField(r.text, 'Code'), 'IncompleteBody');
  assert.equal(await o.getObject(BUCKET, 'len.bin'), undefined);
});

test('a non-final chunk under 8 KiB is InvalidChunkSizeError', async (t) => {
  const o = await origin(t, { clock: () => NOW });
  const r = await chunkedPut(o.port, 'small.bin', randomBytes(10_000), 4096);
  assert.equal(r.status, 403);
  assert.equal(xmlField(r.text, 'Code'), 'InvalidChunkSizeError');
});

test('Transfer-Encoding: chunked without x-amz-decoded-content-length is 411 MissingContentLength', async (t) => {
  const o = await origin(t, { clock: () => NOW });
  const { path, headers } = signAws4(o.port, {
    method: 'PUT',
    path: `/${BUCKET}/te.bin`,
    headers: { 'X-Amz-Date': amzDate(NOW), 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD' },
  });
  const r = await raw(o.port, { method: 'PUT', path, headers: { ...headers, 'Transfer-Encoding': 'chunked' }, body: 'some data' });
  assert.equal(r.status, 411);
  assert.equal(xmlField(r.text, 'Code'), 'MissingContentLength');
  assert.equal(await o.getObject(BUCKET, 'te.bin'), undefined);
});
