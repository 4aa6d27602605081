// A 100 MiB object through the CLI proxy (SigV4, header mode) in front of a real Ceph RGW: the
// bytes arrive intact (sha256), with RGW's Content-Length, and the access line counts them. Neither
// the upload nor the download holds the object in the test process: the body is generated chunk by
// chunk (AES-256-CTR keystream) and hashed on the fly. Backpressure is checked against the strict
// origin (test/e2e/large-object-constant-memory); the proxy's memory is measured by
// `npm run bench:memory`, not asserted here.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { generatedBody } from '../support/generated-body.js';
import { streamedGet } from '../support/rgw-writes-helpers.js';
import { startProxyCli } from '../support/proxy-cli.js';
import { createBucket, rgwSkipReason, startRgw } from '../support/rgw.js';
import { rgwBlock, streamedPut } from '../support/rgw-proxy.js';
import { accessLineFor } from '../support/access-lines.js';
import { MiB } from '../support/sizes.js';

const SIZE = 100 * MiB;

test('proxy in front of Ceph RGW: a 100 MiB object streams through intact', { skip: rgwSkipReason(), timeout: 300_000 }, async (t) => {
  const started = Date.now();
  const rgw = await startRgw();
  t.after(() => rgw.stop());
  t.diagnostic(`RGW ${rgw.endpoint} up in ${Date.now() - started} ms`);

  const bucket = `large-${randomBytes(4).toString('hex')}`;
  await createBucket(rgw, bucket);
  const key = 'media/large object.bin';
  const path = `/${bucket}/media/large%20object.bin`;

  const upHash = createHash('sha256');
  const upStarted = Date.now();
  const put = await streamedPut(rgw, path, generatedBody(SIZE, 'large-object', { hashes: [upHash] }), SIZE);
  assert.equal(put.status, 200, put.text);
  const expected = upHash.digest('hex');
  t.diagnostic(`direct PUT of ${SIZE / MiB} MiB to RGW: ${Date.now() - upStarted} ms`);

  const proxy = await startProxyCli(t, {
    log: { level: 'info' },
    server: { host: '127.0.0.1', port: 0 },
    proxies: [rgwBlock(rgw, { path: '/vod/', bucket, version: 'v4', mode: 'header' })],
  });

  const getStarted = Date.now();
  const reqId = `rgw-large-${process.pid}`;
  const get = await streamedGet(proxy.port, `/vod/${encodeURI(key)}`, { 'x-request-id': reqId });
  const getMs = Date.now() - getStarted;
  assert.equal(get.status, 200, get.text);
  assert.equal(get.headers['content-length'], String(SIZE));
  assert.equal(get.bytes, SIZE);
  assert.equal(get.sha256, expected, 'sha256 of the body through the proxy equals the uploaded one');
  const line = await accessLineFor(proxy, reqId);
  assert.equal(line.upstreamStatus, 200);
  assert.equal(line.bytesOut, SIZE);

  t.diagnostic(`GET through the proxy: ${getMs} ms (${((SIZE / MiB) / (getMs / 1000)).toFixed(0)} MiB/s)`);
  t.diagnostic(`total ${Date.now() - started} ms`);
});
