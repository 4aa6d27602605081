// Pipelined requests (RFC 9112 §9.3.2). Regression (hunt, 2026-12-07): Node queues a pipelined
// request's answer behind the ones ahead of it, and a connection that closes meanwhile destroys the
// queued requests without closing their responses — so their upstream GETs, forwarded at once,
// were never cancelled: paused (no bodyTimeout), unattached (no sendTimeout), each holding a pool
// connection. Four viewers pipelining two GETs each and leaving exhausted a two-connection pool
// for good (every later viewer 503). A pipelined request is now served in its turn: the pool is
// free again, and pipelined requests that are read are all answered, in order.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { test } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { raw } from '../support/origin-client.js';
import { BUCKET, KEYS } from '../support/modes-fixture.js';
import { blockFor, startProxyCli } from '../support/proxy-cli.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('pipelined requests: answered in order; left behind by a closed connection, they hold nothing', { timeout: 60_000 }, async (t) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  await origin.putObject(BUCKET, 'big.bin', Buffer.alloc(8 * 1024 * 1024, 7));
  for (const k of ['one', 'two', 'three']) await origin.putObject(BUCKET, `${k}.txt`, `${k}\n`);
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0, sendTimeout: 1 },
    proxies: [{ ...blockFor(origin.port, { path: '/s/', bucket: BUCKET, version: 'v4', mode: 'header', credentials: KEYS }), pool: { connections: 2, queueTimeout: 0.5, bodyTimeout: 1 } }],
  });

  const pipelined = await new Promise<string>((resolve, reject) => {
    const s = connect(proxy.port, '127.0.0.1', () =>
      s.write(['one', 'two', 'three'].map((k, i) => `GET /s/${k}.txt HTTP/1.1\r\nHost: x\r\n${i === 2 ? 'Connection: close\r\n' : ''}\r\n`).join('')),
    );
    let got = '';
    s.on('data', (c: Buffer) => (got += c.toString('latin1')));
    s.on('close', () => resolve(got));
    s.on('error', reject);
  });
  const bodies = [...pipelined.matchAll(/HTTP\/1\.1 200 OK[\s\S]*?\r\n\r\n(\w+)\n/g)].map((m) => m[1]);
  assert.deepEqual(bodies, ['one', 'two', 'three'], pipelined.slice(0, 600));

  // Viewers that each pipeline two GETs of a large object and go away after the first bytes.
  for (let i = 0; i < 4; i++) {
    await new Promise<void>((resolve) => {
      const s = connect(proxy.port, '127.0.0.1', () => s.write('GET /s/big.bin HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(2)));
      s.on('error', () => undefined);
      // Reads nothing more (the first response stalls), then closes.
      s.once('data', () => (s.pause(), setTimeout(() => s.destroy(), 200)));
      s.on('close', () => resolve());
    });
  }
  // Past sendTimeout and bodyTimeout.
  await sleep(3000);
  const metrics = await (await fetch(`${proxy.adminUrl}/metrics`)).text();
  const inFlight = Number(/^origin_signer_requests_in_flight (\d+)/m.exec(metrics)?.[1]);
  const later = await raw(proxy.port, { path: '/s/one.txt' });
  assert.equal(later.status, 200, `a later viewer is refused: ${later.status} ${later.text}; in flight: ${inFlight}`);
  assert.equal(inFlight, 0);
});
