// Issue #16 item 5, README "Ingest": ffmpeg (`-f hls -method PUT`) sends its chunked body, then
// half-closes its side (TCP FIN) and waits for the answer. Node's http server took that FIN as the
// viewer leaving: the upload was aborted, logged 499, nothing stored. The end of the read side
// once the whole body has arrived is not the viewer leaving: the upload is stored and answered.
// A FIN before the body is complete still aborts it, and nothing is stored.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { BUCKET, KEYS } from '../support/modes-fixture.js';
import { startProxyCli, type ProxyProcess } from '../support/proxy-cli.js';
import { KiB } from '../support/sizes.js';
import { writeBlock } from '../support/writes-helpers.js';
import { generatedBytes } from '../support/generated-body.js';
import { waitFor } from '../support/wait-for.js';

/** `body` framed as chunks of at most 16 KiB, with (or without) the last chunk. */
function chunked(body: Buffer, last: boolean): Buffer {
  const parts: Buffer[] = [];
  for (let off = 0; off < body.length; off += 16 * KiB) {
    const piece = body.subarray(off, off + 16 * KiB);
    parts.push(Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n'));
  }
  if (last) parts.push(Buffer.from('0\r\n\r\n'));
  return Buffer.concat(parts);
}

/** Writes `data` on a fresh socket, half-closes it (end(): FIN) and returns everything read until the proxy closes. */
function writeThenHalfClose(port: number, data: Buffer): Promise<{ text: string; ended: string }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    // allowHalfOpen: our side keeps reading after its own FIN, as ffmpeg's does after shutdown(SHUT_WR).
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true }, () => socket.end(data));
    const timer = setTimeout(() => socket.destroy(new Error('timeout')), 15_000);
    let ended = 'close';
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (err: NodeJS.ErrnoException) => (ended = err.code ?? err.message));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ text: Buffer.concat(chunks).toString('utf8'), ended });
    });
  });
}

const statusOf = (text: string): number => Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
const logLineFor = (proxy: ProxyProcess, path: string): Record<string, unknown> | undefined => proxy.logs().find((l) => l.msg === 'request' && l.path === path);

test('an upload whose viewer half-closes after its last chunk is stored and answered', { timeout: 60_000 }, async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    proxies: [writeBlock(origin.port, { path: '/ingest/', bucket: BUCKET, credentials: KEYS, methods: ['GET', 'HEAD', 'PUT', 'DELETE'] })],
  });
  const body = generatedBytes(200 * KiB, 'half-closed');

  await t.test('Transfer-Encoding: chunked (spooled), FIN right after the last chunk → 200, stored', async () => {
    const path = '/ingest/show/segment-chunked.ts';
    const head = `PUT ${path} HTTP/1.1\r\nHost: proxy.test\r\nContent-Type: video/mp2t\r\nTransfer-Encoding: chunked\r\n\r\n`;
    const res = await writeThenHalfClose(proxy.port, Buffer.concat([Buffer.from(head), chunked(body, true)]));
    assert.equal(statusOf(res.text), 200, JSON.stringify(res));
    assert.ok((await origin.getObject(BUCKET, 'show/segment-chunked.ts'))?.equals(body), 'stored byte-exact');
    const line = await waitFor(() => logLineFor(proxy, path), `the log line for ${path}`);
    assert.equal(line.status, 200, JSON.stringify(line));
    assert.equal(line.aborted, undefined, JSON.stringify(line));
  });

  await t.test('Content-Length (streamed), FIN right after the body → 200, stored', async () => {
    const path = '/ingest/show/segment-length.ts';
    const head = `PUT ${path} HTTP/1.1\r\nHost: proxy.test\r\nContent-Type: video/mp2t\r\nContent-Length: ${body.length}\r\n\r\n`;
    const res = await writeThenHalfClose(proxy.port, Buffer.concat([Buffer.from(head), body]));
    assert.equal(statusOf(res.text), 200, JSON.stringify(res));
    assert.ok((await origin.getObject(BUCKET, 'show/segment-length.ts'))?.equals(body), 'stored byte-exact');
  });

  await t.test('FIN in the middle of a chunked body → aborted, nothing stored', async () => {
    const path = '/ingest/show/segment-cut.ts';
    const before = origin.requests.length;
    const head = `PUT ${path} HTTP/1.1\r\nHost: proxy.test\r\nContent-Type: video/mp2t\r\nTransfer-Encoding: chunked\r\n\r\n`;
    const framed = chunked(body, false);
    // Cut inside a chunk's data: the parser is mid-message when the FIN arrives.
    const res = await writeThenHalfClose(proxy.port, Buffer.concat([Buffer.from(head), framed.subarray(0, framed.length - 1000)]));
    assert.notEqual(statusOf(res.text), 200, JSON.stringify(res));
    const line = await waitFor(() => logLineFor(proxy, path), `the log line for ${path}`);
    assert.notEqual(line.status, 200, JSON.stringify(line));
    assert.equal(origin.requests.length, before, 'nothing reached the origin');
    assert.equal(await origin.getObject(BUCKET, 'show/segment-cut.ts'), undefined, 'no object was created');
  });
});
