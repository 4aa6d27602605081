// README "Payload modes": "Uploads of any size (PUT, multipart) in constant memory, with unsigned,
// SHA-256 or aws-chunked streaming payload signing." A 1 GiB (1024^3 bytes) pseudo-random body,
// generated chunk by chunk and sent with Content-Length through node:http with backpressure, goes
// through the CLI proxy in each payload mode to the strict origin (which recomputes the header
// signature, every aws-chunked chunk signature and the signed SHA-256). The stored object is
// byte-identical and the origin saw the payload hash each mode promises. payload: sha256 uses the
// default spool.maxSize (1GiB): the body is exactly at the limit, so it must be spooled, not
// refused. One proxy process per mode. The proxy's memory during such uploads is measured by
// `npm run bench:memory`, not asserted here.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { BUCKET, KEYS } from '../support/modes-fixture.js';
import { startProxyCli } from '../support/proxy-cli.js';
import { raw } from '../support/origin-client.js';
import { GiB } from '../support/sizes.js';
import { PAYLOAD_MODES, expectedContentSha256, streamUpload, writeBlock } from '../support/writes-helpers.js';
import { generatedBody, HashTap, sha256File } from '../support/generated-body.js';

const SIZE = GiB;

test('a 1 GiB upload in each payload mode is stored byte-identical', { timeout: 900_000 }, async (t: TestContext) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  const started = Date.now();

  for (const mode of PAYLOAD_MODES) {
    await t.test(`payload: ${mode}`, { timeout: 400_000 }, async (st) => {
      const proxy = await startProxyCli(st, {
        server: { host: '127.0.0.1', port: 0 },
        // Default spool settings: maxSize 1GiB, the OS temp dir.
        proxies: [writeBlock(origin.port, { path: '/up/', bucket: BUCKET, credentials: KEYS, payload: mode, methods: ['GET', 'HEAD', 'PUT', 'DELETE'] })],
      });
      const key = `big/1GiB-${mode}.bin`;
      const before = origin.requests.length;
      const tap = new HashTap();
      const t0 = Date.now();
      const body = generatedBody(SIZE, `1GiB ${mode}`, { chunk: 256 * 1024 });
      body.pipe(tap);
      const res = await streamUpload(proxy.port, {
        path: `/up/${key}`,
        headers: { 'content-length': SIZE, 'content-type': 'application/octet-stream' },
        body: tap,
      });
      const seconds = (Date.now() - t0) / 1000;
      st.diagnostic(`payload ${mode}: ${res.status} in ${seconds.toFixed(1)} s (${(SIZE / 2 ** 20 / seconds).toFixed(0)} MiB/s)`);
      assert.equal(res.status, 200, res.text.slice(0, 500));
      assert.equal(tap.bytes, SIZE, 'the generator produced exactly 1 GiB');
      const sent = tap.digest();

      const seen = origin.requests.slice(before);
      assert.equal(seen.length, 1, `one upstream request: ${JSON.stringify(seen.map((r) => [r.method, r.status, r.errorCode]))}`);
      const r = seen[0]!;
      assert.equal(r.method, 'PUT');
      assert.equal(r.status, 200);
      assert.equal(r.auth, 'v4-header');
      assert.equal(r.headers['x-amz-content-sha256'], expectedContentSha256(mode, sent));
      if (mode === 'streaming') {
        assert.equal(r.headers['x-amz-decoded-content-length'], String(SIZE));
        assert.match(String(r.headers['content-encoding']), /^aws-chunked/);
        assert.ok(r.bytesIn > SIZE, `the framed body (${r.bytesIn} bytes) is longer than the object`);
      } else {
        assert.equal(r.headers['content-length'], String(SIZE));
        assert.equal(r.bytesIn, SIZE);
      }

      const file = origin.objectPath(BUCKET, key);
      assert.ok(file, 'the origin stored the object');
      const th = Date.now();
      const stored = await sha256File(file);
      st.diagnostic(`payload ${mode}: stored object hashed in ${((Date.now() - th) / 1000).toFixed(1)} s`);
      assert.equal(stored, sent, 'the stored object is byte-identical to the generated stream');
      assert.equal(res.headers.etag !== undefined, true, 'the origin ETag is passed through');

      // Free the disk for the next mode (through the proxy: DELETE is allowed).
      const del = await raw(proxy.port, { method: 'DELETE', path: `/up/${key}` });
      assert.equal(del.status, 204);
    });
  }
  t.diagnostic(`three 1 GiB uploads took ${((Date.now() - started) / 1000).toFixed(1)} s in total`);
});
