// README "Operations → Shutdown" and the error table (OS_ERR_SHUTTING_DOWN): once SIGTERM has
// begun a graceful shutdown, a request that arrives on a connection kept alive by a response still
// streaming is answered 503 OS_ERR_SHUTTING_DOWN with `Connection: close` — it is not forwarded —
// while the response in flight completes byte-exact and the process then exits 0. The 503 has its
// access line like every other answer (issue #16 item 8: it had none).
import assert from 'node:assert/strict';
import { randomFillSync } from 'node:crypto';
import { connect } from 'node:net';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { sha256Hex } from '../support/generated-body.js';
import { exitOf } from '../support/ops-download.js';
import { until } from '../support/ops-prom.js';
import { blockFor, startProxyCli } from '../support/proxy-cli.js';
import { MiB } from '../support/sizes.js';

const BUCKET = 'shutdown-keepalive';
const KEYS = { accessKeyId: 'AKIDOPSSHUTDOWN002', secretAccessKey: 'ops/shutdown+keepalive=0123456789abcdef' };

test('a request on a kept-alive connection after SIGTERM: 503 OS_ERR_SHUTTING_DOWN, Connection: close, logged; the first response completes', { timeout: 60_000 }, async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  const big = randomFillSync(Buffer.allocUnsafe(32 * MiB));
  await origin.putObject(BUCKET, 'big.bin', big, { contentType: 'application/octet-stream' });
  await origin.putObject(BUCKET, 'small.txt', 'small\n', { contentType: 'text/plain' });
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0, shutdownTimeout: 30 },
    credentials: { reader: KEYS },
    proxies: [blockFor(origin.port, { bucket: BUCKET, version: 'v4', mode: 'header', credentials: 'reader' })],
  });
  const exited = exitOf(proxy.child);

  const socket = connect(proxy.port, '127.0.0.1');
  const chunks: Buffer[] = [];
  let received = 0;
  let holding = false;
  let firstBytes!: () => void;
  const started = new Promise<void>((r) => (firstBytes = r));
  socket.on('data', (c: Buffer) => {
    chunks.push(c);
    received += c.length;
    if (!holding && received >= MiB) {
      holding = true;
      socket.pause();
      firstBytes();
    }
  });
  const closed = new Promise<void>((r) => socket.on('close', () => r()));
  socket.write(`GET /p/big.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
  await started;
  const originRequests = origin.requests.length;

  const from = proxy.logs().length;
  process.kill(proxy.pid, 'SIGTERM');
  await until('the proxy logs "shutting down"', async () => proxy.logs().slice(from).some((l) => l.msg === 'shutting down'), (v) => v, 10_000);
  // The second request, on the same connection, while the first response is still streaming.
  socket.write(`GET /p/small.txt?v=2 HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Request-Id: shutdown-503\r\n\r\n`);
  socket.resume();
  await closed;

  const all = Buffer.concat(chunks);
  const headEnd = all.indexOf('\r\n\r\n');
  const head1 = all.subarray(0, headEnd).toString('latin1');
  assert.match(head1, /^HTTP\/1\.1 200 /);
  const length = Number(/\r\ncontent-length: (\d+)/i.exec(head1)?.[1]);
  assert.equal(length, big.length);
  const body1 = all.subarray(headEnd + 4, headEnd + 4 + length);
  assert.equal(sha256Hex(body1), sha256Hex(big), 'the download in flight completes byte-exact');

  const second = all.subarray(headEnd + 4 + length).toString('latin1');
  assert.match(second, /^HTTP\/1\.1 503 /);
  assert.match(second, /\r\nconnection: close\r\n/i);
  const body2 = JSON.parse(second.slice(second.indexOf('\r\n\r\n') + 4)) as { error: string };
  assert.equal(body2.error, 'OS_ERR_SHUTTING_DOWN');
  assert.equal(origin.requests.length, originRequests, 'the refused request never reached the origin');
  assert.deepEqual(await exited, { code: 0, signal: null });
  // The process has exited: every access line is written.
  const line = proxy.logs().find((l) => l.msg === 'request' && l.reqId === 'shutdown-503');
  assert.ok(line, `no access line for the 503:\n${proxy.lines.slice(-5).join('\n')}`);
  assert.deepEqual({ method: line.method, path: line.path, query: line.query, status: line.status, error: line.error }, { method: 'GET', path: '/p/small.txt', query: 'v=2', status: 503, error: 'OS_ERR_SHUTTING_DOWN' });
});
