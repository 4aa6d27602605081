// upstream/pools.ts: the block's headers and body timeouts are undici's own, set on the Pool, so
// blocks that differ in them must not share a pool. Real servers on port 0.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, type TestContext } from 'node:test';
import { PoolRegistry, poolKey, type PoolSettings } from '../../../src/upstream/pools.js';

const SETTINGS: PoolSettings = { connections: 4, connectTimeoutMs: 2_000, headersTimeoutMs: 30_000, bodyTimeoutMs: 30_000, keepAliveTimeoutMs: 4_000, queueTimeoutMs: 10_000 };

async function serve(t: TestContext, handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(handle);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function registry(t: TestContext): PoolRegistry {
  const pools = new PoolRegistry();
  t.after(() => pools.close());
  return pools;
}

/** The error code a GET through the registry's pool ends with, and after how long. */
async function failure(pools: PoolRegistry, origin: string, s: PoolSettings): Promise<{ code: string | undefined; ms: number }> {
  const started = performance.now();
  try {
    const res = await pools.get(origin, s).request({ method: 'GET', path: '/x' });
    await res.body.text();
    return { code: undefined, ms: performance.now() - started };
  } catch (err) {
    return { code: (err as NodeJS.ErrnoException).code, ms: performance.now() - started };
  }
}

test('blocks whose headers or body timeouts differ get pools of their own', (t) => {
  const origin = 'http://store.internal:7480';
  assert.notEqual(poolKey(origin, SETTINGS), poolKey(origin, { ...SETTINGS, headersTimeoutMs: 5_000 }));
  assert.notEqual(poolKey(origin, SETTINGS), poolKey(origin, { ...SETTINGS, bodyTimeoutMs: 5_000 }));
  const pools = registry(t);
  assert.equal(pools.get(origin, SETTINGS), pools.get(origin, { ...SETTINGS }), 'the same settings share one');
  assert.notEqual(pools.get(origin, SETTINGS), pools.get(origin, { ...SETTINGS, headersTimeoutMs: 5_000 }));
  assert.deepEqual(pools.entries().map((e) => e.origin), [origin, origin]);
});

test('an upstream that never answers: UND_ERR_HEADERS_TIMEOUT after the pool\'s headersTimeout', { timeout: 10_000 }, async (t) => {
  const origin = await serve(t, () => undefined);
  const out = await failure(registry(t), origin, { ...SETTINGS, headersTimeoutMs: 300 });
  assert.equal(out.code, 'UND_ERR_HEADERS_TIMEOUT');
  assert.ok(out.ms >= 250 && out.ms < 5_000, `timed out after ${Math.round(out.ms)} ms`);
});

test('an upstream that stalls mid-body: UND_ERR_BODY_TIMEOUT after the pool\'s bodyTimeout', { timeout: 10_000 }, async (t) => {
  const origin = await serve(t, (_req, res) => {
    res.writeHead(200, { 'content-length': '100' });
    res.write('x'.repeat(10));
  });
  const out = await failure(registry(t), origin, { ...SETTINGS, bodyTimeoutMs: 300 });
  assert.equal(out.code, 'UND_ERR_BODY_TIMEOUT');
  assert.ok(out.ms >= 250 && out.ms < 5_000, `timed out after ${Math.round(out.ms)} ms`);
});
