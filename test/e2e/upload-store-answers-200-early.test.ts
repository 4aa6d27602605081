// Regression (hunt, 2026-12-07): a broken store that answers 200 as soon as it has an upload's
// headers had its 200 passed to the viewer at once — before the proxy had sent the body or checked
// its checksum trailer, so an upload the proxy would have refused (a wrong CRC32) looked stored. A
// 2xx now waits for the upload to have all been sent; undici stops sending once the store's answer
// is complete, so such a store's 200 becomes 502 OS_ERR_UPSTREAM_EARLY_ANSWER, right checksum or
// wrong. (A store that answers after the body, as S3 does, is every other upload test.)
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { awsChecksum, awsChunkedFrames } from '../support/aws-chunked-frames.js';
import { BUCKET, KEYS } from '../support/modes-fixture.js';
import { startProxyCli } from '../support/proxy-cli.js';
import { rawExchange } from '../support/raw-exchange.js';
import { writeBlock } from '../support/writes-helpers.js';

const statusOf = (text: string): number => Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);

test('a store that answers an upload before reading it: the viewer hears only how the upload ended', { timeout: 60_000 }, async (t) => {
  const store = createServer((req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { etag: '"early"' });
    res.end();
    req.resume();
  });
  await new Promise<void>((r) => store.listen(0, '127.0.0.1', r));
  t.after(() => (store.closeAllConnections(), store.close()));
  const port = (store.address() as AddressInfo).port;
  // spool.maxSize below the body: the upload streams to the store as it comes.
  const proxy = await startProxyCli(t, { server: { host: '127.0.0.1', port: 0 }, proxies: [writeBlock(port, { path: '/u/', bucket: BUCKET, credentials: KEYS, payload: 'unsigned', addressing: 'path', spool: { maxSize: 1000 } })] });
  const data = Buffer.alloc(300_000, 0x62);
  const upload = async (trailer: string): Promise<string> => {
    const framed = awsChunkedFrames([data.subarray(0, 150_000), data.subarray(150_000)], { trailers: [`x-amz-checksum-crc32:${trailer}`] });
    const head = `PUT /u/seg.ts HTTP/1.1\r\nHost: x\r\nContent-Encoding: aws-chunked\r\nx-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER\r\nx-amz-trailer: x-amz-checksum-crc32\r\nx-amz-decoded-content-length: ${data.length}\r\nContent-Length: ${framed.length}\r\nConnection: close\r\n\r\n`;
    return rawExchange(proxy.port, [head, framed.subarray(0, 100_000), 300, framed.subarray(100_000)]);
  };

  for (const [what, trailer] of [['a wrong CRC32', 'AAAAAA=='], ['the right CRC32', await awsChecksum('CRC32', data)]] as const) {
    const answer = await upload(trailer);
    assert.equal(statusOf(answer), 502, `${what}: ${answer.slice(0, 300)}`);
    assert.match(answer, /<Code>OS_ERR_UPSTREAM_EARLY_ANSWER<\/Code>/, what);
    assert.doesNotMatch(answer, /etag: "early"/i, `${what}: nothing of the store's 200`);
  }
});

test('a long 200 sent before the upload is read is held (bounded) and passed on once the upload has gone', { timeout: 60_000 }, async (t) => {
  const reply = Buffer.alloc(200_000, 0x61);
  let received = 0;
  const store = createServer((req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { 'content-length': reply.length });
    res.write(reply.subarray(0, 150_000));
    req.on('data', (c: Buffer) => (received += c.length));
    req.on('end', () => res.end(reply.subarray(150_000)));
  });
  await new Promise<void>((r) => store.listen(0, '127.0.0.1', r));
  t.after(() => (store.closeAllConnections(), store.close()));
  const port = (store.address() as AddressInfo).port;
  const proxy = await startProxyCli(t, { server: { host: '127.0.0.1', port: 0 }, proxies: [writeBlock(port, { path: '/u/', bucket: BUCKET, credentials: KEYS, payload: 'unsigned', addressing: 'path', spool: { maxSize: 1000 } })] });
  const body = Buffer.alloc(300_000, 0x62);
  const answer = await rawExchange(proxy.port, [`PUT /u/big.ts HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`, body.subarray(0, 1000), 500, body.subarray(1000)]);
  assert.equal(statusOf(answer), 200, answer.slice(0, 300));
  assert.equal(received, body.length, 'the store got the whole upload');
  assert.ok(answer.endsWith('a'.repeat(1000)) && answer.length > reply.length, 'the whole answer came after it');
});
