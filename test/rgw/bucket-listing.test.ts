// README "Listing a block like a bucket", against a real store: Ceph RGW's own continuation tokens,
// markers and url encoding, through the CLI proxy, read by the AWS SDK for JavaScript. Keys are put
// straight into RGW (signed independently), under the block's keyPrefix and beside it; the SDK's
// listings, paged, hold exactly those under it, without the prefix.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { startProxyCli } from '../support/proxy-cli.js';
import { createBucket, encodeKey, rgwSkipReason, signedRequest, startRgw } from '../support/rgw.js';
import { writesBlock } from '../support/rgw-writes-helpers.js';
import { listV1Keys, listV2Keys } from '../support/sdk-listing.js';

const byBytes = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));
const INSIDE = ['a.txt', 'with space.ts', 'plus+sign.ts', 'percent%25literal.txt', 'unicode/vidéo/日本語.ts', 'emoji 😀.txt', 'seg/000.ts', 'seg/001.ts', 'seg/002.ts', 'trailing/'].sort(byBytes);
const OUTSIDE = ['secret.txt', 'livestock/cow.txt', 'live'];

test('S3 clients list a listObjects block over Ceph RGW: paged V2 and V1, keys under keyPrefix only', { skip: rgwSkipReason(), timeout: 300_000 }, async (t) => {
  const rgw = await startRgw();
  t.after(() => rgw.stop());
  const bucket = `list-${randomBytes(4).toString('hex')}`;
  await createBucket(rgw, bucket);
  for (const key of [...INSIDE.map((k) => `live/${k}`), ...OUTSIDE]) {
    const res = await signedRequest(rgw, 'PUT', `/${bucket}/${encodeKey(key)}`, { body: `object ${key}` });
    assert.equal(res.status, 200, `${key}: ${res.body.toString()}`);
  }
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    proxies: [writesBlock(rgw, { path: '/live/', bucket, payload: 'unsigned', extra: { upstream: { type: 's3', bucket, region: 'us-east-1', endpoint: rgw.endpoint, addressing: 'path', keyPrefix: 'live/' }, listObjects: true } })],
  });
  const s3 = new S3Client({ endpoint: proxy.url, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'AKIAVIEWERLISTRGW001', secretAccessKey: 'viewer-list-secret' }, maxAttempts: 1 });
  t.after(() => s3.destroy());

  for (const encoding of [undefined, 'url'] as const) {
    await t.test(`ListObjectsV2 by 3, continuation tokens from RGW${encoding ? ', encoding-type=url' : ''}`, async () => {
      assert.deepEqual(await listV2Keys(s3, { Bucket: 'live', MaxKeys: 3, ...(encoding ? { EncodingType: encoding } : {}) }), INSIDE);
    });
  }

  await t.test('ListObjects by marker, and folders by delimiter', async () => {
    assert.deepEqual(await listV1Keys(s3, 'live', 4), INSIDE);
    const folders = await s3.send(new ListObjectsV2Command({ Bucket: 'live', Delimiter: '/' }));
    assert.deepEqual((folders.CommonPrefixes ?? []).map((p) => p.Prefix), ['seg/', 'trailing/', 'unicode/']);
    const seg = await s3.send(new ListObjectsV2Command({ Bucket: 'live', Prefix: 'seg/', StartAfter: 'seg/000.ts' }));
    assert.deepEqual((seg.Contents ?? []).map((o) => [o.Key, o.Size]), [['seg/001.ts', 'object live/seg/001.ts'.length], ['seg/002.ts', 'object live/seg/002.ts'.length]]);
  });
});
