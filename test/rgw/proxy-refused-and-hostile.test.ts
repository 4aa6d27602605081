// Hostile and refused requests through the CLI proxy in front of a real Ceph RGW, in all four
// signing modes:
//  - keys the proxy must refuse (`..` raw or encoded, NUL, bad percent-encoding, > 1024 bytes) get
//    400 with the proxy's JSON error code and never reach RGW (the access-log line has no
//    upstreamStatus, while an accepted request's line does);
//  - a viewer's own credentials (Authorization, X-Amz-Date, X-Amz-Security-Token, ... headers,
//    X-Amz-Signature / AWSAccessKeyId / Signature ... query parameters) are dropped: the proxy signs
//    itself and RGW serves the object;
//  - a block whose secret is wrong gets RGW's 403 SignatureDoesNotMatch XML passed through.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import aws4 from 'aws4';
import { raw, type Res } from '../support/origin-client.js';
import { startProxyCli, type ProxyProcess } from '../support/proxy-cli.js';
import { createBucket, encodeKey, rawRequest, rgwSkipReason, signedRequest, startRgw } from '../support/rgw.js';
import { RGW_MODES, rgwBlock, s3ErrorCode } from '../support/rgw-proxy.js';
import { accessLineFor } from '../support/access-lines.js';

const KEY = 'dir/hostile target.bin';

let seq = 0;
/** A request with a fresh X-Request-Id, so its log line can be found. */
async function send(proxy: ProxyProcess, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ res: Res; reqId: string }> {
  const reqId = `rgw-hostile-${process.pid}-${++seq}`;
  const res = await raw(proxy.port, { method, path, headers: { ...headers, 'x-request-id': reqId } });
  return { res, reqId };
}

test('proxy in front of Ceph RGW: refused keys, viewer credentials dropped, wrong secret', { skip: rgwSkipReason(), timeout: 300_000 }, async (t) => {
  const started = Date.now();
  const rgw = await startRgw();
  t.after(() => rgw.stop());
  t.diagnostic(`RGW ${rgw.endpoint} up in ${Date.now() - started} ms`);

  const bucket = `hostile-${randomBytes(4).toString('hex')}`;
  await createBucket(rgw, bucket);
  const body = randomBytes(777);
  const put = await signedRequest(rgw, 'PUT', `/${bucket}/${encodeKey(KEY)}`, { body });
  assert.equal(put.status, 200, put.body.toString('utf8'));

  const wrong = { accessKeyId: rgw.accessKeyId, secretAccessKey: `${rgw.secretAccessKey.slice(0, -1)}X` };
  const proxy = await startProxyCli(t, {
    log: { level: 'info' },
    server: { host: '127.0.0.1', port: 0 },
    proxies: RGW_MODES.flatMap((m) => [
      rgwBlock(rgw, { path: m.prefix, bucket, version: m.version, mode: m.mode }),
      rgwBlock(rgw, { path: `/wrong${m.prefix}`, bucket, version: m.version, mode: m.mode, credentials: wrong }),
    ]),
  });

  const refused: ReadonlyArray<readonly [string, string, string]> = [
    ['raw ..', 'dir/../dir/hostile%20target.bin', 'OS_ERR_KEY_DOT_SEGMENT'],
    ['encoded %2e%2e', 'dir/%2e%2e/dir/hostile%20target.bin', 'OS_ERR_KEY_DOT_SEGMENT'],
    ['encoded %2E%2E as the whole key', '%2E%2E', 'OS_ERR_KEY_DOT_SEGMENT'],
    ['%00', 'dir/hostile%00target.bin', 'OS_ERR_KEY_CONTROL_CHAR'],
    ['%zz', 'dir/hostile%zztarget.bin', 'OS_ERR_KEY_BAD_ENCODING'],
    ['1025-byte key', `long/${'k'.repeat(1020)}`, 'OS_ERR_KEY_TOO_LONG'],
  ];

  for (const m of RGW_MODES) {
    await t.test(`${m.version} ${m.mode}: refused keys get 400 JSON and never reach RGW`, async () => {
      // Positive control: an accepted request's log line carries RGW's status.
      const ok = await send(proxy, `${m.prefix}${encodeKey(KEY)}`);
      assert.equal(ok.res.status, 200, ok.res.text.slice(0, 300));
      assert.ok(ok.res.body.equals(body));
      assert.equal((await accessLineFor(proxy, ok.reqId)).upstreamStatus, 200, 'a forwarded request logs upstreamStatus');
      // 1024 bytes is still allowed (RGW answers 404: no such object), 1025 is not.
      const limit = await send(proxy, `${m.prefix}long/${'k'.repeat(1019)}`);
      assert.equal(limit.res.status, 404, limit.res.text.slice(0, 300));
      assert.equal(s3ErrorCode(limit.res.body), 'NoSuchKey');

      for (const [what, spelling, code] of refused) {
        const { res, reqId } = await send(proxy, `${m.prefix}${spelling}`);
        assert.equal(res.status, 400, `${what}: ${res.text.slice(0, 300)}`);
        assert.match(String(res.headers['content-type']), /^application\/json/, what);
        const json = JSON.parse(res.text) as { error?: string; requestId?: string };
        assert.equal(json.error, code, `${what}: ${res.text}`);
        assert.equal(json.requestId, reqId, what);
        const line = await accessLineFor(proxy, reqId);
        assert.equal(line.status, 400, `${what}: logged status`);
        assert.ok(!('upstreamStatus' in line) || line.upstreamStatus === undefined, `${what} reached RGW: ${JSON.stringify(line)}`);
        assert.equal(line.error, code, `${what}: logged error code`);
      }
    });
  }

  const viewerCreds: ReadonlyArray<readonly [string, Record<string, string>, string]> = [
    [
      'SigV4 Authorization + X-Amz-Date + X-Amz-Security-Token + X-Amz-Content-Sha256 headers',
      {
        authorization: 'AWS4-HMAC-SHA256 Credential=AKIAVIEWEREVIL000001/20200101/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=' + 'ab'.repeat(32),
        'x-amz-date': '20200101T000000Z',
        'x-amz-security-token': 'viewer-token/with+plus==',
        'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
      },
      '',
    ],
    ['SigV2 Authorization + Date headers', { authorization: 'AWS AKIAVIEWEREVIL000001:c2lnbmF0dXJl', date: 'Thu, 01 Jan 2020 00:00:00 GMT' }, ''],
    [
      'SigV4 presigned query parameters',
      {},
      '?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAVIEWEREVIL000001%2F20200101%2Fus-east-1%2Fs3%2Faws4_request' +
        '&X-Amz-Date=20200101T000000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Security-Token=tok' +
        `&X-Amz-Signature=${'cd'.repeat(32)}`,
    ],
    ['SigV2 presigned query parameters', {}, '?AWSAccessKeyId=AKIAVIEWEREVIL000001&Expires=1&Signature=c2lnbmF0dXJl%2B%3D'],
    [
      'both at once, plus a CDN signed-URL parameter',
      { authorization: 'AWS AKIAVIEWEREVIL000001:c2lnbmF0dXJl', 'x-amz-date': '20200101T000000Z', 'x-amz-security-token': 'tok' },
      `?X-Amz-Signature=${'ef'.repeat(32)}&AWSAccessKeyId=AKIAVIEWEREVIL000001&Policy=abc&Key-Pair-Id=K1`,
    ],
  ];

  // Control, directly against RGW (no proxy): with a valid aws4 presigned URL, each of these viewer
  // credentials breaks the request (403). So had the proxy forwarded them, at least the query-mode
  // blocks below would get 403 instead of 200. (For header-mode blocks RGW itself tolerates extra
  // signature query parameters and an unknown X-Amz-Security-Token next to a valid Authorization.)
  await t.test('control: the same viewer credentials next to a valid presigned URL make RGW refuse', async () => {
    const signable = { host: `${rgw.host}:${rgw.port}`, method: 'GET', path: `/${bucket}/${encodeKey(KEY)}`, service: 's3', region: rgw.region, signQuery: true, headers: {} };
    aws4.sign(signable, { accessKeyId: rgw.accessKeyId, secretAccessKey: rgw.secretAccessKey });
    const presigned = String(signable.path);
    assert.equal((await rawRequest(rgw, 'GET', presigned)).status, 200, 'the presigned URL alone works');
    for (const [what, headers, query] of viewerCreds) {
      const res = await rawRequest(rgw, 'GET', `${presigned}${query.replace('?', '&')}`, headers);
      assert.equal(res.status, 403, `direct to RGW with ${what}: ${res.body.toString('utf8').slice(0, 300)}`);
    }
  });

  for (const m of RGW_MODES) {
    await t.test(`${m.version} ${m.mode}: a viewer's own credentials are dropped, the proxy signs`, async () => {
      for (const [what, headers, query] of viewerCreds) {
        for (const method of ['GET', 'HEAD']) {
          const { res, reqId } = await send(proxy, `${m.prefix}${encodeKey(KEY)}${query}`, headers, method);
          assert.equal(res.status, 200, `${method} with ${what}: ${res.text.slice(0, 400)}`);
          if (method === 'GET') assert.ok(res.body.equals(body), `${what}: body`);
          else assert.equal(res.headers['content-length'], String(body.length), `${what}: HEAD Content-Length`);
          assert.equal((await accessLineFor(proxy, reqId)).upstreamStatus, 200, what);
        }
      }
    });
  }

  for (const m of RGW_MODES) {
    await t.test(`${m.version} ${m.mode}: a wrong secret gets RGW's 403 SignatureDoesNotMatch`, async () => {
      for (const method of ['GET', 'HEAD']) {
        const { res, reqId } = await send(proxy, `/wrong${m.prefix}${encodeKey(KEY)}`, {}, method);
        assert.equal(res.status, 403, `${method}: ${res.text.slice(0, 400)}`);
        assert.equal((await accessLineFor(proxy, reqId)).upstreamStatus, 403, `${method}: the 403 came from RGW`);
        if (method === 'HEAD') continue; // S3 error answers to HEAD carry no body
        assert.match(String(res.headers['content-type']), /xml/, 'RGW error document passed through as XML');
        assert.equal(s3ErrorCode(res.body), 'SignatureDoesNotMatch', res.text);
        assert.ok(!res.text.includes(rgw.secretAccessKey.slice(0, 20)), 'no secret in the answer');
      }
    });
  }
});
