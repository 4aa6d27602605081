// Regression (hunt, 2026-12-07): `Transfer-Encoding: gzip` (chunked not the final coding) on a
// PUT was logged 501 OS_ERR_TRANSFER_CODING, but the viewer got only a closed connection: Node's
// parser fails right after the headers (HPE_INVALID_TRANSFER_ENCODING), and answerClientError
// destroyed the socket while the refusal, already written, was still corked. RFC 9112 §6.3 (4):
// such a request gets an error and the connection closed; what was written now goes out first.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { BUCKET, KEYS } from '../support/modes-fixture.js';
import { blockFor, startProxyCli } from '../support/proxy-cli.js';
import { rawExchange } from '../support/raw-exchange.js';

test('a transfer coding other than chunked last gets an answer', { timeout: 30_000 }, async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    proxies: [blockFor(origin.port, { path: '/w/', bucket: BUCKET, version: 'v4', mode: 'header', addressing: 'path', credentials: KEYS, methods: ['GET', 'PUT'] })],
  });
  for (const te of ['gzip', 'identity']) {
    const text = await rawExchange(proxy.port, `PUT /w/te.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: ${te}\r\n\r\nabc`);
    assert.match(text, /^HTTP\/1\.1 (400|501) [\s\S]*OS_ERR_/, `Transfer-Encoding: ${te} → ${JSON.stringify(text)}`);
  }
  assert.equal(origin.requests.filter((r) => r.method === 'PUT').length, 0);
});
