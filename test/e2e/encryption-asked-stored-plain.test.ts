// Regression: a write asking for encryption or an object lock was stored without it. The proxy
// dropped `x-amz-server-side-encryption*` and `x-amz-object-lock-*` (not forwarded by default), so
// `aws s3 cp --sse aws:kms`, an SDK's PutObject with SSE-C or a retention date stored the object
// plain, and the viewer got a 200. Now such a write is refused with 400
// OS_ERR_PROTECTION_NOT_FORWARDED and reaches nothing, unless the block forwards the header
// (`signing.includeHeaders`) or, for encryption, encrypts every object itself (`upstream.sse`).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { BUCKET, KEYS } from '../support/modes-fixture.js';
import { startProxyCli } from '../support/proxy-cli.js';
import { raw } from '../support/origin-client.js';
import { waitFor } from '../support/wait-for.js';
import { writeBlock } from '../support/writes-helpers.js';

const BODY = 'an object that asked to be protected\n';
const KMS = 'arn:aws:kms:us-east-1:111122223333:key/block-own';
const WRITES = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'];

test('a write asking for encryption or a lock the block does not forward is refused, and stored nowhere', { timeout: 60_000 }, async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  const kmsBlock = writeBlock(origin.port, { path: '/k/', bucket: BUCKET, credentials: KEYS, keyPrefix: 'k/', methods: WRITES });
  kmsBlock.upstream = { ...(kmsBlock.upstream as object), sse: { kms: KMS } };
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    proxies: [
      writeBlock(origin.port, { path: '/w/', bucket: BUCKET, credentials: KEYS, keyPrefix: 'w/', methods: WRITES }),
      writeBlock(origin.port, { path: '/f/', bucket: BUCKET, credentials: KEYS, keyPrefix: 'f/', methods: WRITES, signing: { includeHeaders: ['x-amz-server-side-encryption', 'x-amz-server-side-encryption-aws-kms-key-id'] } }),
      kmsBlock,
    ],
  });
  const put = (path: string, headers: Record<string, string>, method = 'PUT') =>
    raw(proxy.port, { method, path, headers: { 'content-length': String(Buffer.byteLength(BODY)), ...headers }, body: BODY });
  /** A write that must go through: answered 200, and the headers the store saw with it. */
  const storeSaw = async (path: string, headers: Record<string, string>, method = 'PUT'): Promise<Record<string, string | string[]>> => {
    const res = await put(path, headers, method);
    assert.equal(res.status, 200, `${method} ${path}: ${res.text}`);
    return origin.requests.at(-1)!.headers;
  };

  const refusals: Array<{ what: string; path: string; headers: Record<string, string>; method?: string }> = [
    { what: 'SSE-KMS (aws s3 cp --sse aws:kms)', path: '/w/kms.txt', headers: { 'x-amz-server-side-encryption': 'aws:kms', 'x-amz-server-side-encryption-aws-kms-key-id': 'viewer-key' } },
    { what: 'SSE-S3 spelled in lower case (S3 knows only AES256)', path: '/w/s3.txt', headers: { 'X-Amz-Server-Side-Encryption': 'aes256' } },
    { what: 'SSE-S3 with a KMS key id', path: '/w/s3k.txt', headers: { 'x-amz-server-side-encryption': 'AES256', 'x-amz-server-side-encryption-aws-kms-key-id': 'viewer-key' } },
    { what: 'SSE-C', path: '/w/c.txt', headers: { 'x-amz-server-side-encryption-customer-algorithm': 'AES256', 'x-amz-server-side-encryption-customer-key': 'a2V5', 'x-amz-server-side-encryption-customer-key-md5': 'bWQ1' } },
    { what: 'an object lock', path: '/w/lock.txt', headers: { 'x-amz-object-lock-mode': 'COMPLIANCE', 'x-amz-object-lock-retain-until-date': '2036-01-01T00:00:00Z' } },
    { what: 'a legal hold', path: '/w/hold.txt', headers: { 'x-amz-object-lock-legal-hold': 'ON' } },
    { what: 'a multipart upload started with SSE-KMS', path: '/w/mp.txt?uploads', headers: { 'x-amz-server-side-encryption': 'aws:kms' }, method: 'POST' },
    { what: 'SSE-KMS on a block that forwards only the encryption headers, with a lock', path: '/f/lock.txt', headers: { 'x-amz-server-side-encryption': 'aws:kms', 'x-amz-object-lock-mode': 'GOVERNANCE' } },
    { what: 'a lock on a block that encrypts on its own', path: '/k/lock.txt', headers: { 'x-amz-object-lock-legal-hold': 'ON' } },
  ];
  for (const c of refusals) {
    await t.test(`refused: ${c.what}`, async () => {
      const before = origin.requests.length;
      const res = await put(c.path, c.headers, c.method);
      assert.equal(res.status, 400, res.text);
      const answer = JSON.parse(res.text) as { error: string; message: string };
      assert.equal(answer.error, 'OS_ERR_PROTECTION_NOT_FORWARDED');
      assert.match(answer.message, /x-amz-(server-side-encryption|object-lock)[a-z-]* asks the store to encrypt or lock the object/);
      assert.equal(origin.requests.length, before, 'nothing reached the store');
      assert.equal(await origin.getObject(BUCKET, c.path.slice(1).split('?')[0]!), undefined, 'nothing stored');
    });
  }

  await t.test('SSE-S3 (AES256, no key to choose) is forwarded and signed as asked, on PutObject and CreateMultipartUpload', async () => {
    for (const [method, path] of [['PUT', '/w/sse-s3.txt'], ['POST', '/w/sse-s3-mp.txt?uploads']] as const) {
      const seen = await storeSaw(path, { 'X-Amz-Server-Side-Encryption': 'AES256' }, method);
      assert.equal(seen['x-amz-server-side-encryption'], 'AES256', method);
      assert.match(String(seen.authorization), /SignedHeaders=[^,]*x-amz-server-side-encryption[;,]/, method);
    }
    assert.equal((await origin.getObject(BUCKET, 'w/sse-s3.txt'))?.toString(), BODY);
  });

  await t.test('forwarded and signed where the block names the headers', async () => {
    const seen = await storeSaw('/f/kms.txt', { 'x-amz-server-side-encryption': 'aws:kms', 'x-amz-server-side-encryption-aws-kms-key-id': 'viewer-key' });
    assert.equal(seen['x-amz-server-side-encryption'], 'aws:kms');
    assert.equal(seen['x-amz-server-side-encryption-aws-kms-key-id'], 'viewer-key');
    assert.match(String(seen.authorization), /SignedHeaders=[^,]*x-amz-server-side-encryption;x-amz-server-side-encryption-aws-kms-key-id/);
    assert.equal((await origin.getObject(BUCKET, 'f/kms.txt'))?.toString(), BODY);
  });

  await t.test("a block that encrypts every object itself puts its own encryption in place of the viewer's", async () => {
    const seen = await storeSaw('/k/own.txt', { 'x-amz-server-side-encryption': 'AES256', 'x-amz-server-side-encryption-aws-kms-key-id': 'viewer-key' });
    assert.equal(seen['x-amz-server-side-encryption'], 'aws:kms');
    assert.equal(seen['x-amz-server-side-encryption-aws-kms-key-id'], KMS);
  });

  await t.test('reads and deletes carrying the headers are served as before', async () => {
    const get = await raw(proxy.port, { path: '/f/kms.txt', headers: { 'x-amz-server-side-encryption': 'aws:kms', 'x-amz-object-lock-mode': 'COMPLIANCE' } });
    assert.equal(get.status, 200, get.text);
    assert.equal(get.text, BODY);
    const del = await raw(proxy.port, { method: 'DELETE', path: '/f/kms.txt', headers: { 'x-amz-object-lock-mode': 'COMPLIANCE' } });
    assert.equal(del.status, 204, del.text);
  });

  await t.test('each refusal has its access line', async () => {
    const refused = (): number => proxy.logs().filter((l) => l.msg === 'request' && l.error === 'OS_ERR_PROTECTION_NOT_FORWARDED' && l.status === 400).length;
    await waitFor(() => refused() === refusals.length, `${refusals.length} access lines with OS_ERR_PROTECTION_NOT_FORWARDED`);
  });
});
