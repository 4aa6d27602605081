// The AWS SDK for JavaScript v3 as a viewer, the way an application uploads and reads through the
// proxy: path-style, its own (ignored) credentials, its defaults. Regressions: every request was
// refused for its `?x-id=GetObject` / `?x-id=PutObject`; a stream upload (aws-chunked with a
// trailing checksum) was stored with its framing, chunk headers and trailer inside the object; the
// proxy's refusals, in JSON, reached the SDK as "XML parse error".
// Against the strict origin, through the CLI, in every payload mode.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import {
  CompleteMultipartUploadCommand, CopyObjectCommand, CreateMultipartUploadCommand, DeleteObjectCommand, GetObjectCommand,
  HeadObjectCommand, PutObjectCommand, S3Client, UploadPartCommand, type ChecksumAlgorithm,
} from '@aws-sdk/client-s3';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { awsChecksum } from '../support/aws-chunked-frames.js';
import { BUCKET, KEYS } from '../support/modes-fixture.js';
import { startProxyCli } from '../support/proxy-cli.js';
import { writeBlock, type PayloadMode } from '../support/writes-helpers.js';

const METHODS = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'];
const bytes = (n: number, seed: number): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + seed + (i >> 10)) & 0xff));

test('the AWS SDK for JavaScript reads, writes and uploads in parts through the proxy', { timeout: 120_000 }, async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  const modes: PayloadMode[] = ['unsigned', 'sha256', 'streaming'];
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    proxies: modes.map((payload) => writeBlock(origin.port, { path: `/${payload}/`, bucket: BUCKET, credentials: KEYS, payload, methods: METHODS, keyPrefix: `${payload}/` })),
  });
  const s3 = new S3Client({
    endpoint: proxy.url,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIAVIEWERSDKCLIENT0', secretAccessKey: 'viewer-sdk-secret-never-forwarded' },
    maxAttempts: 1,
  });
  t.after(() => s3.destroy());
  const read = async (Bucket: string, Key: string): Promise<Buffer> => Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket, Key }))).Body!.transformToByteArray());

  for (const mode of modes) {
    await t.test(`payload: ${mode}: PutObject from a string (header checksum), then Get, Head, Delete`, async () => {
      await s3.send(new PutObjectCommand({ Bucket: mode, Key: 'notes/a b.txt', Body: 'hello from the SDK', ContentType: 'text/plain' }));
      assert.equal((await read(mode, 'notes/a b.txt')).toString(), 'hello from the SDK');
      assert.equal((await origin.getObject(BUCKET, `${mode}/notes/a b.txt`))?.toString(), 'hello from the SDK');
      const head = await s3.send(new HeadObjectCommand({ Bucket: mode, Key: 'notes/a b.txt' }));
      assert.equal(head.ContentLength, 18);
      assert.equal(head.ContentType, 'text/plain');
      await s3.send(new DeleteObjectCommand({ Bucket: mode, Key: 'notes/a b.txt' }));
      assert.equal(await origin.getObject(BUCKET, `${mode}/notes/a b.txt`), undefined);
    });

    for (const algorithm of ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA256'] as ChecksumAlgorithm[]) {
      await t.test(`payload: ${mode}: PutObject from a stream (aws-chunked, ${algorithm} trailer) stores the object, not its framing`, async () => {
        const body = bytes(300_000, algorithm.length);
        await s3.send(new PutObjectCommand({ Bucket: mode, Key: `seg-${algorithm}.ts`, Body: Readable.from([body.subarray(0, 100_000), body.subarray(100_000)]), ContentLength: body.length, ChecksumAlgorithm: algorithm }));
        const sent = origin.requests.at(-1)!;
        assert.equal(sent.headers['x-amz-trailer'], undefined, 'the viewer trailer stays behind');
        // Checked by the proxy, then passed on as a header (the upload fits the spool).
        assert.equal(sent.headers[`x-amz-checksum-${algorithm.toLowerCase()}`], await awsChecksum(algorithm, body));
        // payload: streaming frames the object again, with the proxy's own chunk signatures.
        assert.equal(sent.headers['content-encoding'], mode === 'streaming' ? 'aws-chunked' : undefined);
        assert.equal(sent.headers['x-amz-decoded-content-length'], mode === 'streaming' ? String(body.length) : undefined);
        assert.ok((await origin.getObject(BUCKET, `${mode}/seg-${algorithm}.ts`))?.equals(body), 'stored byte-exact');
        assert.ok((await read(mode, `seg-${algorithm}.ts`)).equals(body));
      });
    }
  }

  for (const mode of modes) {
    await t.test(`payload: ${mode}: a multipart upload of streamed parts (UploadPart with x-id and a trailer)`, async () => {
      const part1 = bytes(5 * 1024 * 1024, 1);
      const part2 = bytes(123_457, 2);
      const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: mode, Key: 'big.mp4', ChecksumAlgorithm: 'CRC32' }));
      const parts = [];
      for (const [i, data] of [part1, part2].entries()) {
        const r = await s3.send(new UploadPartCommand({ Bucket: mode, Key: 'big.mp4', UploadId, PartNumber: i + 1, Body: Readable.from([data]), ContentLength: data.length, ChecksumAlgorithm: 'CRC32' }));
        // Each part carries its checksum to the store, as an upload started with an algorithm needs.
        assert.equal(origin.requests.at(-1)!.headers['x-amz-checksum-crc32'], await awsChecksum('CRC32', data));
        parts.push({ PartNumber: i + 1, ETag: r.ETag, ChecksumCRC32: r.ChecksumCRC32 });
      }
      await s3.send(new CompleteMultipartUploadCommand({ Bucket: mode, Key: 'big.mp4', UploadId, MultipartUpload: { Parts: parts } }));
      assert.ok((await origin.getObject(BUCKET, `${mode}/big.mp4`))?.equals(Buffer.concat([part1, part2])));
    });
  }

  await t.test('CopyObject is refused and reaches nothing', async () => {
    const before = origin.requests.length;
    // The refusal in S3's XML error shape, so the SDK reports its code and reason.
    await assert.rejects(s3.send(new CopyObjectCommand({ Bucket: 'unsigned', Key: 'copy.ts', CopySource: `unsigned/seg-CRC32.ts` })), (err: Error & { $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(err.$metadata?.httpStatusCode, 400);
      assert.equal(err.name, 'OS_ERR_COPY_REFUSED');
      assert.match(err.message, /x-amz-copy-source names another object/);
      return true;
    });
    assert.equal(origin.requests.length, before);
  });

  await t.test('PutObject asking for SSE-KMS is refused, not stored plain', async () => {
    const before = origin.requests.length;
    const put = new PutObjectCommand({ Bucket: 'unsigned', Key: 'kms.ts', Body: 'secret segment', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: 'viewer-key' });
    await assert.rejects(s3.send(put), (err: Error & { $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(err.$metadata?.httpStatusCode, 400);
      assert.equal(err.name, 'OS_ERR_PROTECTION_NOT_FORWARDED');
      assert.match(err.message, /x-amz-server-side-encryption[a-z-]* asks the store to encrypt/);
      return true;
    });
    assert.equal(origin.requests.length, before);
    assert.equal(await origin.getObject(BUCKET, 'unsigned/kms.ts'), undefined);
  });

  await t.test("the viewer's credentials and chunk signatures never reached the store", () => {
    for (const r of origin.requests) assert.doesNotMatch(JSON.stringify(r), /AKIAVIEWERSDKCLIENT0|viewer-sdk-secret/);
  });
});
