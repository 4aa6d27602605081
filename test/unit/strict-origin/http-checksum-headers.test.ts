/**
 * PutObject and UploadPart with an x-amz-checksum-* header: the strict origin computes the named
 * checksum over the bytes it received and refuses a mismatch (400 BadDigest, nothing stored), as
 * S3 does, so a proxy forwarding a checksum its body does not have is caught.
 * Expected values are the algorithms' published check values over "123456789" (CRC RevEng
 * catalogue: CRC-32/ISO-HDLC, CRC-32/ISCSI, CRC-64/NVME), not computed here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { BUCKET, origin, s3, xmlField } from '../../support/origin-client.js';

const BODY = '123456789';
const hex64 = (hex: string): string => Buffer.from(hex, 'hex').toString('base64');
const CHECKS: Record<string, string> = {
  'x-amz-checksum-crc32': hex64('cbf43926'),
  'x-amz-checksum-crc32c': hex64('e3069283'),
  'x-amz-checksum-crc64nvme': hex64('ae8b14860a799888'),
  'x-amz-checksum-sha1': createHash('sha1').update(BODY).digest('base64'),
  'x-amz-checksum-sha256': createHash('sha256').update(BODY).digest('base64'),
};
const NAMES: Record<string, string> = {
  'x-amz-checksum-crc32': 'CRC32', 'x-amz-checksum-crc32c': 'CRC32C', 'x-amz-checksum-crc64nvme': 'CRC64NVME',
  'x-amz-checksum-sha1': 'SHA1', 'x-amz-checksum-sha256': 'SHA256',
};

for (const [header, value] of Object.entries(CHECKS)) {
  test(`${header}: the right value is stored, another is BadDigest and stores nothing`, async (t) => {
    const o = await origin(t);
    const ok = await s3(o, { method: 'PUT', path: `/${BUCKET}/ok`, body: BODY, headers: { [header]: value } });
    assert.equal(ok.status, 200, ok.text);
    assert.equal((await o.getObject(BUCKET, 'ok'))?.toString(), BODY);

    await o.putObject(BUCKET, 'kept', 'original');
    const bad = await s3(o, { method: 'PUT', path: `/${BUCKET}/kept`, body: '123456780', headers: { [header]: value } });
    assert.equal(bad.status, 400, bad.text);
    assert.equal(xmlField(bad.text, 'Code'), 'BadDigest');
    assert.equal(xmlField(bad.text, 'Message'), `The ${NAMES[header]} you specified did not match the calculated checksum.`);
    assert.equal((await o.getObject(BUCKET, 'kept'))?.toString(), 'original');
  });
}

test('a checksum value of the wrong length or not base64 is InvalidRequest', async (t) => {
  const o = await origin(t);
  for (const value of ['AAAA', 'not base64!', hex64('cbf4392600')]) {
    const r = await s3(o, { method: 'PUT', path: `/${BUCKET}/k`, body: BODY, headers: { 'x-amz-checksum-crc32': value } });
    assert.equal(r.status, 400, value);
    assert.equal(xmlField(r.text, 'Code'), 'InvalidRequest');
    assert.equal(xmlField(r.text, 'Message'), 'Value for x-amz-checksum-crc32 header is invalid.');
  }
  assert.equal(await o.getObject(BUCKET, 'k'), undefined);
});

test('two checksum headers are InvalidRequest, even when both are right', async (t) => {
  const o = await origin(t);
  const headers = { 'x-amz-checksum-crc32': CHECKS['x-amz-checksum-crc32']!, 'x-amz-checksum-sha256': CHECKS['x-amz-checksum-sha256']! };
  const r = await s3(o, { method: 'PUT', path: `/${BUCKET}/k`, body: BODY, headers });
  assert.equal(r.status, 400);
  assert.equal(xmlField(r.text, 'Code'), 'InvalidRequest');
  assert.equal(await o.getObject(BUCKET, 'k'), undefined);
});

test('UploadPart checks its checksum over the part; CreateMultipartUpload\'s algorithm header is no value', async (t) => {
  const o = await origin(t);
  const created = await s3(o, { method: 'POST', path: `/${BUCKET}/m?uploads`, headers: { 'x-amz-checksum-algorithm': 'CRC32' } });
  assert.equal(created.status, 200, created.text);
  const id = encodeURIComponent(xmlField(created.text, 'UploadId')!);
  const headers = { 'x-amz-checksum-crc32': CHECKS['x-amz-checksum-crc32']! };
  const bad = await s3(o, { method: 'PUT', path: `/${BUCKET}/m?partNumber=1&uploadId=${id}`, body: '000000000', headers });
  assert.equal(bad.status, 400, bad.text);
  assert.equal(xmlField(bad.text, 'Code'), 'BadDigest');
  const ok = await s3(o, { method: 'PUT', path: `/${BUCKET}/m?partNumber=1&uploadId=${id}`, body: BODY, headers });
  assert.equal(ok.status, 200, ok.text);
});
