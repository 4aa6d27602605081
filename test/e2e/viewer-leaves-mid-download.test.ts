// A viewer that goes away in the middle of a download: the proxy aborts its upstream request at
// once (the store stops sending; its connection is not left streaming to nobody), logs the
// exchange as aborted, and goes on serving. The viewer's 'close' and the access line share one
// listener in forward.ts; this keeps both halves of it honest.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { BUCKET, KEYS } from '../support/modes-fixture.js';
import { blockFor, startProxyCli } from '../support/proxy-cli.js';

test('a viewer that leaves mid-download: the upstream response is aborted and the line says aborted', async (t) => {
  let upstreamClosedEarly: (() => void) | undefined;
  const closed = new Promise<void>((resolve) => (upstreamClosedEarly = resolve));
  // An endless body, written as fast as the proxy takes it.
  const origin = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (!req.url?.includes('endless')) return void res.end('small');
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const pump = (): void => {
      while (res.write(chunk));
    };
    res.on('drain', pump);
    res.on('close', () => {
      if (!res.writableFinished) upstreamClosedEarly?.();
    });
    pump();
  });
  origin.listen(0, '127.0.0.1');
  await once(origin, 'listening');
  t.after(() => {
    origin.closeAllConnections();
    origin.close();
  });
  const port = (origin.address() as AddressInfo).port;
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    proxies: [blockFor(port, { path: '/p/', bucket: BUCKET, version: 'v4', mode: 'header', addressing: 'path', credentials: KEYS })],
  });

  // Read 1 MiB of it, then hang up.
  await new Promise<void>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: proxy.port, path: '/p/endless.bin', agent: false }, (res) => {
      assert.equal(res.statusCode, 200);
      let seen = 0;
      res.on('data', (c: Buffer) => {
        seen += c.length;
        if (seen >= 1024 * 1024) {
          req.destroy();
          resolve();
        }
      });
    });
    req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
    req.end();
  });

  const gaveUp = setTimeout(() => upstreamClosedEarly?.(), 10_000);
  const started = performance.now();
  await closed;
  clearTimeout(gaveUp);
  assert.ok(performance.now() - started < 5_000, 'the upstream response was aborted, not left to stream');

  // The access line of that exchange: 200 with "aborted", and the proxy still serves.
  const small = await new Promise<number>((resolve, reject) => {
    request({ host: '127.0.0.1', port: proxy.port, path: '/p/small.txt', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    })
      .on('error', reject)
      .end();
  });
  assert.equal(small, 200);
  // Access lines are written in batches, at the latest every 100 ms.
  const lineOf = (): Array<Record<string, unknown>> => proxy.logs().filter((l) => l.msg === 'request' && l.path === '/p/endless.bin');
  for (let i = 0; i < 50 && lineOf().length === 0; i++) await new Promise((r) => setTimeout(r, 100));
  const lines = lineOf();
  assert.equal(lines.length, 1);
  assert.equal(lines[0]!.status, 200);
  assert.equal(lines[0]!.aborted, true);
  assert.ok((lines[0]!.bytesOut as number) >= 1024 * 1024);
});
