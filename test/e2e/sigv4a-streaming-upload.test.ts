// SigV4A aws-chunked uploads (README "Payload modes", "SigV4A: multi-region access points"): a v4a
// block with payload: streaming, through the CLI, in front of a multi-region access point served by
// the strict origin, which checks the seed signature and every ECDSA chunk signature
// (STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, each padded to 144 characters, chained unpadded).
// Uploads of 1 byte, exactly one chunk, several chunks and 3 MiB are stored byte-identical, with
// session credentials too (an empty one has no body to frame); a multipart upload's parts go the
// same way, its CreateMultipartUpload (no body) and CompleteMultipartUpload (XML, UNSIGNED-PAYLOAD)
// do not (S3 takes aws-chunked for object data only); the wrong secret is refused by the origin
// and nothing is stored.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { generatedBytes, md5Hex } from '../support/generated-body.js';
import { raw, xmlField } from '../support/origin-client.js';
import { startProxyCli } from '../support/proxy-cli.js';
import { MiB } from '../support/sizes.js';

const MRAP = 'arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap';
const ALIAS = 'mfzwi23gnjvgw.mrap';
const BUCKET = 'mrap-streaming-bucket';
const PLAIN = { accessKeyId: 'AKIDSIGV4ASTREAM0001', secretAccessKey: 'sigv4a/stream+SECRET=0123456789abcdef' };
const TEMP = { accessKeyId: 'ASIASIGV4ASTREAM0002', secretAccessKey: 'sigv4a/stream/temporary+SECRET', sessionToken: 'FwoGZXIvYXdzEXAMPLE/stream+token' };
const ECDSA_STREAMING = 'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD';
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

test('SigV4A payload: streaming uploads, every chunk signed with ECDSA', { timeout: 180_000 }, async (t) => {
  const origin = await startStrictOrigin({ credentials: [PLAIN, TEMP], buckets: [BUCKET], region: 'us-east-1' });
  t.after(() => origin.close());
  origin.createAccessPoint({ name: ALIAS, account: '123456789012', region: '', bucket: BUCKET });
  const block = (path: string, credentials: string) => ({
    path,
    upstream: { accessPoint: MRAP, region: '*', endpoint: `http://localhost:${origin.port}`, keyPrefix: path.slice(1) },
    credentials,
    signing: { version: 'v4a', payload: 'streaming' },
    methods: ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'],
  });
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    credentials: { plain: PLAIN, temporary: TEMP, wrong: { ...PLAIN, secretAccessKey: 'not-the-secret-the-origin-knows' } },
    proxies: [block('/s/', 'plain'), block('/st/', 'temporary'), block('/sw/', 'wrong')],
  });

  for (const [prefix, size] of [['s', 0], ['s', 1], ['s', 64 * 1024], ['s', 3 * 64 * 1024 + 5], ['s', 3 * MiB], ['st', 200_000]] as const) {
    await t.test(`/${prefix}/ ${size} bytes`, async () => {
      const body = generatedBytes(size, `v4a streaming ${prefix} ${size}`);
      const before = origin.requests.length;
      const put = await raw(proxy.port, { method: 'PUT', path: `/${prefix}/up/${size}.bin`, headers: { 'content-length': size, 'content-type': 'application/octet-stream' }, body });
      assert.equal(put.status, 200, put.text.slice(0, 800));
      const [r, ...more] = origin.requests.slice(before);
      assert.equal(more.length, 0);
      assert.equal(r!.auth, 'v4a-header');
      if (size === 0) {
        // No body, nothing to frame: the empty body's hash is signed, as SigV4 does.
        assert.equal(r!.headers['x-amz-content-sha256'], EMPTY_SHA256);
      } else {
        assert.equal(r!.headers['x-amz-content-sha256'], ECDSA_STREAMING);
        assert.equal(r!.headers['x-amz-decoded-content-length'], String(size));
        assert.match(String(r!.headers['content-encoding']), /^aws-chunked/);
      }
      if (prefix === 'st') assert.equal(r!.headers['x-amz-security-token'], TEMP.sessionToken);
      const stored = await origin.getObject(BUCKET, `${prefix}/up/${size}.bin`);
      assert.ok(stored, 'stored');
      assert.equal(sha(stored), sha(body), 'byte-identical');
      const got = await raw(proxy.port, { path: `/${prefix}/up/${size}.bin` });
      assert.equal(got.status, 200);
      assert.equal(got.headers['content-encoding'], undefined, 'aws-chunked is framing, not the object');
    });
  }

  await t.test('a multipart upload: parts in ECDSA-signed frames, create and complete not', async () => {
    const path = '/s/mpu/part (1)+x.bin';
    const encoded = '/s/mpu/part%20%281%29%2Bx.bin';
    const before = origin.requests.length;
    const created = await raw(proxy.port, { method: 'POST', path: `${encoded}?uploads` });
    assert.equal(created.status, 200, created.text.slice(0, 500));
    const id = encodeURIComponent(xmlField(created.text, 'UploadId')!);
    const parts = [generatedBytes(5 * MiB, 'v4a part 1'), generatedBytes(MiB + 3, 'v4a part 2')];
    const etags: string[] = [];
    for (const [i, body] of parts.entries()) {
      const res = await raw(proxy.port, { method: 'PUT', path: `${encoded}?partNumber=${i + 1}&uploadId=${id}`, headers: { 'content-length': body.length }, body });
      assert.equal(res.status, 200, res.text.slice(0, 500));
      assert.equal(res.headers.etag, `"${md5Hex(body)}"`);
      etags.push(String(res.headers.etag));
    }
    const xml = `<CompleteMultipartUpload>${etags.map((e, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${e}</ETag></Part>`).join('')}</CompleteMultipartUpload>`;
    const done = await raw(proxy.port, { method: 'POST', path: `${encoded}?uploadId=${id}`, headers: { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(xml) }, body: xml });
    assert.equal(done.status, 200, done.text.slice(0, 500));
    const seen = origin.requests.slice(before);
    assert.deepEqual(seen.map((r) => [r.method, r.auth, r.status]), [['POST', 'v4a-header', 200], ['PUT', 'v4a-header', 200], ['PUT', 'v4a-header', 200], ['POST', 'v4a-header', 200]]);
    assert.deepEqual(seen.map((r) => r.headers['x-amz-content-sha256']), [EMPTY_SHA256, ECDSA_STREAMING, ECDSA_STREAMING, 'UNSIGNED-PAYLOAD']);
    assert.ok((await origin.getObject(BUCKET, path.slice(1)))?.equals(Buffer.concat(parts)), 'the object is the parts concatenated');
  });

  await t.test('the wrong secret: the origin refuses the seed signature, nothing is stored', async () => {
    const body = generatedBytes(100_000, 'wrong');
    const put = await raw(proxy.port, { method: 'PUT', path: '/sw/up/wrong.bin', headers: { 'content-length': body.length }, body });
    assert.equal(put.status, 403, put.text.slice(0, 500));
    assert.equal(origin.requests.at(-1)!.errorCode, 'SignatureDoesNotMatch');
    assert.equal(await origin.getObject(BUCKET, 'sw/up/wrong.bin'), undefined);
  });
});
