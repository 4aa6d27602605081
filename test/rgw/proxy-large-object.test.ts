// A 100 MiB object through the CLI proxy (SigV4, header mode) in front of a real Ceph RGW: the
// bytes arrive intact (sha256), with RGW's Content-Length, and the access line counts them. Neither
// the upload nor the download holds the object in the test process: the body is generated chunk by
// chunk (AES-256-CTR keystream) and hashed on the fly. Backpressure is checked against the strict
// origin (test/e2e/large-object-constant-memory); the proxy's memory is measured by
// `npm run bench:memory`, not asserted here.
import assert from 'node:assert/strict';
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { startProxyCli } from '../support/proxy-cli.js';
import { createBucket, rgwSkipReason, startRgw } from '../support/rgw.js';
import { requestLogLine, rgwBlock, streamedPut } from '../support/rgw-proxy.js';

const MiB = 1024 * 1024;
const SIZE = 100 * MiB;
const CHUNK = MiB;

/** `size` pseudo-random bytes as a stream of 1 MiB chunks; `hash` sees every byte produced. */
function generatedBody(size: number, hash: ReturnType<typeof createHash>): Readable {
  const cipher = createCipheriv('aes-256-ctr', randomBytes(32), randomBytes(16));
  const zeros = Buffer.alloc(CHUNK);
  let left = size;
  return Readable.from(
    (function* () {
      while (left > 0) {
        const n = Math.min(CHUNK, left);
        left -= n;
        const chunk = cipher.update(zeros.subarray(0, n));
        hash.update(chunk);
        yield chunk;
      }
    })(),
    { objectMode: false },
  );
}

/** GET through the proxy, hashing the body as it streams in. */
function streamedGet(port: number, path: string, reqId: string): Promise<{ status: number; headers: Record<string, unknown>; bytes: number; sha256: string; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers: { 'x-request-id': reqId }, agent: false }, (res) => {
      const hash = createHash('sha256');
      let bytes = 0;
      let head = Buffer.alloc(0);
      res.on('data', (c: Buffer) => {
        bytes += c.length;
        hash.update(c);
        if (head.length < 1024) head = Buffer.concat([head, c.subarray(0, 1024)]);
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes, sha256: hash.digest('hex'), text: head.toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

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
  const put = await streamedPut(rgw, path, generatedBody(SIZE, upHash), SIZE);
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
  const get = await streamedGet(proxy.port, `/vod/${encodeURI(key)}`, reqId);
  const getMs = Date.now() - getStarted;
  assert.equal(get.status, 200, get.text);
  assert.equal(get.headers['content-length'], String(SIZE));
  assert.equal(get.bytes, SIZE);
  assert.equal(get.sha256, expected, 'sha256 of the body through the proxy equals the uploaded one');
  const line = await requestLogLine(proxy, reqId);
  assert.equal(line.upstreamStatus, 200);
  assert.equal(line.bytesOut, SIZE);

  t.diagnostic(`GET through the proxy: ${getMs} ms (${((SIZE / MiB) / (getMs / 1000)).toFixed(0)} MiB/s)`);
  t.diagnostic(`total ${Date.now() - started} ms`);
});
