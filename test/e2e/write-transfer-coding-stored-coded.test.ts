// Regression: `Transfer-Encoding: gzip, chunked` had only its chunked framing taken off (by Node),
// and the proxy stored the still-gzipped bytes as the object. A transfer coding other than a
// single `chunked` is now answered 501 OS_ERR_TRANSFER_CODING (RFC 9112 §6.1) and reaches nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { BUCKET, KEYS } from '../support/modes-fixture.js';
import { startProxyCli } from '../support/proxy-cli.js';
import { rawSocket } from '../support/origin-client.js';
import { writeBlock } from '../support/writes-helpers.js';

test('a transfer coding other than chunked is answered 501, and nothing is stored', { timeout: 60_000 }, async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    proxies: [writeBlock(origin.port, { path: '/w/', bucket: BUCKET, credentials: KEYS, keyPrefix: 'w/' })],
  });
  const gz = gzipSync(Buffer.from('segment payload\n'));
  const chunked = Buffer.concat([Buffer.from(`${gz.length.toString(16)}\r\n`), gz, Buffer.from('\r\n0\r\n\r\n')]);
  for (const te of ['gzip, chunked', 'DEFLATE,chunked']) {
    await t.test(`Transfer-Encoding: ${te}`, async () => {
      const before = origin.requests.length;
      const res = await rawSocket(proxy.port, `PUT /w/te.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: ${te}\r\nConnection: close\r\n\r\n`, chunked);
      assert.equal(res.status, 501, res.text);
      assert.match(res.text, /OS_ERR_TRANSFER_CODING/);
      assert.equal(origin.requests.length, before, 'nothing reached the store');
      assert.equal(await origin.getObject(BUCKET, 'w/te.txt'), undefined);
    });
  }
  await t.test('Transfer-Encoding: chunked alone is still taken', async () => {
    const body = Buffer.from('plain payload\n');
    const res = await rawSocket(proxy.port, 'PUT /w/plain.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\nConnection: close\r\n\r\n', Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]));
    assert.equal(res.status, 200, res.text);
    assert.equal((await origin.getObject(BUCKET, 'w/plain.txt'))?.toString(), body.toString());
  });
});
