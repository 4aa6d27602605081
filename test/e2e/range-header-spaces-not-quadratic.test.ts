// Regression (found by a hostile-viewer hunt): a cached block reads the viewer's Range with a
// regular expression that allowed spaces around each part as two runs of `\s*` with only an
// optional number between them, so `Range: bytes=` followed by 16 KiB of spaces and a letter
// backtracked quadratically: a tenth of a second or more of the event loop per request, during
// which no other viewer was served; a few such requests a second stalled a worker. The pattern is
// now linear: twenty such requests take what twenty plain ones do, and the header is still
// ignored (the whole object), as before.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { test } from 'node:test';
import { cachedBlock } from '../support/cache-fixture.js';
import { startProxyCli } from '../support/proxy-cli.js';
import { fakeStore } from '../support/fake-store.js';

/** One request on its own connection (Connection: close); its status line and how long it took. */
function timed(port: number, path: string, range: string): Promise<{ status: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nRange: ${range}\r\n\r\n`));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => resolve({ status: Buffer.concat(chunks).toString('latin1').split('\r\n')[0]!, ms: performance.now() - started }));
  });
}

test('a Range header full of spaces costs no more than a plain one', { timeout: 60_000 }, async (t) => {
  const port = await fakeStore(t, (_req, res) => {
    res.writeHead(200, { 'content-length': '5', etag: '"a"', 'cache-control': 'max-age=3600' });
    res.end('hello');
  });
  const proxy = await startProxyCli(t, { server: { host: '127.0.0.1', port: 0 }, proxies: [cachedBlock(port, '/c/', { ttl: '1h' }), cachedBlock(port, '/s/', { ttl: '1h', slice: '64KiB' })] });

  for (const path of ['/c/obj', '/s/obj']) {
    assert.equal((await timed(proxy.port, path, 'bytes=0-4')).status, 'HTTP/1.1 206 Partial Content', 'kept');
    let total = 0;
    for (const [i, range] of ['bytes=', 'bytes=1-'].flatMap((head) => Array.from({ length: 10 }, () => `${head}${' '.repeat(16_000)}x`)).entries()) {
      const r = await timed(proxy.port, path, range);
      assert.equal(r.status, 'HTTP/1.1 200 OK', `${path} request ${i}: not a range, the whole object`);
      total += r.ms;
    }
    t.diagnostic(`${path}: ${total.toFixed(0)} ms for twenty`);
    // Before the fix: 100-250 ms each, 2 s or more in all; after: a few ms each.
    assert.ok(total < 800, `${path}: twenty requests took ${total.toFixed(0)} ms`);
  }
});
