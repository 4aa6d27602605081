// S3 Express One Zone directory buckets in the config: recognised by name, the zonal endpoint
// (virtual-hosted) and the SigV4 service s3express derived, the session mode from the methods;
// check refuses SigV2 and path addressing for them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { directoryBucketZone, s3ExpressEndpoint, sessionModeFor } from '../../src/config/directory-bucket.js';
import { checkConfigText } from '../../src/config/load.js';

const creds = { accessKeyId: 'AKIDEXPRESS', secretAccessKey: 'express-secret-0001' };

function check(upstream: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const text = stringify({ proxies: [{ path: '/x/', upstream: { type: 's3', ...upstream }, credentials: creds, ...extra }] });
  return checkConfigText(text, 'express.yaml', { env: {} });
}

test('directory bucket names: the Availability Zone id, nothing for general purpose buckets', () => {
  assert.equal(directoryBucketZone('my-bucket--usw2-az1--x-s3'), 'usw2-az1');
  assert.equal(directoryBucketZone('media--use1-az4--x-s3'), 'use1-az4');
  assert.equal(directoryBucketZone('lz--usw2-lax1-az1--x-s3'), 'usw2-lax1-az1');
  for (const general of ['my-bucket', 'my-bucket--x-s3', 'my.bucket--usw2-az1--x-s3', 'b--usw2-az1--x-s3-not', undefined]) assert.equal(directoryBucketZone(general), undefined, String(general));
  assert.equal(s3ExpressEndpoint('usw2-az1', 'us-west-2'), 'https://s3express-usw2-az1.us-west-2.amazonaws.com');
  assert.equal(sessionModeFor(['GET', 'HEAD']), 'ReadOnly');
  assert.equal(sessionModeFor(['GET', 'HEAD', 'PUT']), 'ReadWrite');
});

test('a directory bucket block: zonal endpoint, virtual-hosted, service s3express, ReadOnly for readers', () => {
  const r = check({ bucket: 'my-bucket--usw2-az1--x-s3', region: 'us-west-2' });
  assert.deepEqual(r.problems, []);
  const b = r.config!.proxies[0]!;
  assert.equal(b.host, 'my-bucket--usw2-az1--x-s3.s3express-usw2-az1.us-west-2.amazonaws.com');
  assert.equal(b.origin, 'https://my-bucket--usw2-az1--x-s3.s3express-usw2-az1.us-west-2.amazonaws.com');
  assert.equal(b.addressing, 'virtual');
  assert.equal(b.basePath, '/');
  assert.equal(b.signing.version, 'v4');
  assert.equal(b.signing.service, 's3express');
  assert.deepEqual(b.s3Express, { sessionMode: 'ReadOnly' });

  const w = check({ bucket: 'my-bucket--usw2-az1--x-s3', region: 'us-west-2' }, { methods: ['GET', 'HEAD', 'PUT'] });
  assert.deepEqual(w.config!.proxies[0]!.s3Express, { sessionMode: 'ReadWrite' });

  // A general purpose bucket is untouched.
  const g = check({ bucket: 'my-bucket', region: 'us-west-2' });
  assert.equal(g.config!.proxies[0]!.signing.service, 's3');
  assert.equal(g.config!.proxies[0]!.s3Express, undefined);
});

test('check refuses a directory bucket with SigV2, SigV4A or path addressing', () => {
  const v2 = check({ bucket: 'my-bucket--usw2-az1--x-s3', region: 'us-west-2' }, { signing: { version: 'v2' } });
  assert.ok(v2.problems.some((p) => p.path.join('.') === 'proxies.0.signing.version' && /directory bucket/.test(p.message)), JSON.stringify(v2.problems));
  const noRegion = check({ bucket: 'my-bucket--usw2-az1--x-s3', endpoint: 'http://localhost:9000', addressing: 'virtual' });
  assert.ok(noRegion.problems.some((p) => /directory bucket/.test(p.message)), JSON.stringify(noRegion.problems));
  const v4a = check({ bucket: 'my-bucket--usw2-az1--x-s3', region: 'us-west-2' }, { signing: { version: 'v4a' } });
  assert.ok(v4a.problems.some((p) => p.path.join('.') === 'proxies.0.signing.version' && /directory bucket/.test(p.message)), JSON.stringify(v4a.problems));
  const path = check({ bucket: 'my-bucket--usw2-az1--x-s3', region: 'us-west-2', addressing: 'path' });
  assert.ok(path.problems.some((p) => p.path.join('.') === 'proxies.0.upstream.addressing' && /directory bucket/.test(p.message)), JSON.stringify(path.problems));
});
