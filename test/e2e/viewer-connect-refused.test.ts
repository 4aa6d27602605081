// Regression (hunt, 2026-12-07): a CONNECT request got no answer, only a closed connection (Node
// closes it when nothing listens for 'connect'). It is now answered 405, then the connection
// closes. Pipelined behind an answer still going out, it closes the connection as before (Node
// hands the socket over without the listeners that would drain that answer: a review found a
// large answer stalled for good when the 405 waited for it).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { BUCKET, KEYS } from '../support/modes-fixture.js';
import { blockFor, startProxyCli } from '../support/proxy-cli.js';
import { rawExchange } from '../support/raw-exchange.js';

test('CONNECT is answered 405', { timeout: 30_000 }, async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  await origin.putObject(BUCKET, 'a.txt', 'object a\n');
  const proxy = await startProxyCli(t, { server: { host: '127.0.0.1', port: 0 }, proxies: [blockFor(origin.port, { path: '/p/', bucket: BUCKET, version: 'v4', mode: 'header', credentials: KEYS })] });
  const alone = await rawExchange(proxy.port, 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n');
  assert.match(alone, /^HTTP\/1\.1 405 /, JSON.stringify(alone));
  assert.match(alone, /OS_ERR_METHOD_NOT_ALLOWED/);
});
