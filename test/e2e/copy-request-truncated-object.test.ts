// Regression: a server-side copy through the proxy truncated its destination. A PUT carrying
// `x-amz-copy-source` and no body (what `aws s3 cp s3://a s3://b`, rclone and the SDKs' CopyObject
// send) had the header dropped, so the store got a plain PutObject of 0 bytes over the key, and the
// viewer a 200. Forwarding the header instead would let a viewer copy any object the proxy's
// credentials read, in any bucket, into the block. Now every write that names a source object
// (copy, part copy, S3 Express rename) is refused with 400 OS_ERR_COPY_REFUSED and reaches nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { BUCKET, KEYS } from '../support/modes-fixture.js';
import { startProxyCli } from '../support/proxy-cli.js';
import { raw } from '../support/origin-client.js';
import { waitFor } from '../support/wait-for.js';
import { writeBlock } from '../support/writes-helpers.js';

const OTHER = 'private-other';
const PRECIOUS = 'the destination object, which must survive\n';

test('a write that names a source object is refused and the destination keeps its bytes', { timeout: 60_000 }, async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET, OTHER] });
  t.after(() => origin.close());
  await origin.putObject(OTHER, 'secret.txt', 'outside the block');
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    proxies: [writeBlock(origin.port, { path: '/w/', bucket: BUCKET, credentials: KEYS, keyPrefix: 'w/', methods: ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'] })],
  });
  const put = await raw(proxy.port, { method: 'PUT', path: '/w/dst.txt', headers: { 'content-length': Buffer.byteLength(PRECIOUS) }, body: PRECIOUS });
  assert.equal(put.status, 200, put.text);

  const cases: Array<{ what: string; path: string; headers: Record<string, string | number>; body?: string }> = [
    { what: 'CopyObject from another bucket', path: '/w/dst.txt', headers: { 'x-amz-copy-source': `/${OTHER}/secret.txt` } },
    { what: 'CopyObject as botocore sends it (no leading slash, Content-Length: 0)', path: '/w/dst.txt', headers: { 'X-Amz-Copy-Source': `${OTHER}/secret.txt`, 'content-length': 0, 'x-amz-metadata-directive': 'COPY' } },
    { what: 'CopyObject within the block', path: '/w/dst.txt', headers: { 'x-amz-copy-source': `/${BUCKET}/w/dst.txt` } },
    { what: 'UploadPartCopy', path: '/w/dst.txt?partNumber=1&uploadId=abc', headers: { 'x-amz-copy-source': `/${OTHER}/secret.txt`, 'x-amz-copy-source-range': 'bytes=0-4' } },
    { what: 'S3 Express RenameObject', path: '/w/dst.txt', headers: { 'x-amz-rename-source': `/${BUCKET}/w/other.txt` } },
    { what: 'a copy with a body on its way (answered, the body drained)', path: '/w/dst.txt', headers: { 'x-amz-copy-source': `/${OTHER}/secret.txt`, 'content-length': 11 }, body: 'hello world' },
    { what: 'a copy sent as POST', path: '/w/dst.txt?uploads', headers: { 'x-amz-copy-source': `/${OTHER}/secret.txt` } },
  ];
  for (const c of cases) {
    await t.test(c.what, async () => {
      const before = origin.requests.length;
      const res = await raw(proxy.port, { method: c.path.includes('?uploads') ? 'POST' : 'PUT', path: c.path, headers: c.headers, ...(c.body ? { body: c.body } : {}) });
      assert.equal(res.status, 400, res.text);
      const answer = JSON.parse(res.text) as { error: string; message: string };
      assert.equal(answer.error, 'OS_ERR_COPY_REFUSED');
      assert.match(answer.message, /x-amz-(copy|rename)-source names another object/);
      assert.equal(origin.requests.length, before, 'nothing reached the store');
      assert.equal((await origin.getObject(BUCKET, 'w/dst.txt'))?.toString(), PRECIOUS, 'the destination is untouched');
    });
  }

  await t.test('a read carrying x-amz-copy-source is served, without the header', async () => {
    const res = await raw(proxy.port, { path: '/w/dst.txt', headers: { 'x-amz-copy-source': `/${OTHER}/secret.txt` } });
    assert.equal(res.status, 200);
    assert.equal(res.text, PRECIOUS);
    assert.equal(origin.requests.at(-1)!.headers['x-amz-copy-source'], undefined);
  });

  await t.test('each refusal has its access line', async () => {
    const refused = (): number => proxy.logs().filter((l) => l.msg === 'request' && l.error === 'OS_ERR_COPY_REFUSED' && l.status === 400).length;
    await waitFor(() => refused() === cases.length, `${cases.length} access lines with OS_ERR_COPY_REFUSED`);
  });
});
