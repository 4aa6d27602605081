// Issue #16 item 8: a request line without an HTTP version (`GET /p/hello.txt`) was served as
// HTTP/0.9 — the object's bytes went back. It is refused with the proxy's JSON 400 and the
// connection is closed: no object bytes come back and nothing reaches the origin.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { BUCKET, KEYS } from '../support/modes-fixture.js';
import { blockFor, startProxyCli } from '../support/proxy-cli.js';
import { waitFor } from '../support/wait-for.js';

const OBJECT = 'the object bytes of hello.txt\n';

/** Writes `data` on a fresh socket (half-closing it when `fin`) and returns everything read until the proxy closes. */
function exchange(port: number, data: string, fin: boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true }, () => (fin ? socket.end(data) : socket.write(data)));
    const timer = setTimeout(() => socket.destroy(new Error(`the proxy did not close the connection after ${JSON.stringify(data)}`)), 5000);
    socket.on('data', (c: Buffer) => chunks.push(c));
    // The proxy's FIN: close our side too (allowHalfOpen would keep it open).
    socket.on('end', () => socket.end());
    socket.on('error', reject);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}

test('a request line without an HTTP version is refused with 400 and the connection closed', async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  await origin.putObject(BUCKET, 'hello.txt', OBJECT, { contentType: 'text/plain' });
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    proxies: [blockFor(origin.port, { path: '/p/', bucket: BUCKET, version: 'v4', mode: 'header', addressing: 'path', credentials: KEYS })],
  });

  await t.test('control: the same line with HTTP/1.0 is served', async () => {
    const text = await exchange(proxy.port, 'GET /p/hello.txt HTTP/1.0\r\n\r\n', false);
    assert.match(text, /^HTTP\/1\.1 200 /);
    assert.ok(text.endsWith(OBJECT), JSON.stringify(text));
  });

  const CASES = [
    // The bytes: the line alone, then the viewer's FIN.
    { request: 'GET /p/hello.txt\r\n', fin: true },
    { request: 'GET /p/hello.txt\r\n\r\n', fin: false },
    { request: 'GET /p/hello.txt\r\nHost: p\r\n\r\n', fin: false },
    { request: 'GET /p/hello.txt HTTP/0.9\r\n\r\n', fin: false },
  ];
  for (const { request, fin } of CASES) {
    await t.test(`${JSON.stringify(request)}${fin ? ' + FIN' : ''} → 400, closed, no object bytes`, async () => {
      const before = origin.requests.length;
      const text = await exchange(proxy.port, request, fin);
      assert.match(text, /^HTTP\/1\.1 400 /, JSON.stringify(text));
      assert.match(text, /\r\nconnection: close\r\n/i, JSON.stringify(text));
      assert.match(text, /"error":"OS_ERR_BAD_REQUEST"/);
      assert.ok(!text.includes(OBJECT), `object bytes came back: ${JSON.stringify(text)}`);
      assert.equal(origin.requests.length, before, 'nothing reached the origin');
    });
  }

  await t.test('the refusal has its access line', async () => {
    const lines = await waitFor(() => {
      const found = proxy.logs().filter((l) => l.msg === 'request' && l.status === 400 && l.path === '/p/hello.txt');
      return found.length >= 3 ? found : undefined;
    }, 'the access lines of the HTTP/0.9 refusals');
    for (const l of lines) assert.equal(l.error, 'OS_ERR_BAD_REQUEST', JSON.stringify(l));
  });
});
