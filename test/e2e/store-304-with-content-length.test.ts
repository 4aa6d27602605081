// Regression (hunt, 2026-12-07): a store's 304 to a viewer's conditional GET carrying
// Content-Length (the length the 200 would have had: allowed, RFC 9110 §8.6 / §15.4.5). undici
// counts the missing body as a length mismatch (UND_ERR_RES_CONTENT_LENGTH_MISMATCH) after the 304
// head was handed on, and the viewer got no answer at all. The 304 now goes out whole.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { raw } from '../support/origin-client.js';
import { blockFor, startProxyCli } from '../support/proxy-cli.js';
import { KEYS } from '../support/modes-fixture.js';

test('a 304 with the 200\'s Content-Length reaches the viewer', { timeout: 30_000 }, async (t) => {
  const store = createServer((s) => {
    s.on('error', () => undefined);
    s.on('data', () => s.write('HTTP/1.1 304 Not Modified\r\nETag: "abc"\r\nContent-Length: 1234\r\n\r\n'));
  });
  await new Promise<void>((r) => store.listen(0, '127.0.0.1', () => r()));
  t.after(() => store.close());
  const port = (store.address() as { port: number }).port;
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    proxies: [blockFor(port, { path: '/p/', bucket: 'bkt', version: 'v4', mode: 'header', addressing: 'path', credentials: KEYS, extra: { retry: { attempts: 0 } } })],
  });
  const res = await raw(proxy.port, { path: '/p/a', headers: { 'if-none-match': '"abc"' } }).catch((e: Error) => ({ status: 0, text: e.message }));
  assert.equal(res.status, 304, res.text);
  // A complete answer is not an upstream failure (a second read found it counted as one).
  const metrics = await (await fetch(`${proxy.adminUrl}/metrics`)).text();
  assert.doesNotMatch(metrics, /^origin_signer_upstream_errors_total\{/m);
});
