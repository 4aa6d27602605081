// Issue #22: SSE-C, SSE-KMS and requester pays reach the store as signed headers on exactly the
// operations that take them (S3 refuses encryption headers elsewhere), through the CLI against the
// strict origin, which verifies every signature — so each header it saw was signed.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { raw } from '../support/origin-client.js';
import { blockFor, startProxyCli } from '../support/proxy-cli.js';

const BUCKET = 'flavour-bucket';
const KEYS = { accessKeyId: 'AKIDS3FLAVOURS00001', secretAccessKey: 's3/flavours+secret=0123456789' };

const header = (h: Record<string, string | string[]>, name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

test('SSE-C on object reads and writes, SSE-KMS on creates, requester pays on all, each signed', async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  await origin.putObject(BUCKET, 'a.txt', 'hello');
  const customerKey = randomBytes(32);
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    proxies: [
      blockFor(origin.port, { path: '/c/', bucket: BUCKET, version: 'v4', mode: 'header', addressing: 'path', credentials: KEYS, methods: ['GET', 'HEAD', 'PUT', 'DELETE', 'POST'], extra: {} }),
      blockFor(origin.port, { path: '/k/', bucket: BUCKET, version: 'v4', mode: 'header', addressing: 'path', credentials: KEYS, methods: ['GET', 'HEAD', 'PUT', 'DELETE'] }),
    ].map((b, i) => ({ ...b, upstream: { ...(b.upstream as object), ...(i === 0 ? { sse: { customerKey: customerKey.toString('base64') }, requestPayer: true } : { sse: { kms: 'arn:aws:kms:us-east-1:111122223333:key/abcd' } }) } })),
  });
  const md5 = createHash('md5').update(customerKey).digest('base64');
  const seen = async (method: string, path: string, body?: string): Promise<Record<string, string | string[]>> => {
    const before = origin.requests.length;
    const res = await raw(proxy.port, { method, path, ...(body === undefined ? {} : { body, headers: { 'content-length': String(body.length) } }) });
    assert.ok(res.status < 500, `${method} ${path}: ${res.status} ${res.text.slice(0, 200)}`);
    const r = origin.requests.slice(before);
    assert.equal(r.length, 1, `${method} ${path}: one request`);
    assert.notEqual(r[0]!.auth, 'anonymous');
    assert.notEqual(r[0]!.errorCode, 'SignatureDoesNotMatch', `${method} ${path}: signed as sent`);
    return r[0]!.headers;
  };
  for (const [method, path, body] of [['GET', '/c/a.txt'], ['HEAD', '/c/a.txt'], ['PUT', '/c/b.txt', 'new']] as const) {
    const h = await seen(method, path, body);
    assert.equal(header(h, 'x-amz-server-side-encryption-customer-algorithm'), 'AES256', `${method}: SSE-C`);
    assert.equal(header(h, 'x-amz-server-side-encryption-customer-key'), customerKey.toString('base64'));
    assert.equal(header(h, 'x-amz-server-side-encryption-customer-key-md5'), md5);
    assert.equal(header(h, 'x-amz-request-payer'), 'requester', `${method}: requester pays`);
    assert.match(String(header(h, 'authorization')), /SignedHeaders=[^,]*x-amz-request-payer;x-amz-server-side-encryption-customer-algorithm;x-amz-server-side-encryption-customer-key;x-amz-server-side-encryption-customer-key-md5/);
  }
  const del = await seen('DELETE', '/c/b.txt');
  assert.equal(header(del, 'x-amz-server-side-encryption-customer-key'), undefined, 'DeleteObject takes no SSE-C headers');
  assert.equal(header(del, 'x-amz-request-payer'), 'requester');

  const put = await seen('PUT', '/k/c.txt', 'kms');
  assert.equal(header(put, 'x-amz-server-side-encryption'), 'aws:kms');
  assert.equal(header(put, 'x-amz-server-side-encryption-aws-kms-key-id'), 'arn:aws:kms:us-east-1:111122223333:key/abcd');
  const get = await seen('GET', '/k/c.txt');
  assert.equal(header(get, 'x-amz-server-side-encryption'), undefined, 'SSE-KMS headers only on writes that create');
  // The key never reaches a log line (the proxy's secret registry checks every line at the end),
  // and check masks it.
});
