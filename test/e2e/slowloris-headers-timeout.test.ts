// Issue #16 item 8: a viewer that sends its request line and headers slowly (slowloris) held its
// connection for ~82 s (Node's 60 s headersTimeout, checked every 30 s) and was then cut without
// an answer. With `server.headersTimeout: 1` it gets the proxy's JSON 408 OS_ERR_REQUEST_TIMEOUT
// with `Connection: close` within about a second of the timeout, and the connection is closed;
// a request whose headers arrived in time may still send its body slowly. A reload applies a new
// headersTimeout.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { BUCKET, KEYS } from '../support/modes-fixture.js';
import { configFileOf } from '../support/creds-helpers.js';
import { startProxyCli, withTestAdmin } from '../support/proxy-cli.js';
import { writeBlock } from '../support/writes-helpers.js';
import { waitForLog } from '../support/access-lines.js';

const HEADERS_TIMEOUT_S = 1;

/**
 * Writes `first` on a fresh socket, then one byte of `trickle` every `everyMs` (a slowloris) until
 * the proxy closes; returns what came back and when the connection closed, counted from connect.
 */
function slowViewer(port: number, first: string, trickle = '', everyMs = 100): Promise<{ text: string; closedAfterMs: number }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let started = 0;
    let sent = 0;
    let timer: NodeJS.Timeout | undefined;
    const socket = connect(port, '127.0.0.1', () => {
      started = performance.now();
      socket.write(first);
      if (trickle) timer = setInterval(() => sent < trickle.length && socket.write(trickle[sent++]!), everyMs);
    });
    // Old behaviour: no answer for ~82 s; give up well before.
    const giveUp = setTimeout(() => socket.destroy(new Error('the proxy did not close the connection within 6 s')), 6000);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'ECONNRESET' && err.code !== 'EPIPE') reject(err);
    });
    socket.on('close', () => {
      clearTimeout(giveUp);
      clearInterval(timer);
      resolve({ text: Buffer.concat(chunks).toString('utf8'), closedAfterMs: performance.now() - started });
    });
  });
}

function assert408(res: { text: string; closedAfterMs: number }, timeoutS = HEADERS_TIMEOUT_S): void {
  assert.match(res.text, /^HTTP\/1\.1 408 Request Timeout\r\n/, JSON.stringify(res.text));
  assert.match(res.text, /\r\nconnection: close\r\n/i);
  const body = JSON.parse(res.text.slice(res.text.indexOf('\r\n\r\n') + 4)) as { error: string; message: string };
  assert.equal(body.error, 'OS_ERR_REQUEST_TIMEOUT');
  assert.match(body.message, /server\.headersTimeout/);
  assert.ok(res.closedAfterMs >= timeoutS * 1000 - 50, `cut after ${Math.round(res.closedAfterMs)} ms, before the ${timeoutS} s timeout`);
  // Within about a second of the timeout (Node checks every quarter of it), with room for a busy machine.
  assert.ok(res.closedAfterMs < timeoutS * 1000 + 1500, `cut only after ${Math.round(res.closedAfterMs)} ms (timeout ${timeoutS} s)`);
}

test('server.headersTimeout: a slowloris gets 408 OS_ERR_REQUEST_TIMEOUT and is closed; a slow body is not cut', { timeout: 60_000 }, async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  const config = (headersTimeout: number): Record<string, unknown> => ({
    server: { host: '127.0.0.1', port: 0, headersTimeout },
    proxies: [writeBlock(origin.port, { path: '/p/', bucket: BUCKET, credentials: KEYS, methods: ['GET', 'HEAD', 'PUT'] })],
  });
  const proxy = await startProxyCli(t, config(HEADERS_TIMEOUT_S));

  await t.test('half a header block, then silence → 408, closed', async () => {
    const res = await slowViewer(proxy.port, 'GET /p/hello.txt HTTP/1.1\r\nHost: proxy.test\r\nX-Slow: ');
    assert408(res);
  });

  await t.test('header bytes trickling in, one every 100 ms → 408 at the timeout all the same', async () => {
    const res = await slowViewer(proxy.port, 'GET /p/hello.txt HTTP/1.1\r\n', `Host: proxy.test\r\nX-Slow: ${'a'.repeat(200)}\r\n\r\n`);
    assert408(res);
  });

  await t.test('headers in time, the body over twice the timeout → stored, 200', async () => {
    const body = 'slow body, one byte at a time!';
    const res = await slowViewer(proxy.port, `PUT /p/slow-body.txt HTTP/1.1\r\nHost: proxy.test\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`, body, 100);
    assert.match(res.text, /^HTTP\/1\.1 200 /, JSON.stringify(res.text));
    assert.ok(res.closedAfterMs > 2 * HEADERS_TIMEOUT_S * 1000, `the body took ${Math.round(res.closedAfterMs)} ms`);
    assert.equal((await origin.getObject(BUCKET, 'slow-body.txt'))?.toString(), body);
  });

  await t.test('SIGHUP with headersTimeout: 2 → the next slowloris is cut at 2 s', async () => {
    writeFileSync(configFileOf(proxy), withTestAdmin(config(2)));
    const from = proxy.logs().length;
    process.kill(proxy.pid, 'SIGHUP');
    await waitForLog(proxy, (l) => l.msg === 'config reloaded', 15_000, from);
    assert408(await slowViewer(proxy.port, 'GET /p/hello.txt HTTP/1.1\r\nHost: proxy.test\r\nX-Slow: '), 2);
  });
});
