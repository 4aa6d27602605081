// Regression (hunt, 2026-12-07): a GET whose answer is still on its way, then a pipelined PUT
// with an unreadable chunked body: answerClientError wrote its raw 400 on the socket at once (the
// PUT's response queued, not started), so the 400 landed where the GET's answer belonged and the
// GET was cut. RFC 9112 §9.3.2: responses go in the order of the requests. Now the GET is
// answered, then the PUT gets its 400, then the connection closes. And (a review of that fix) a
// complete request queued before garbage is served, not given the garbage's 400.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test, type TestContext } from 'node:test';
import { blockFor, startProxyCli } from '../support/proxy-cli.js';
import { KEYS } from '../support/modes-fixture.js';
import { rawExchange, statusesOf } from '../support/raw-exchange.js';

/** The proxy in front of a store that answers every GET after 300 ms. */
async function slowStoreProxy(t: TestContext): Promise<number> {
  const store = createServer((s) => {
    s.on('error', () => undefined);
    let buf = '';
    s.on('data', (d: Buffer) => {
      buf += d.toString('latin1');
      for (let i = buf.indexOf('\r\n\r\n'); i !== -1; i = buf.indexOf('\r\n\r\n')) {
        const isGet = buf.startsWith('GET');
        buf = buf.slice(i + 4);
        if (isGet) setTimeout(() => s.write('HTTP/1.1 200 OK\r\nContent-Length: 6\r\nContent-Type: text/plain\r\n\r\nstored'), 300);
      }
    });
  });
  await new Promise<void>((r) => store.listen(0, '127.0.0.1', () => r()));
  t.after(() => store.close());
  const port = (store.address() as { port: number }).port;
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    proxies: [blockFor(port, { path: '/p/', bucket: 'bkt', version: 'v4', mode: 'header', addressing: 'path', credentials: KEYS, methods: ['GET', 'HEAD', 'PUT'] })],
  });
  return proxy.port;
}

test('a pipelined body error never takes the place of an earlier answer', { timeout: 30_000 }, async (t) => {
  const port = await slowStoreProxy(t);
  const text = await rawExchange(port, 'GET /p/a HTTP/1.1\r\nHost: x\r\n\r\nPUT /p/b HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', 3000);
  assert.deepEqual(statusesOf(text), ['HTTP/1.1 200', 'HTTP/1.1 400'], `the GET's answer first, then the PUT's 400: ${JSON.stringify(text)}`);
  assert.match(text, /\r\n\r\nstored/, "the GET's body whole");
});

test('a complete request queued before garbage is served in its turn', { timeout: 30_000 }, async (t) => {
  const port = await slowStoreProxy(t);
  const text = await rawExchange(port, 'GET /p/a HTTP/1.1\r\nHost: x\r\n\r\nGET /p/b HTTP/1.1\r\nHost: x\r\n\r\nBAD REQUEST LINE\r\n\r\n', 3000);
  assert.deepEqual(statusesOf(text), ['HTTP/1.1 200', 'HTTP/1.1 200'], JSON.stringify(text));
});
