// Regression (hunt, 2026-12-07): a GET whose answer is still on its way, then a pipelined PUT
// with an unreadable chunked body: answerClientError wrote its raw 400 on the socket at once (the
// PUT's response queued, not started), so the 400 landed where the GET's answer belonged and the
// GET was cut. RFC 9112 §9.3.2: responses go in the order of the requests. Now the GET is
// answered, then the PUT gets its 400, then the connection closes.
import assert from 'node:assert/strict';
import { createServer, connect } from 'node:net';
import { test } from 'node:test';
import { blockFor, startProxyCli } from '../support/proxy-cli.js';
import { KEYS } from '../support/modes-fixture.js';

test('a pipelined body error never takes the place of an earlier answer', { timeout: 30_000 }, async (t) => {
  // A store that answers GETs after 500 ms.
  const store = createServer((s) => {
    s.on('error', () => undefined);
    s.on('data', (d) => {
      if (d.toString('latin1').startsWith('GET')) setTimeout(() => s.write('HTTP/1.1 200 OK\r\nContent-Length: 6\r\nContent-Type: text/plain\r\n\r\nstored'), 500);
    });
  });
  await new Promise<void>((r) => store.listen(0, '127.0.0.1', () => r()));
  t.after(() => store.close());
  const port = (store.address() as { port: number }).port;
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    proxies: [blockFor(port, { path: '/p/', bucket: 'bkt', version: 'v4', mode: 'header', addressing: 'path', credentials: KEYS, methods: ['GET', 'HEAD', 'PUT'] })],
  });
  const text = await new Promise<string>((resolve) => {
    const chunks: Buffer[] = [];
    const s = connect(proxy.port, '127.0.0.1', () => s.write('GET /p/a HTTP/1.1\r\nHost: x\r\n\r\nPUT /p/b HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'));
    s.on('data', (c: Buffer) => chunks.push(c));
    s.on('error', () => undefined);
    setTimeout(() => s.destroy(), 3000);
    s.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
  });
  const statuses = text.match(/HTTP\/1\.1 \d{3}/g) ?? [];
  assert.deepEqual(statuses, ['HTTP/1.1 200', 'HTTP/1.1 400'], `the GET's answer first, then the PUT's 400: ${JSON.stringify(text)}`);
  assert.match(text, /\r\n\r\nstored/, "the GET's body whole");
});
