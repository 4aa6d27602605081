// README: "memory does not grow with object size" because bodies stream with backpressure. An
// object larger than every socket buffer on the way streams through the CLI proxy to a viewer that
// stops reading after 10 MiB for a while: the proxy must stop reading from the upstream instead of
// buffering the rest, and the bytes that arrive are exactly the object's. A counting TCP relay
// between the proxy and the origin shows how far the proxy read ahead of its viewer: at most the
// socket buffers along the way, not the rest of the object. Linux grows a loopback socket's receive
// buffer up to tcp_rmem's maximum (32 MiB on these machines): the limit and the object's size are
// read from the kernel's settings, or a 100 MiB object against 40 MiB flakes on a loaded machine.
// (That is the functional check; the proxy's resident memory depends on the
// runtime's GC and is measured by `npm run bench:memory`, not asserted here.)
import assert from 'node:assert/strict';
import { createHash, randomFillSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { test, type TestContext } from 'node:test';
import { startStrictOrigin } from '@origin-signer/strict-origin';
import { sha256Hex } from '../support/generated-body.js';
import { BUCKET, KEYS } from '../support/modes-fixture.js';
import { blockFor, startProxyCli, type ProxyProcess } from '../support/proxy-cli.js';
import { MiB } from '../support/sizes.js';

/** The largest buffer Linux lets a TCP socket grow to (`tcp_rmem` / `tcp_wmem`, third field), else its defaults. */
function tcpBufferMax(name: 'tcp_rmem' | 'tcp_wmem', fallback: number): number {
  try {
    return Number(readFileSync(`/proc/sys/net/ipv4/${name}`, 'utf8').trim().split(/\s+/)[2]) || fallback;
  } catch {
    return fallback;
  }
}
const READ_BEFORE_PAUSE = 10 * MiB;
const PAUSE_MS = 1500;
/**
 * Read-ahead allowed while the viewer pauses: the kernel's buffers on the two hops after the relay
 * (relay → proxy, proxy → viewer: a send and a receive buffer each) and 8 MiB for the processes' own.
 */
const READ_AHEAD_LIMIT = 2 * tcpBufferMax('tcp_rmem', 6 * MiB) + 2 * tcpBufferMax('tcp_wmem', 4 * MiB) + 8 * MiB;
/** Far past what the buffers can hold, so a proxy without backpressure would read it all during the pause. */
const SIZE = Math.max(100 * MiB, READ_BEFORE_PAUSE + READ_AHEAD_LIMIT + 64 * MiB);
const KEY = 'big/large.bin';

interface Fetched {
  status: number;
  bytes: number;
  sha256: string;
  /** Bytes the upstream had delivered towards the proxy when the viewer resumed. */
  upstreamBytesAtResume: number;
}

/** A TCP relay to `port` that counts the bytes flowing from the origin towards the proxy. */
async function countingRelay(t: TestContext, port: number): Promise<{ port: number; downstreamBytes: () => number }> {
  let down = 0;
  const sockets = new Set<Socket>();
  const server = createServer((viewer) => {
    const upstream = connect(port, '127.0.0.1');
    for (const s of [viewer, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        viewer.destroy();
        upstream.destroy();
      });
    }
    upstream.on('data', (c: Buffer) => (down += c.length));
    viewer.pipe(upstream);
    upstream.pipe(viewer); // pipe: the relay itself keeps backpressure
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    for (const s of sockets) s.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { port: (server.address() as AddressInfo).port, downstreamBytes: () => down };
}

/** GETs `path`, reads 10 MiB, stops reading for PAUSE_MS (a viewer that stalls), then reads the rest. */
function fetchWithPause(proxy: ProxyProcess, path: string, upstreamBytes: () => number): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: proxy.port, path, agent: false }, (res) => {
      const hash = createHash('sha256');
      let bytes = 0;
      let paused = false;
      let upstreamBytesAtResume = 0;
      res.on('data', (chunk: Buffer) => {
        hash.update(chunk);
        bytes += chunk.length;
        if (!paused && bytes >= READ_BEFORE_PAUSE) {
          paused = true;
          res.pause();
          // The stall itself is the scenario: without backpressure the proxy would go on pulling
          // the object from the origin at loopback speed, far past the socket buffers.
          setTimeout(() => {
            upstreamBytesAtResume = upstreamBytes();
            res.resume();
          }, PAUSE_MS);
        }
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, sha256: hash.digest('hex'), upstreamBytesAtResume }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

test('an object past every socket buffer streams through with backpressure while the viewer pauses', async (t: TestContext) => {
  const origin = await startStrictOrigin({ credentials: [KEYS], buckets: [BUCKET] });
  t.after(() => origin.close());
  let expected: string;
  {
    // Random content, so nothing along the way can shrink it; the buffer is dropped once stored.
    const data = randomFillSync(Buffer.allocUnsafe(SIZE));
    expected = sha256Hex(data);
    await origin.putObject(BUCKET, KEY, data, { contentType: 'application/octet-stream' });
  }
  const relay = await countingRelay(t, origin.port);
  const proxy = await startProxyCli(t, {
    server: { host: '127.0.0.1', port: 0 },
    proxies: [
      blockFor(relay.port, { path: '/v4h/', bucket: BUCKET, version: 'v4', mode: 'header', credentials: KEYS }),
      blockFor(relay.port, { path: '/v2q/', bucket: BUCKET, version: 'v2', mode: 'query', addressing: 'path', credentials: KEYS }),
    ],
  });

  for (const prefix of ['/v4h/', '/v2q/']) {
    const before = origin.requests.length;
    const relayedBefore = relay.downstreamBytes();
    const got = await fetchWithPause(proxy, `${prefix}${KEY}`, () => relay.downstreamBytes() - relayedBefore);
    const aheadMiB = (got.upstreamBytesAtResume - READ_BEFORE_PAUSE) / MiB;
    t.diagnostic(`${prefix}: during the viewer's pause the upstream was ${aheadMiB.toFixed(1)} MiB ahead of the viewer`);
    assert.equal(got.status, 200);
    assert.equal(got.bytes, SIZE);
    assert.equal(got.sha256, expected, `${prefix}: the bytes are the object's`);
    assert.equal(origin.requests.length, before + 1, `${prefix}: one upstream request`);
    assert.ok(
      got.upstreamBytesAtResume < READ_BEFORE_PAUSE + READ_AHEAD_LIMIT,
      `${prefix}: the proxy had pulled ${(got.upstreamBytesAtResume / MiB).toFixed(1)} MiB from upstream while the viewer had read ${READ_BEFORE_PAUSE / MiB} MiB`,
    );
  }
});
