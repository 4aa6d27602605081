// README "Listing a block like a bucket": `aws s3 ls` and `aws s3 sync`, rclone and s3cmd list
// before they copy, and a block answered their ListObjectsV2 / ListObjects with a 404.
// With `listObjects: true` the AWS SDK for JavaScript lists the block as a bucket holding only what
// is under keyPrefix — every awkward key, paged, by folder, after a key — and never sees a key
// outside it, nor the store's bucket or owner; other bucket operations are still refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ListMultipartUploadsCommand, ListObjectsV2Command, ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { AWKWARD_KEYS } from '../support/awkward-keys.js';
import { BUCKET, KEYS } from '../support/modes-fixture.js';
import { raw } from '../support/origin-client.js';
import { startProxyCli } from '../support/proxy-cli.js';
import { listV1Keys, listV2Keys } from '../support/sdk-listing.js';
import { writeBlock } from '../support/writes-helpers.js';

/** S3's order: UTF-8 bytes. */
const byBytes = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));
const KEYS_IN = [...AWKWARD_KEYS].sort(byBytes);
/** Beside the block's keyPrefix `live/`: the bucket's root, a prefix that starts the same, another block's. */
const OUTSIDE = ['secret.txt', 'livestock/cow.txt', 'other/x.txt', 'live'];

/** Keys a V2 client sees once it has followed every continuation token; each page names the block and counts what it holds. */
const listAll = (s3: S3Client, input: { Prefix?: string; StartAfter?: string; MaxKeys?: number; EncodingType?: 'url' }): Promise<string[]> =>
  listV2Keys(s3, { Bucket: 'live', ...input }, (page) => {
    assert.equal(page.Name, 'live');
    assert.equal(page.KeyCount, page.count);
  });

test('S3 clients list a block with listObjects like a bucket of its own', { timeout: 120_000 }, async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  for (const k of KEYS_IN) await origin.putObject(BUCKET, `live/${k}`, `object ${k}`);
  for (const k of OUTSIDE) await origin.putObject(BUCKET, k, 'not in the block');
  const listed = writeBlock(origin.port, { path: '/live/', bucket: BUCKET, credentials: KEYS, keyPrefix: 'live/', methods: ['GET', 'HEAD', 'PUT'] });
  listed.listObjects = true;
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    // A catch-all block too: `/live` must still be the listing, not the key `live` of `/`.
    proxies: [listed, writeBlock(origin.port, { path: '/plain/', bucket: BUCKET, credentials: KEYS, keyPrefix: 'live/', methods: ['GET'] }), writeBlock(origin.port, { path: '/', bucket: BUCKET, credentials: KEYS, methods: ['GET'] })],
  });
  const s3 = new S3Client({ endpoint: proxy.url, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'AKIAVIEWERLISTING001', secretAccessKey: 'viewer-listing-secret' }, maxAttempts: 1 });
  t.after(() => s3.destroy());

  await t.test('ListObjectsV2, paged by 7 and by 1000, plain and url-encoded: every key under keyPrefix, nothing else', async () => {
    assert.deepEqual(await listAll(s3, {}), KEYS_IN);
    assert.deepEqual(await listAll(s3, { MaxKeys: 7 }), KEYS_IN);
    assert.deepEqual(await listAll(s3, { MaxKeys: 7, EncodingType: 'url' }), KEYS_IN);
  });

  await t.test('prefix, start-after, and folders by delimiter', async () => {
    assert.deepEqual(await listAll(s3, { Prefix: 'unicode/' }), ['unicode/vidéo/日本語 ファイル.ts']);
    assert.deepEqual(await listAll(s3, { StartAfter: 'sub.dir/.hidden' }), KEYS_IN.filter((k) => byBytes(k, 'sub.dir/.hidden') > 0));
    assert.deepEqual(await listAll(s3, { Prefix: '../' }), [], 'a prefix is a filter under keyPrefix, not a path');
    const page = await s3.send(new ListObjectsV2Command({ Bucket: 'live', Delimiter: '/' }));
    const folders = [...new Set(KEYS_IN.filter((k) => k.includes('/')).map((k) => k.slice(0, k.indexOf('/') + 1)))];
    assert.deepEqual((page.CommonPrefixes ?? []).map((p) => p.Prefix), folders);
    assert.ok(folders.length >= 5);
    assert.ok((page.Contents ?? []).every((o) => !o.Key!.includes('/')));
    assert.equal(page.Contents?.[0]?.Owner, undefined, "the store's owner is not shown");
  });

  await t.test('ListObjects (V1), paged by marker', async () => {
    assert.deepEqual(await listV1Keys(s3, 'live', 5), KEYS_IN);
  });

  await t.test("botocore's spelling, the bucket without its slash (GET /live?list-type=2), is the block's root", async () => {
    const res = await raw(proxy.port, { path: '/live?list-type=2&prefix=unicode%2F&encoding-type=url' });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers['content-type'], 'application/xml');
    assert.match(res.text, /<Name>live<\/Name><Prefix>unicode\/<\/Prefix>.*<EncodingType>url<\/EncodingType><KeyCount>1<\/KeyCount>.*<Key>unicode\/vid%C3%A9o\/%E6%97%A5%E6%9C%AC%E8%AA%9E\+%E3%83%95%E3%82%A1%E3%82%A4%E3%83%AB\.ts<\/Key>/);
    const headBucket = await raw(proxy.port, { method: 'HEAD', path: '/live' });
    assert.equal(headBucket.status, 200, 'HeadBucket: the listing\'s head, no body');
    assert.equal(headBucket.text, '');
    const before = origin.requests.length;
    for (const path of ['/live', '/live/']) {
      const config = '<CreateBucketConfiguration><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>';
      const create = await raw(proxy.port, { method: 'PUT', path, headers: { 'content-length': config.length }, body: config });
      assert.equal(create.status, 409, `CreateBucket ${path}: ${create.text}`);
      assert.match(create.text, /<Code>BucketAlreadyOwnedByYou<\/Code>.*<BucketName>live<\/BucketName>/);
    }
    assert.equal(origin.requests.length, before, 'CreateBucket reached nothing');
    // A block that does not list is not routed without its slash: /plain is the key `plain` of `/`, where list-type is refused.
    const plain = await raw(proxy.port, { path: '/plain?list-type=2' });
    assert.equal(plain.status, 400, plain.text);
    assert.equal((JSON.parse(plain.text) as { error: string }).error, 'OS_ERR_SUBRESOURCE_REFUSED');
  });

  await t.test('nothing above keyPrefix was asked of the store', () => {
    const lists = origin.requests.filter((r) => r.method === 'GET' && /[?&]prefix=/.test(r.url));
    assert.ok(lists.length > 10, `${lists.length} list requests`);
    for (const r of lists) assert.match(r.url, /[?&]prefix=live%2F/, r.url);
    for (const r of origin.requests) assert.doesNotMatch(JSON.stringify(r), /AKIAVIEWERLISTING001|viewer-listing-secret/);
  });

  await t.test('other bucket operations are refused; a block without listObjects still has no listing', async () => {
    const before = origin.requests.length;
    for (const command of [new ListObjectVersionsCommand({ Bucket: 'live' }), new ListMultipartUploadsCommand({ Bucket: 'live' })]) {
      await assert.rejects(s3.send(command), (err: Error & { $metadata?: { httpStatusCode?: number } }) => {
        assert.equal(err.$metadata?.httpStatusCode, 400);
        assert.equal(err.name, 'OS_ERR_SUBRESOURCE_REFUSED');
        return true;
      });
    }
    // The SDK asks `GET /plain/?list-type=2`: the root of a block that does not list, S3's 404 as before.
    await assert.rejects(s3.send(new ListObjectsV2Command({ Bucket: 'plain' })), (err: Error & { $metadata?: { httpStatusCode?: number } }) => err.$metadata?.httpStatusCode === 404 && err.name === 'NoSuchKey');
    assert.equal(origin.requests.length, before, 'nothing reached the store');
  });
});
