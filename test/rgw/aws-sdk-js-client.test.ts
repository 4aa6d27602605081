// The AWS SDK for JavaScript v3 through the CLI proxy into a real Ceph RGW: what the strict
// origin cannot vouch for — that a real store takes the proxy's requests for an SDK's streamed
// uploads (aws-chunked with a trailing checksum, taken apart and checked by the proxy, the checksum
// passed on as a header when spooled, or sent without it past spool.maxSize), plain and in parts,
// in the unsigned, sha256 and streaming payload modes, and that the object read back is the one
// sent. A direct, independently signed GET on RGW agrees.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import {
  CompleteMultipartUploadCommand, CreateMultipartUploadCommand, GetObjectCommand, PutObjectCommand, S3Client, UploadPartCommand, type ChecksumAlgorithm,
} from '@aws-sdk/client-s3';
import { startProxyCli } from '../support/proxy-cli.js';
import { createBucket, rgwSkipReason, signedRequest, startRgw } from '../support/rgw.js';
import { writesBlock } from '../support/rgw-writes-helpers.js';
import type { PayloadMode } from '../support/writes-helpers.js';

const MODES: readonly PayloadMode[] = ['unsigned', 'sha256', 'streaming'];
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

test('the AWS SDK for JavaScript through the proxy into Ceph RGW: streamed uploads with checksums, in parts', { skip: rgwSkipReason(), timeout: 600_000 }, async (t) => {
  const rgw = await startRgw();
  t.after(() => rgw.stop());
  const bucket = `sdk-${randomBytes(4).toString('hex')}`;
  await createBucket(rgw, bucket);
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    proxies: [
      ...MODES.map((payload) => writesBlock(rgw, { path: `/${payload}/`, bucket, payload, extra: { upstream: { type: 's3', bucket, region: 'us-east-1', endpoint: rgw.endpoint, addressing: 'path', keyPrefix: `${payload}/` } } })),
      // Too small a spool for the upload: streamed through, its checksum checked but not passed on.
      writesBlock(rgw, { path: '/nospool/', bucket, payload: 'unsigned', spoolMaxSize: 1024, extra: { upstream: { type: 's3', bucket, region: 'us-east-1', endpoint: rgw.endpoint, addressing: 'path', keyPrefix: 'nospool/' } } }),
    ],
  });
  const s3 = new S3Client({ endpoint: proxy.url, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'AKIAVIEWERSDKCLIENT0', secretAccessKey: 'viewer-sdk-secret' }, maxAttempts: 1 });
  t.after(() => s3.destroy());
  const readBack = async (block: string, key: string): Promise<Buffer> => Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: block, Key: key }))).Body!.transformToByteArray());
  const direct = async (key: string): Promise<Buffer> => {
    const res = await signedRequest(rgw, 'GET', `/${bucket}/${key}`);
    assert.equal(res.status, 200, `direct GET ${key}`);
    return res.body;
  };

  for (const block of [...MODES, 'nospool']) {
    for (const algorithm of ['CRC32', 'SHA256'] as ChecksumAlgorithm[]) {
      await t.test(`${block}: PutObject from a stream with a ${algorithm} trailer`, async () => {
        const body = randomBytes(200_000);
        await s3.send(new PutObjectCommand({ Bucket: block, Key: `put-${algorithm}.bin`, Body: Readable.from([body]), ContentLength: body.length, ChecksumAlgorithm: algorithm }));
        assert.equal(sha(await readBack(block, `put-${algorithm}.bin`)), sha(body));
        assert.equal(sha(await direct(`${block}/put-${algorithm}.bin`)), sha(body), 'RGW holds the object, not its framing');
      });
    }
  }

  for (const block of ['unsigned', 'streaming']) {
    await t.test(`${block}: a multipart upload started with a checksum algorithm, parts streamed`, async () => {
      const parts = [randomBytes(5 * 1024 * 1024), randomBytes(300_000)];
      const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: block, Key: 'mpu.bin', ChecksumAlgorithm: 'CRC32' }));
      const done = [];
      for (const [i, data] of parts.entries()) {
        const r = await s3.send(new UploadPartCommand({ Bucket: block, Key: 'mpu.bin', UploadId, PartNumber: i + 1, Body: Readable.from([data]), ContentLength: data.length, ChecksumAlgorithm: 'CRC32' }));
        done.push({ PartNumber: i + 1, ETag: r.ETag, ...(r.ChecksumCRC32 ? { ChecksumCRC32: r.ChecksumCRC32 } : {}) });
      }
      await s3.send(new CompleteMultipartUploadCommand({ Bucket: block, Key: 'mpu.bin', UploadId, MultipartUpload: { Parts: done } }));
      assert.equal(sha(await direct(`${block}/mpu.bin`)), sha(Buffer.concat(parts)));
    });
  }
});
