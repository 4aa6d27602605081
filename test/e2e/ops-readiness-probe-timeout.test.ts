// README "Operations → Health": a readiness.probe whose store accepts the connection and never
// answers makes /readyz answer 503 within readiness.timeout, naming the failure — it must not hold
// the load balancer's health check open.
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { test } from 'node:test';
import { readyz } from '../support/ops-prom.js';
import { blockFor, startProxyCli } from '../support/proxy-cli.js';

const KEYS = { accessKeyId: 'AKIDOPSREADY000002', secretAccessKey: 'ops/ready+silent=0123456789abcdef' };

test('readiness.probe against a store that never answers: 503 within readiness.timeout', { timeout: 60_000 }, async (t) => {
  const sockets = new Set<Socket>();
  let requests = 0;
  const silent = createServer((s) => {
    sockets.add(s);
    s.on('data', () => requests++);
    s.on('error', () => {});
  });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  t.after(() => {
    for (const s of sockets) s.destroy();
    silent.close();
  });
  const port = (silent.address() as { port: number }).port;
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    readiness: { probe: '/p/canary.txt', timeout: 1 },
    credentials: { reader: KEYS },
    proxies: [blockFor(port, { bucket: 'silent-bucket', version: 'v4', mode: 'header', credentials: 'reader' })],
  });

  const started = performance.now();
  const res = await readyz(proxy.adminUrl);
  const ms = performance.now() - started;
  assert.equal(res.status, 503, JSON.stringify(res.body));
  assert.equal(res.body.ready, false);
  const probe = res.body.checks.probe;
  assert.equal(probe?.ok, false);
  assert.match(probe?.detail ?? '', /^HEAD \/p\/canary\.txt failed: /);
  assert.ok(requests >= 1, 'the probe reached the store');
  // One second of timeout, with room for a busy machine; never the 5-minute body/headers defaults.
  assert.ok(ms < 10_000, `/readyz took ${ms.toFixed(0)} ms`);
});
