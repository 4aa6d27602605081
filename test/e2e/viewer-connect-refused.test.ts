// Regression (hunt, 2026-12-07): a CONNECT request got no answer, only a closed connection (Node
// closes it when nothing listens for 'connect'), and pipelined after a GET it cut that GET's
// answer. It is now answered 405, after any answer still going out, then the connection closes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { BUCKET, KEYS } from '../support/modes-fixture.js';
import { blockFor, startProxyCli } from '../support/proxy-cli.js';
import { rawExchange } from '../support/raw-exchange.js';

test('CONNECT is answered 405, after the answer before it', { timeout: 30_000 }, async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  await origin.putObject(BUCKET, 'a.txt', 'object a\n');
  const proxy = await startProxyCli(t, { server: { host: '127.0.0.1', port: 0 }, proxies: [blockFor(origin.port, { path: '/p/', bucket: BUCKET, version: 'v4', mode: 'header', credentials: KEYS })] });
  const alone = await rawExchange(proxy.port, 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n');
  assert.match(alone, /^HTTP\/1\.1 405 /, JSON.stringify(alone));
  assert.match(alone, /OS_ERR_METHOD_NOT_ALLOWED/);
  const after = await rawExchange(proxy.port, 'GET /p/a.txt HTTP/1.1\r\nHost: x\r\n\r\nCONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n');
  assert.deepEqual(after.match(/HTTP\/1\.1 \d{3}/g), ['HTTP/1.1 200', 'HTTP/1.1 405'], JSON.stringify(after));
  assert.match(after, /object a\n/);
});
