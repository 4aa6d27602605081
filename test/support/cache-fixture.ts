// Shared pieces of the shield-cache end-to-end tests (test/e2e/cache-*.test.ts): a strict origin
// and cached blocks on it, the proxy in this process when a test needs to move its clock, viewers
// that say whether their body was cut, and the reads that reached the origin. The relay that holds
// the store's answer part-way is in gate-relay.ts.
import assert from 'node:assert/strict';
import { request, type IncomingHttpHeaders } from 'node:http';
import { connect, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import type { TestContext } from 'node:test';
import { stringify } from 'yaml';
import { startStrictOrigin, type RecordedRequest, type StrictOrigin, type StrictOriginOptions } from '@origin-signer/strict-origin';
import { loadConfigText } from '../../src/config/load.js';
import { createLogger } from '../../src/log/logger.js';
import { startProxy } from '../../src/server/serve.js';
import { encodeKey } from './origin-client.js';
import { blockFor } from './proxy-cli.js';

export const CACHE_BUCKET = 'cache-bucket';
export const CACHE_KEYS = { accessKeyId: 'AKIDCACHEE2E0000001', secretAccessKey: 'cache/e2e+secret=KEY/0123456789' };

/** A strict origin with the cache bucket, closed after the test. */
export async function cacheOrigin(t: TestContext, opts: Partial<StrictOriginOptions> = {}): Promise<StrictOrigin> {
  const origin = await startStrictOrigin({ credentials: [CACHE_KEYS], buckets: [CACHE_BUCKET], ...opts });
  t.after(() => origin.close());
  return origin;
}

/** A SigV4 header-mode block on `port` (the origin, or a relay in front of it) with `cache:` rules. */
export function cachedBlock(port: number, path: string, cache: Record<string, unknown>, extra: Record<string, unknown> = {}, methods?: string[]): Record<string, unknown> {
  return blockFor(port, { path, bucket: CACHE_BUCKET, version: 'v4', mode: 'header', credentials: CACHE_KEYS, ...(methods ? { methods } : {}), extra: { cache, ...extra } });
}

/**
 * Three blocks on one origin, to hold a cached block's answers to what the store answers itself:
 * `/u/` without a cache (the reference), `/c/` cached whole, `/s/` cached in 64 KiB slices.
 */
export function referenceAndCachedBlocks(port: number): Array<Record<string, unknown>> {
  return [
    blockFor(port, { path: '/u/', bucket: CACHE_BUCKET, version: 'v4', mode: 'header', credentials: CACHE_KEYS }),
    cachedBlock(port, '/c/', { ttl: '1h' }),
    cachedBlock(port, '/s/', { ttl: '1h', slice: '64KiB' }),
  ];
}

/**
 * Each case (viewer headers, the status the store itself answers) asked of referenceAndCachedBlocks'
 * three blocks — twice of the cached ones: a MISS, then a HIT — with `check` looking further at each answer.
 */
export async function askEveryBlock(port: number, key: string, cases: ReadonlyArray<readonly [Record<string, string>, number]>, check: (g: Got, status: number, what: string) => void): Promise<void> {
  for (const prefix of ['/u/', '/c/', '/s/']) {
    for (const round of prefix === '/u/' ? [1] : [1, 2]) {
      for (const [headers, status] of cases) {
        const g = await fetchGot(port, `${prefix}${key}`, headers);
        const what = `${prefix} round ${round} ${JSON.stringify(headers)}`;
        assert.equal(g.status, status, `${what}: ${g.body.toString('utf8', 0, 200)}`);
        check(g, status, what);
      }
    }
  }
}

/** The reads (GET, HEAD) of `key` that reached the origin (virtual-hosted: the path is the key). */
export function originReads(origin: StrictOrigin, key: string): RecordedRequest[] {
  const path = `/${encodeKey(key)}`;
  return origin.requests.filter((r) => (r.method === 'GET' || r.method === 'HEAD') && r.url.split('?')[0] === path);
}

/** A clock the test moves by hand: the proxy's notion of now (freshness, ages, signing). */
export class ManualClock {
  now: number;
  constructor(start = Date.now()) {
    this.now = start;
  }
  readonly read = (): number => this.now;
  advance(ms: number): void {
    this.now += ms;
  }
}

export interface InProcessProxy {
  readonly port: number;
  /** Every log line the proxy wrote (warnings and errors: the level is warn). */
  readonly logLines: string[];
}

/** The proxy in this process with `proxies` (and top-level keys), on an injected clock; closed after the test. */
export async function inProcessProxy(t: TestContext, proxies: Array<Record<string, unknown>>, o: { clock?: () => number; top?: Record<string, unknown> } = {}): Promise<InProcessProxy> {
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      cb();
    },
  });
  // warn: no access lines on the test runner's standard output.
  const config = { server: { host: '127.0.0.1', port: 0, admin: { host: '127.0.0.1', port: 0 } }, log: { level: 'warn' }, ...o.top, proxies };
  const loaded = loadConfigText(stringify(config), '(cache e2e test)');
  const proxy = await startProxy(loaded, { logger: createLogger('warn', sink), reloadable: false, ...(o.clock ? { clock: o.clock } : {}) });
  t.after(() => proxy.close());
  return { port: proxy.port, logLines };
}

export interface Got {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** The body ended as framed; false when the connection was cut before it did. */
  readonly complete: boolean;
}

export interface Viewer {
  /** Resolves with the status and headers once they arrive. */
  readonly head: Promise<{ status: number; headers: IncomingHttpHeaders }>;
  /** Body bytes received so far. */
  received(): number;
  readonly done: Promise<Got>;
  /** Closes the connection (a viewer that leaves). */
  leave(): void;
}

/** One viewer request on its own connection; `done` resolves however the response ends (never rejects). */
export function viewer(port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Viewer {
  let received = 0;
  let headResolve!: (h: { status: number; headers: IncomingHttpHeaders }) => void;
  const head = new Promise<{ status: number; headers: IncomingHttpHeaders }>((r) => (headResolve = r));
  const req = request({ host: '127.0.0.1', port, method, path, headers, agent: false });
  const done = new Promise<Got>((resolve) => {
    req.on('response', (res) => {
      headResolve({ status: res.statusCode ?? 0, headers: res.headers });
      const chunks: Buffer[] = [];
      let ended = false;
      res.on('data', (c: Buffer) => {
        received += c.length;
        chunks.push(c);
      });
      res.on('end', () => (ended = true));
      res.on('error', () => undefined);
      res.on('close', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), complete: ended && res.complete }));
    });
    req.on('error', () => resolve({ status: 0, headers: {}, body: Buffer.alloc(0), complete: false }));
  });
  req.end();
  return { head, received: () => received, done, leave: () => req.destroy() };
}

export const fetchGot = (port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Got> => viewer(port, path, headers, method).done;

export interface PausedViewer {
  /** The response's x-request-id (from the first bytes). */
  readonly requestId: string;
  /** Reads the rest; resolves with the status and body once Content-Length bytes are in or the connection closes. */
  resume(): Promise<{ status: number; body: Buffer; complete: boolean }>;
  readonly socket: Socket;
}

/** A viewer that asks for `path` and, once its first bytes arrive, reads nothing more until resumed (what it got is kept). */
export function pausedViewer(port: number, path: string): Promise<PausedViewer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`));
    const parse = (): { status: number; body: Buffer; length: number } | undefined => {
      const all = Buffer.concat(chunks);
      const end = all.indexOf('\r\n\r\n');
      if (end < 0) return undefined;
      const headText = all.subarray(0, end).toString('latin1');
      return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(headText)?.[1] ?? 0), body: all.subarray(end + 4), length: Number(/\r\ncontent-length: *(\d+)/i.exec(headText)?.[1] ?? NaN) };
    };
    socket.once('error', reject);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.once('data', () => {
      socket.pause();
      const headText = Buffer.concat(chunks).toString('latin1');
      const requestId = /\r\nx-request-id: *([^\r\n]+)/i.exec(headText)?.[1] ?? '';
      resolve({
        requestId,
        socket,
        resume: () =>
          new Promise((done) => {
            const check = (): void => {
              const p = parse();
              if (p && p.body.length >= p.length) {
                socket.destroy();
                done({ status: p.status, body: p.body, complete: true });
              }
            };
            socket.on('data', check);
            socket.on('close', () => {
              const p = parse();
              done({ status: p?.status ?? 0, body: p?.body ?? Buffer.alloc(0), complete: p !== undefined && p.body.length >= p.length });
            });
            socket.on('error', () => undefined);
            socket.resume();
            check();
          }),
      });
    });
  });
}
