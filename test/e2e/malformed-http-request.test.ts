// Requests Node's HTTP parser refuses (an unknown method, conflicting Content-Length, bytes after
// `Connection: close`) get the proxy's JSON 400 and never reach the origin. Such a refusal must
// not be cacheable (cache-control: no-store, like every other refusal), and it must never take
// the place of the answer to a valid request that came before it on the same connection.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { BUCKET, KEYS } from '../support/modes-fixture.js';
import { blockFor, startProxyCli } from '../support/proxy-cli.js';

/** Writes `data` on a fresh socket (without half-closing it) and returns everything read until the proxy closes. */
function exchange(port: number, data: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1', () => socket.write(data));
    const timer = setTimeout(() => socket.destroy(), 5000);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}

const statusLines = (text: string): string[] => text.match(/HTTP\/1\.1 \d{3}[^\r]*/g) ?? [];

test('malformed HTTP requests', async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  await origin.putObject(BUCKET, 'ok.txt', 'fine\n', { contentType: 'text/plain' });
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    proxies: [blockFor(origin.port, { path: '/p/', bucket: BUCKET, version: 'v4', mode: 'header', addressing: 'path', credentials: KEYS })],
  });

  const MALFORMED = [
    'FOO /p/ok.txt HTTP/1.1\r\nHost: p\r\n\r\n',
    'GET /p/ok.txt HTTP/1.1\r\nHost: p\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab',
    'GET /p/ok.txt HTTP/1.1\r\nHost: p\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n',
  ];

  await t.test('answered with the proxy\'s JSON 400, nothing upstream', async () => {
    for (const request of MALFORMED) {
      const before = origin.requests.length;
      const text = await exchange(proxy.port, request);
      assert.deepEqual(statusLines(text).map((l) => l.slice(9, 12)), ['400'], `${JSON.stringify(request)} → ${JSON.stringify(text)}`);
      assert.match(text, /"error":"OS_ERR_BAD_REQUEST"/);
      assert.equal(origin.requests.length, before, `${JSON.stringify(request)} reached the origin`);
    }
  });

  await t.test('the 400 is not cacheable', {}, async () => {
    const text = await exchange(proxy.port, MALFORMED[0]!);
    assert.match(text, /\r\ncache-control: no-store\r\n/i, JSON.stringify(text));
  });

  await t.test(
    'a valid request ahead of a malformed one on the same connection gets its own answer first',
    {},
    async () => {
      for (const tail of ['BOGUS\r\n\r\n', 'GET /p/ok.txt HTTP/1.1\r\nHost: p\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n']) {
        const text = await exchange(proxy.port, `GET /p/ok.txt HTTP/1.1\r\nHost: p\r\n\r\n${tail}`);
        const statuses = statusLines(text).map((l) => l.slice(9, 12));
        assert.equal(statuses[0], '200', `the GET's answer must come first: ${JSON.stringify(text)}`);
        assert.match(text, /\r\n\r\nfine\n/);
      }
    },
  );
});
