// README "Operations → Shutdown": SIGTERM while a 100 MiB download is in progress (the viewer
// reads slowly and has stopped reading when the signal arrives): the listener closes at once (a
// new connection is refused), the download still completes byte-exact, and then the process exits
// 0. The same with `server.workers: 2`, where the primary passes SIGTERM to the workers.
import assert from 'node:assert/strict';
import { randomFillSync } from 'node:crypto';
import { test, type TestContext } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { sha256Hex } from '../support/generated-body.js';
import { alive, exitOf, heldDownload, tryConnect, untilRefused } from '../support/ops-download.js';
import { until } from '../support/ops-prom.js';
import { blockFor, startProxyCli } from '../support/proxy-cli.js';
import { MiB } from '../support/sizes.js';

const BUCKET = 'shutdown-bucket';
const KEYS = { accessKeyId: 'AKIDOPSSHUTDOWN001', secretAccessKey: 'ops/shutdown+secret=0123456789abcdef' };

async function sigtermDuringDownload(t: TestContext, workers: number): Promise<void> {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  const big = randomFillSync(Buffer.allocUnsafe(100 * MiB));
  const bigSha = sha256Hex(big);
  await origin.putObject(BUCKET, 'big.bin', big, { contentType: 'application/octet-stream' });
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0, workers, shutdownTimeout: 60 },
    credentials: { reader: KEYS },
    proxies: [blockFor(origin.port, { bucket: BUCKET, version: 'v4', mode: 'header', credentials: 'reader' })],
  });
  const listening = proxy.logs().find((l) => l.msg === 'listening')!;
  const workerPids = workers > 1 ? (listening.workers as number[]) : [];
  assert.equal(workerPids.length, workers > 1 ? workers : 0);
  const exited = exitOf(proxy.child);

  const download = heldDownload(proxy.port, '/p/big.bin', 8 * MiB);
  await download.held;
  const from = proxy.logs().length;
  process.kill(proxy.pid, 'SIGTERM');
  // Each serving process logs that it is shutting down (the workers, or the single process).
  const shutting = (): Set<unknown> => new Set(proxy.logs().slice(from).filter((l) => l.msg === 'shutting down').map((l) => l.pid));
  await until('every serving process logs "shutting down"', async () => shutting().size, (n) => n >= Math.max(1, workers), 10_000);
  assert.deepEqual([...shutting()].sort(), workers > 1 ? [...workerPids].sort() : [proxy.pid]);

  // The listener is closed while the download is still held: new connections are refused.
  await untilRefused(proxy.port);
  assert.equal(await tryConnect(proxy.port), 'ECONNREFUSED');
  assert.equal(download.finished(), false, 'the download is still in progress');
  assert.ok(download.received() < 100 * MiB);
  assert.equal(proxy.child.exitCode, null, 'the process waits for the request in flight');
  assert.ok(alive(proxy.pid));

  download.resume();
  const got = await download.done;
  assert.equal(got.status, 200);
  assert.equal(got.bytes, 100 * MiB);
  assert.equal(got.sha256, bigSha, 'byte-exact');
  assert.equal(Number(got.headers['content-length']), 100 * MiB);

  const { code, signal } = await exited;
  assert.deepEqual({ code, signal }, { code: 0, signal: null });
  assert.equal(await proxy.stop(), 0);
  for (const pid of workerPids) assert.equal(alive(pid), false, `worker ${pid} has exited`);
  const stopped = proxy.logs().filter((l) => l.msg === 'stopped');
  assert.equal(new Set(stopped.map((l) => l.pid)).size, Math.max(1, workers), 'every serving process stopped cleanly');
  assert.ok(!proxy.logs().some((l) => /timeout reached|did not stop in time/.test(String(l.msg))));
}

test('SIGTERM during a slow 100 MiB download: refuses new connections, finishes it byte-exact, exits 0', { timeout: 120_000 }, (t) => sigtermDuringDownload(t, 1));

test('the same with server.workers: 2', { timeout: 120_000 }, (t) => sigtermDuringDownload(t, 2));
