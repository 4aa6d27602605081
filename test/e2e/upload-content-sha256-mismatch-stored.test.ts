// Regression: on a `payload: sha256` block, an upload whose x-amz-content-sha256 (the viewer's hash
// of its body) did not match the body was stored: the proxy hashed what it spooled and signed that,
// so the store had nothing to compare with. The proxy now compares the two and refuses a mismatch
// with 400 OS_ERR_CONTENT_SHA256_MISMATCH before anything reaches the store, as S3 would
// (XAmzContentSHA256Mismatch).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { BUCKET, KEYS } from '../support/modes-fixture.js';
import { startProxyCli } from '../support/proxy-cli.js';
import { rawSocket } from '../support/origin-client.js';
import { writeBlock } from '../support/writes-helpers.js';

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

test('payload: sha256 refuses a body that does not hash to the viewer\'s x-amz-content-sha256', { timeout: 60_000 }, async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    proxies: [writeBlock(origin.port, { path: '/s/', bucket: BUCKET, credentials: KEYS, payload: 'sha256', keyPrefix: 's/' })],
  });
  const put = (key: string, claimed: string, chunked = false) =>
    rawSocket(
      proxy.port,
      `PUT /s/${key} HTTP/1.1\r\nHost: x\r\nx-amz-content-sha256: ${claimed}\r\n${chunked ? 'Transfer-Encoding: chunked' : 'Content-Length: 5'}\r\nConnection: close\r\n\r\n`,
      chunked ? '5\r\nhello\r\n0\r\n\r\n' : 'hello',
    );

  for (const chunked of [false, true]) {
    await t.test(`a wrong hash is refused (${chunked ? 'chunked' : 'Content-Length'})`, async () => {
      const before = origin.requests.length;
      const res = await put('wrong.txt', sha256('not the body'), chunked);
      assert.equal(res.status, 400, res.text);
      assert.match(res.text, /<Code>OS_ERR_CONTENT_SHA256_MISMATCH<\/Code>/);
      assert.equal(origin.requests.length, before, 'nothing reached the store');
      assert.equal(await origin.getObject(BUCKET, 's/wrong.txt'), undefined);
    });
  }
  await t.test('the right hash, in either case, is stored', async () => {
    for (const [key, claimed] of [['lower.txt', sha256('hello')], ['upper.txt', sha256('hello').toUpperCase()], ['unsigned.txt', 'UNSIGNED-PAYLOAD']]) {
      const res = await put(key!, claimed!);
      assert.equal(res.status, 200, `${key}: ${res.text}`);
      assert.equal((await origin.getObject(BUCKET, `s/${key}`))?.toString(), 'hello');
    }
  });
});
