// Regression "a few slow viewers starve an origin": requests waiting for a free upstream
// connection had no timeout, so viewers that never read a large object held every connection and
// every other request waited for the whole body timeout. Now a request waits at most
// pool.queueTimeout (503 OS_ERR_UPSTREAM_BUSY with Retry-After), and a viewer that reads nothing
// for server.sendTimeout is cut, which frees its upstream connection.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { raw } from '../support/origin-client.js';
import { BUCKET, KEYS } from '../support/modes-fixture.js';
import { parsePrometheus, value } from '../support/ops-prom.js';
import { blockFor, startProxyCli } from '../support/proxy-cli.js';
import { stalledViewer } from '../support/sockets.js';
import { waitFor } from '../support/wait-for.js';

test('two viewers that never read cannot starve a pool of two connections', { timeout: 60_000 }, async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  await origin.putObject(BUCKET, 'big.bin', Buffer.alloc(50 * 1024 * 1024, 7));
  await origin.putObject(BUCKET, 'small.txt', 'small\n');
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0, sendTimeout: 2 },
    proxies: [{ ...blockFor(origin.port, { path: '/s/', bucket: BUCKET, version: 'v4', mode: 'header', credentials: KEYS }), pool: { connections: 2, queueTimeout: 0.5 } }],
  });
  const viewers = [await stalledViewer(proxy.port, '/s/big.bin'), await stalledViewer(proxy.port, '/s/big.bin')];
  t.after(() => viewers.forEach((v) => v.destroy()));

  // Every connection is held: the next request waits queueTimeout, then is told to come back.
  const started = performance.now();
  const busy = await raw(proxy.port, { path: '/s/small.txt' });
  const waited = performance.now() - started;
  assert.equal(busy.status, 503, busy.text);
  assert.equal(JSON.parse(busy.text).error, 'OS_ERR_UPSTREAM_BUSY');
  assert.equal(busy.headers['retry-after'], '1');
  assert.ok(waited >= 450 && waited < 5000, `answered after the queue timeout (${Math.round(waited)} ms)`);

  // sendTimeout cuts the viewers that read nothing (a paused socket does not see the FIN: the
  // proxy's access lines say so), and their connections serve others again.
  const cut = (): Array<Record<string, unknown>> => proxy.logs().filter((l) => l.error === 'sendTimeout');
  await waitFor(() => cut().length === 2, 'both stalled viewers are cut', 20_000);
  const served = await raw(proxy.port, { path: '/s/small.txt' });
  assert.equal(served.status, 200);
  assert.equal(served.text, 'small\n');

  const metrics = parsePrometheus(await (await fetch(`${proxy.adminUrl}/metrics`)).text());
  assert.ok((value(metrics, 'origin_signer_upstream_queue_wait_seconds_count', { block: '/s/' }) ?? 0) >= 1, 'the wait is measured');
  assert.equal(value(metrics, 'origin_signer_upstream_queued_requests', { block: '/s/' }), 0, 'nobody is left waiting');
  assert.ok(cut().every((l) => l.aborted === true && (l.bytesOut as number) < 50 * 1024 * 1024));
});
