// Review finding: a store that answers an aws-chunked upload before reading it (403 at once), left
// the viewer's connection hanging: the proxy destroyed its decoder, which unpiped and paused the
// request, and nothing read the rest, so the viewer stayed blocked writing and never got its
// answer. The rest is now read and thrown away (bounded), as for a refused plain upload.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { test } from 'node:test';
import { awsChunkedFrames } from '../support/aws-chunked-frames.js';
import { startProxyCli } from '../support/proxy-cli.js';
import { writeBlock } from '../support/writes-helpers.js';

const KEYS = { accessKeyId: 'AKIDEARLYSTORE000001', secretAccessKey: 'early-store-secret' };

test('a store answering before the body is read: the viewer gets the answer and the exchange ends', { timeout: 60_000 }, async (t) => {
  // Answers at once and never reads the body: S3 does this for a request it refuses from its headers.
  const store = createServer((_req, res) => {
    res.writeHead(403, { 'content-type': 'application/xml' });
    res.end('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>');
  });
  await new Promise<void>((resolve) => store.listen(0, '127.0.0.1', resolve));
  t.after(() => store.close());
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    proxies: [writeBlock((store.address() as AddressInfo).port, { path: '/w/', bucket: 'early-bucket', credentials: KEYS, payload: 'unsigned' })],
  });

  const data = Buffer.alloc(4 * 1024 * 1024, 7);
  const body = awsChunkedFrames([data]);
  const head = `PUT /w/seg.ts HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Encoding: aws-chunked\r\nx-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD\r\nx-amz-decoded-content-length: ${data.length}\r\nContent-Length: ${body.length}\r\n\r\n`;
  // The answer, then the exchange's end: either the proxy closes the connection or it reads the
  // next request on it. A hang is neither, for good.
  const started = Date.now();
  const outcome = await new Promise<{ answer: string; then: string }>((resolve, reject) => {
    let got = '';
    let answer: string | undefined;
    const limit = setTimeout(() => resolve({ answer: answer ?? got, then: 'hung for 10 s' }), 10_000);
    const sock = connect(proxy.port, '127.0.0.1', () => sock.write(Buffer.concat([Buffer.from(head), body])));
    sock.on('data', (c: Buffer) => {
      got += c.toString('latin1');
      const end = got.indexOf('\r\n\r\n');
      const length = Number(/content-length: (\d+)/i.exec(got)?.[1]);
      if (answer === undefined && end >= 0 && got.length - end - 4 >= length) {
        answer = got.slice(0, end + 4 + length);
        got = got.slice(end + 4 + length);
        sock.write('GET /w/next.ts HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
      } else if (answer !== undefined && /^HTTP\/1\.1 \d{3}/.test(got)) {
        clearTimeout(limit);
        resolve({ answer, then: 'answered the next request' });
        sock.destroy();
      }
    });
    sock.on('error', reject);
    sock.on('close', () => {
      clearTimeout(limit);
      resolve({ answer: answer ?? got, then: 'closed' });
    });
  });
  assert.match(outcome.answer, /^HTTP\/1\.1 403 /, outcome.answer.slice(0, 200));
  assert.match(outcome.answer, /<Code>AccessDenied<\/Code>/);
  assert.notEqual(outcome.then, 'hung for 10 s');
  assert.ok(Date.now() - started < 10_000, `ended after ${Date.now() - started} ms`);
});
