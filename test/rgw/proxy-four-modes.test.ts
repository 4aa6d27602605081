// The awkward-key table through the CLI proxy in front of a real Ceph RGW, in all four signing
// modes (SigV4/SigV2 × header/query), one proxy process with one path-style block per mode, all
// on one bucket. Every key is stored directly in RGW (SigV4 via aws4, independent of src/), then
// read through the proxy: GET with both spellings of the key, HEAD, a Range, If-None-Match and
// If-Match, and a missing key (RGW's NoSuchKey XML passed through).
//
// RGW (Ceph 16.2) stores every key of AWKWARD_KEYS as given, including `double//slash///file.txt`,
// `trailing/slash/` and the 1005-byte `long/kkk…` key (checked below by listing the bucket), so
// none is left out. Virtual-hosted addressing is not exercised: see test/support/rgw-proxy.ts.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { AWKWARD_KEYS, minimalEncode } from '../support/awkward-keys.js';
import { encodeKey, raw, xmlFields } from '../support/origin-client.js';
import { startProxyCli } from '../support/proxy-cli.js';
import { createBucket, rgwSkipReason, signedRequest, startRgw } from '../support/rgw.js';
import { RGW_MODES, rgwBlock, s3ErrorCode } from '../support/rgw-proxy.js';

/** Binary, different per key (a key-derived prefix plus random bytes), at least 4 bytes for the Range. */
function bodyFor(key: string, i: number): Buffer {
  return Buffer.concat([createHash('sha256').update(key).digest(), Buffer.from([0xff, 0xfe, 0x00, 0x80]), randomBytes(100 + i * 37)]);
}

const xmlUnescape = (s: string): string =>
  s.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

test('proxy in front of Ceph RGW: awkward keys in all four signing modes', { skip: rgwSkipReason(), timeout: 300_000 }, async (t) => {
  const started = Date.now();
  const rgw = await startRgw();
  t.after(() => rgw.stop());
  t.diagnostic(`RGW ${rgw.endpoint} up in ${Date.now() - started} ms`);

  const bucket = `modes-${randomBytes(4).toString('hex')}`;
  await createBucket(rgw, bucket);
  const objects = new Map<string, { body: Buffer; etag: string }>();
  for (const [i, key] of AWKWARD_KEYS.entries()) {
    const body = bodyFor(key, i);
    const put = await signedRequest(rgw, 'PUT', `/${bucket}/${encodeKey(key)}`, { body, headers: { 'content-type': 'application/octet-stream' } });
    assert.equal(put.status, 200, `direct PUT of ${JSON.stringify(key)}: ${put.body.toString('utf8')}`);
    const etag = put.headers.etag;
    assert.ok(typeof etag === 'string' && etag.startsWith('"'), `ETag for ${JSON.stringify(key)}: ${String(etag)}`);
    objects.set(key, { body, etag });
  }
  // RGW stored each key verbatim (no slash collapsing, no trailing-slash or '+' mangling).
  const list = await signedRequest(rgw, 'GET', `/${bucket}?max-keys=1000`);
  assert.equal(list.status, 200);
  assert.deepEqual(xmlFields(list.body.toString('utf8'), 'Key').map(xmlUnescape).sort(), [...AWKWARD_KEYS].sort());

  const proxy = await startProxyCli(t, {
    log: { level: 'info' },
    server: { host: '127.0.0.1', port: 0 },
    proxies: RGW_MODES.map((m) => rgwBlock(rgw, { path: m.prefix, bucket, version: m.version, mode: m.mode })),
  });
  t.diagnostic(`set-up (RGW + ${AWKWARD_KEYS.length} PUTs + proxy) ${Date.now() - started} ms`);

  for (const m of RGW_MODES) {
    await t.test(`${m.version} ${m.mode}`, async (st) => {
      const modeStarted = Date.now();
      for (const [key, { body, etag }] of objects) {
        const name = JSON.stringify(key);
        const spellings = new Set([encodeKey(key), minimalEncode(key)]);
        for (const spelling of spellings) {
          const get = await raw(proxy.port, { path: `${m.prefix}${spelling}` });
          assert.equal(get.status, 200, `GET ${name} as ${spelling}: ${get.text.slice(0, 400)}`);
          assert.ok(get.body.equals(body), `GET ${name} as ${spelling}: body differs (${get.body.length} vs ${body.length} bytes)`);
          assert.equal(get.headers.etag, etag, `GET ${name}: ETag passed through`);
        }
        const path = `${m.prefix}${encodeKey(key)}`;

        const head = await raw(proxy.port, { method: 'HEAD', path });
        assert.equal(head.status, 200, `HEAD ${name}`);
        assert.equal(head.headers['content-length'], String(body.length), `HEAD ${name}: Content-Length`);
        assert.equal(head.body.length, 0, `HEAD ${name}: no body`);

        const range = await raw(proxy.port, { path, headers: { range: 'bytes=1-3' } });
        assert.equal(range.status, 206, `Range ${name}: ${range.text.slice(0, 300)}`);
        assert.ok(range.body.equals(body.subarray(1, 4)), `Range ${name}: bytes 1-3`);
        assert.equal(range.headers['content-range'], `bytes 1-3/${body.length}`, `Range ${name}: Content-Range`);

        const inm = await raw(proxy.port, { path, headers: { 'if-none-match': etag } });
        assert.equal(inm.status, 304, `If-None-Match ${name}: ${inm.text.slice(0, 300)}`);
        assert.equal(inm.body.length, 0, `If-None-Match ${name}: no body`);

        const im = await raw(proxy.port, { path, headers: { 'if-match': '"nope"' } });
        assert.equal(im.status, 412, `If-Match ${name}: ${im.text.slice(0, 300)}`);
      }

      const missing = await raw(proxy.port, { path: `${m.prefix}no/such%20key-${randomBytes(4).toString('hex')}.txt` });
      assert.equal(missing.status, 404, missing.text);
      assert.match(String(missing.headers['content-type']), /xml/, 'RGW error document passed through as XML');
      assert.equal(s3ErrorCode(missing.body), 'NoSuchKey', missing.text);
      st.diagnostic(`${m.version} ${m.mode}: ${Date.now() - modeStarted} ms`);
    });
  }
});
