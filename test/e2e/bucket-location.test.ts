// README "Listing a block like a bucket": minio-go (mc, restic) and the SDKs ask a bucket's region
// (GetBucketLocation, `GET /live?location`) before they list or copy when none is configured; the
// proxy refused it with 400. A listObjects block now answers its own region, as S3 does (empty for
// us-east-1), and nothing reaches the store.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GetBucketLocationCommand, S3Client } from '@aws-sdk/client-s3';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { BUCKET, KEYS } from '../support/modes-fixture.js';
import { raw } from '../support/origin-client.js';
import { startProxyCli } from '../support/proxy-cli.js';
import { writeBlock } from '../support/writes-helpers.js';

test('GetBucketLocation of a listObjects block: its region, from the proxy', async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  const east = writeBlock(origin.port, { path: '/live/', bucket: BUCKET, credentials: KEYS, keyPrefix: 'live/', methods: ['GET', 'HEAD'] });
  east.listObjects = true;
  const eu = writeBlock(origin.port, { path: '/eu/', bucket: BUCKET, credentials: KEYS, keyPrefix: 'eu/', methods: ['GET', 'HEAD'] });
  eu.listObjects = true;
  (eu.upstream as Record<string, unknown>).region = 'eu-west-1';
  const plain = writeBlock(origin.port, { path: '/plain/', bucket: BUCKET, credentials: KEYS, keyPrefix: 'plain/', methods: ['GET', 'HEAD'] });
  const proxy = await startProxyCli(t, { server: { host: '127.0.0.1', port: 0 }, proxies: [east, eu, plain] });
  const s3 = new S3Client({ endpoint: proxy.url, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'AKIAVIEWERLOCATION01', secretAccessKey: 'viewer-location-secret' }, maxAttempts: 1 });
  t.after(() => s3.destroy());
  const before = origin.requests.length;

  await t.test('the SDK reads eu-west-1, and nothing for us-east-1 (S3: no constraint)', async () => {
    assert.equal((await s3.send(new GetBucketLocationCommand({ Bucket: 'eu' }))).LocationConstraint, 'eu-west-1');
    assert.equal((await s3.send(new GetBucketLocationCommand({ Bucket: 'live' }))).LocationConstraint ?? '', '');
  });

  await t.test("S3's XML document, as minio-go asks it (no slash, no x-id)", async () => {
    const r = await raw(proxy.port, { path: '/eu?location' });
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/xml');
    assert.equal(r.body.toString(), '<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">eu-west-1</LocationConstraint>');
  });

  await t.test('a block without listObjects has no bucket to locate; ?location with a value or beside another operation is refused', async () => {
    assert.equal((await raw(proxy.port, { path: '/plain/?location' })).status, 404);
    for (const q of ['location=x', 'location&versions', 'location&list-type=2']) {
      const r = await raw(proxy.port, { path: `/eu/?${q}` });
      assert.equal(r.status, 400, q);
      assert.match(r.body.toString(), /OS_ERR_SUBRESOURCE_REFUSED|OS_ERR_BAD_REQUEST/, q);
    }
  });

  await t.test('nothing reached the store', () => {
    assert.equal(origin.requests.length, before);
  });
});
