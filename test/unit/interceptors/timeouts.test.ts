// interceptors/timeouts.ts: the block's headers and body timeouts, enforced by one sweep per block
// instead of a timer per request, against a real undici Pool (timeouts off, as PoolRegistry builds
// it) and real servers on port 0. undici's own rules are the spec: the headers clock runs until the
// response head, the body clock between chunks and not while the consumer holds the read paused.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { test, type TestContext } from 'node:test';
import { Pool, type Dispatcher } from 'undici';
import { TimeoutWatch, tickFor, timeoutInterceptor } from '../../../src/interceptors/timeouts.js';

async function serve(t: TestContext, handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server: Server = createServer(handle);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function poolFor(t: TestContext, origin: string): Pool {
  // As upstream/pools.ts builds it: undici's own headers and body timers off.
  const pool = new Pool(origin, { connections: 4, headersTimeout: 0, bodyTimeout: 0 });
  t.after(() => pool.destroy());
  return pool;
}

/** Resolves once `cond()` holds, checking every 5 ms; fails after `ms`. */
async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = performance.now() + ms;
  while (!cond()) {
    assert.ok(performance.now() < end, `${what} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

interface Outcome {
  readonly ms: number;
  readonly status?: number;
  readonly body: number;
  readonly error?: string;
}

/** Dispatches one request and reports how it ended; `onData` may pause the controller. */
function run(d: Dispatcher, opts: Dispatcher.DispatchOptions, onData?: (c: Dispatcher.DispatchController) => void): Promise<Outcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    let status: number | undefined;
    let body = 0;
    d.dispatch(opts, {
      onRequestStart() {},
      onResponseStart(_c, s) {
        status = s;
      },
      onResponseData(c, chunk: Buffer) {
        body += chunk.length;
        onData?.(c);
      },
      onResponseEnd() {
        resolve({ ms: performance.now() - started, ...(status === undefined ? {} : { status }), body });
      },
      onResponseError(_c, err: Error) {
        resolve({ ms: performance.now() - started, ...(status === undefined ? {} : { status }), body, error: (err as NodeJS.ErrnoException).code ?? err.message });
      },
    });
  });
}

test('tickFor: a quarter of the shortest timeout, within 5–500 ms', () => {
  assert.equal(tickFor(1), 5);
  assert.equal(tickFor(300), 75);
  assert.equal(tickFor(1000), 250);
  assert.equal(tickFor(30_000), 500);
});

test('an upstream that never answers: UND_ERR_HEADERS_TIMEOUT, never before headersTimeout', { timeout: 10_000 }, async (t) => {
  let arrived = false;
  const origin = await serve(t, () => void (arrived = true));
  const watch = new TimeoutWatch({ headersTimeoutMs: 300, bodyTimeoutMs: 10_000 });
  const d = poolFor(t, origin).compose(timeoutInterceptor({ headersTimeoutMs: 300, bodyTimeoutMs: 10_000 }, watch));
  const pending = run(d, { origin, method: 'GET', path: '/never' });
  await until(() => arrived, 5_000, 'the request reached the origin');
  assert.equal(watch.size, 1, 'the request in flight is watched');
  const out = await pending;
  assert.equal(out.error, 'UND_ERR_HEADERS_TIMEOUT');
  // At most two ticks (300 / 4 ms) late; generous for a shared machine.
  assert.ok(out.ms >= 300 && out.ms < 2_000, `timed out after ${Math.round(out.ms)} ms`);
  assert.equal(watch.size, 0, 'the request left the list');
});

test('an upstream that stalls mid-body: UND_ERR_BODY_TIMEOUT after the body was under way', { timeout: 10_000 }, async (t) => {
  const origin = await serve(t, (_req, res) => {
    res.writeHead(200, { 'content-length': '100' });
    res.write('x'.repeat(10));
  });
  const d = poolFor(t, origin).compose(timeoutInterceptor({ headersTimeoutMs: 10_000, bodyTimeoutMs: 300 }));
  const out = await run(d, { origin, method: 'GET', path: '/stall' });
  assert.equal(out.status, 200);
  assert.equal(out.body, 10);
  assert.equal(out.error, 'UND_ERR_BODY_TIMEOUT');
  assert.ok(out.ms >= 300 && out.ms < 2_000, `timed out after ${Math.round(out.ms)} ms`);
});

test('a body that keeps coming, slower than bodyTimeout in total but not between chunks, completes', async (t) => {
  const origin = await serve(t, (_req, res) => {
    res.writeHead(200, { 'content-length': '8' });
    let n = 0;
    const drip = setInterval(() => {
      res.write('x');
      if (++n === 8) {
        clearInterval(drip);
        res.end();
      }
    }, 80);
  });
  const d = poolFor(t, origin).compose(timeoutInterceptor({ headersTimeoutMs: 10_000, bodyTimeoutMs: 300 }));
  const out = await run(d, { origin, method: 'GET', path: '/drip' });
  assert.equal(out.error, undefined);
  assert.equal(out.body, 8);
  assert.ok(out.ms > 600, `took ${Math.round(out.ms)} ms, over twice bodyTimeout`);
});

test('time paused for a slow consumer does not count against bodyTimeout (undici\'s rule)', async (t) => {
  const origin = await serve(t, (_req, res) => {
    res.writeHead(200, { 'content-length': '2' });
    res.write('a');
    setTimeout(() => res.end('b'), 50);
  });
  const d = poolFor(t, origin).compose(timeoutInterceptor({ headersTimeoutMs: 10_000, bodyTimeoutMs: 200 }));
  let paused = false;
  const out = await run(d, { origin, method: 'GET', path: '/paused' }, (c) => {
    if (paused) return;
    paused = true;
    c.pause();
    setTimeout(() => c.resume(), 1_000);
  });
  assert.equal(out.error, undefined, 'not cut while paused for five times bodyTimeout');
  assert.equal(out.body, 2);
  assert.ok(out.ms >= 1_000);
});

test('an upload keeps undici\'s own timers: a store that reads it and never answers times out', { timeout: 10_000 }, async (t) => {
  let uploaded = false;
  const origin = await serve(t, (req) => req.resume().on('end', () => (uploaded = true)));
  const watch = new TimeoutWatch({ headersTimeoutMs: 300, bodyTimeoutMs: 300 });
  const d = poolFor(t, origin).compose(timeoutInterceptor({ headersTimeoutMs: 300, bodyTimeoutMs: 300 }, watch));
  const pending = run(d, { origin, method: 'PUT', path: '/upload', headers: { 'content-length': '3' }, body: Readable.from([Buffer.from('abc')]) });
  await until(() => uploaded, 5_000, 'the origin read the upload');
  assert.equal(watch.size, 0, 'uploads are not on the sweep list');
  const out = await pending;
  assert.equal(out.error, 'UND_ERR_HEADERS_TIMEOUT');
  assert.ok(out.ms >= 250 && out.ms < 2_000, `timed out after ${Math.round(out.ms)} ms`);
});

test('many quick requests: none timed out, the list empties and the sweep stops', async (t) => {
  const origin = await serve(t, (_req, res) => res.end('ok'));
  const watch = new TimeoutWatch({ headersTimeoutMs: 200, bodyTimeoutMs: 200 });
  const d = poolFor(t, origin).compose(timeoutInterceptor({ headersTimeoutMs: 200, bodyTimeoutMs: 200 }, watch));
  const outs = await Promise.all(Array.from({ length: 200 }, (_, i) => run(d, { origin, method: 'GET', path: `/k${i}` })));
  assert.deepEqual(outs.filter((o) => o.error !== undefined || o.body !== 2), []);
  assert.equal(watch.size, 0);
  // The first sweep that finds the list empty stops the timer.
  await until(() => !watch.running, 5_000, 'no timer left while nothing is in flight');
});
