// Values the proxy derives from a block (README "Config reference"): signing version from the
// region, endpoint and addressing from the store, Host and upstream path from the addressing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfigText } from '../../src/config/load.js';

const load = (upstream: string, more = '') =>
  loadConfigText(`proxies:\n  - path: /p/\n    upstream: ${upstream}\n    credentials: { accessKeyId: AK, secretAccessKey: SK }\n${more}`, 't.yaml', { env: {} }).config.proxies[0]!;

test('region set: SigV4, AWS regional endpoint, virtual-hosted', () => {
  const b = load('{ bucket: my-vod, region: eu-central-1 }');
  assert.equal(b.signing.version, 'v4');
  assert.equal(b.endpoint, 'https://s3.eu-central-1.amazonaws.com');
  assert.equal(b.addressing, 'virtual');
  assert.equal(b.host, 'my-vod.s3.eu-central-1.amazonaws.com');
  assert.equal(b.origin, 'https://my-vod.s3.eu-central-1.amazonaws.com');
  assert.equal(b.basePath, '/');
  assert.deepEqual(b.methods, ['GET', 'HEAD']);
  assert.equal(b.signing.mode, 'header');
  assert.equal(b.signing.payload, 'unsigned');
});

test('no region: SigV2 (Unified Origin rule) — on AWS only when asked for, against the global endpoint', () => {
  const b = load('{ bucket: my-vod }', '    signing: { version: v2 }\n');
  assert.equal(b.signing.version, 'v2');
  assert.equal(b.endpoint, 'https://s3.amazonaws.com');
  assert.equal(b.v2Bucket, 'my-vod');
  const store = load('{ bucket: my-vod, endpoint: "http://ceph.internal:7480" }');
  assert.equal(store.signing.version, 'v2', 'an S3-compatible store without a region');
  assert.throws(() => load('{ bucket: my-vod }'), /no region, so this block would sign with SigV2/, 'AWS with no region and no version');
});

test('a bucket with dots uses path-style on AWS (the TLS wildcard certificate does not cover it)', () => {
  const b = load('{ bucket: media.example.com, region: us-east-1 }');
  assert.equal(b.addressing, 'path');
  assert.equal(b.host, 's3.us-east-1.amazonaws.com');
  assert.equal(b.basePath, '/media.example.com/');
  assert.equal(b.v2Bucket, undefined);
});

test('a custom endpoint defaults to path-style and keeps its port', () => {
  const b = load('{ bucket: vod, region: us-east-1, endpoint: "http://minio.internal:9000" }');
  assert.equal(b.addressing, 'path');
  assert.equal(b.host, 'minio.internal:9000');
  assert.equal(b.origin, 'http://minio.internal:9000');
  assert.equal(b.basePath, '/vod/');
});

test('virtual-hosted on a custom endpoint puts the bucket in front of the endpoint host', () => {
  const b = load('{ bucket: vod, region: us-east-1, endpoint: "http://localhost:9000", addressing: virtual }');
  assert.equal(b.host, 'vod.localhost:9000');
  assert.equal(b.origin, 'http://vod.localhost:9000');
});

test('explicit signing and methods win; methods are upper-cased and deduplicated', () => {
  const b = load('{ bucket: vod, region: us-east-1 }', '    signing: { version: v2, mode: query, expires: 60 }\n    methods: [get, HEAD, GET]\n');
  assert.equal(b.signing.version, 'v2');
  assert.equal(b.signing.mode, 'query');
  assert.equal(b.signing.expires, 60);
  assert.deepEqual(b.methods, ['GET', 'HEAD']);
});

test('the loaded config is frozen', () => {
  const b = load('{ bucket: vod, region: us-east-1 }');
  assert.ok(Object.isFrozen(b) && Object.isFrozen(b.signing) && Object.isFrozen(b.methods));
});
