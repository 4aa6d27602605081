// Shared pieces of the shield cache's end-to-end tests (test/e2e/cache-*.test.ts): a proxy in this
// process with a clock the test moves (freshness and signatures both read it), its warnings kept,
// its /metrics scraped; configs of cached blocks in front of the strict origin; and a gate that
// holds the store's answers until the test lets them go (no sleeps to make a refresh "slow").
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import { stringify } from 'yaml';
import { loadConfigFile, loadConfigText } from '../../src/config/load.js';
import { createLogger } from '../../src/log/logger.js';
import { startProxy, type RunningProxy } from '../../src/server/serve.js';
import { CREDS, raw, type Res } from './origin-client.js';
import { scrape, sum, type Exposition } from './ops-prom.js';
import { blockFor, writeConfig } from './proxy-cli.js';

/** A clock the test moves by hand; starts now, so the strict origin's skew check still passes. */
export function fakeClock(start = Date.now()): { now: () => number; advance: (ms: number) => void } {
  let now = start;
  return { now: () => now, advance: (ms) => void (now += ms) };
}

export interface CachedBlock {
  readonly path: string;
  readonly bucket: string;
  /** The block's `cache:`; absent: not cached. */
  readonly cache?: Record<string, unknown>;
  /** Another port than the origin's (a gate in front of it). */
  readonly port?: number;
  readonly methods?: string[];
  readonly extra?: Record<string, unknown>;
}

/** A config of SigV4 header blocks on the strict origin (CREDS), the admin listener on a free port. */
export function shieldConfig(originPort: number, o: { stores?: Record<string, unknown>; blocks: readonly CachedBlock[]; logLevel?: string }): Record<string, unknown> {
  return {
    server: { host: '127.0.0.1', port: 0, admin: { host: '127.0.0.1', port: 0 } },
    // No access lines (5xx are warn) on the test runner's standard output; the proxy's own logger
    // (startShieldProxy's) keeps its warnings whatever this says, until a reload applies it.
    log: { level: o.logLevel ?? 'error' },
    credentials: { reader: { accessKeyId: CREDS.accessKeyId, secretAccessKey: CREDS.secretAccessKey } },
    ...(o.stores ? { cache: o.stores } : {}),
    proxies: o.blocks.map((b) =>
      blockFor(b.port ?? originPort, {
        path: b.path,
        bucket: b.bucket,
        version: 'v4',
        mode: 'header',
        credentials: 'reader',
        ...(b.methods ? { methods: b.methods } : {}),
        extra: { ...(b.cache ? { cache: b.cache } : {}), ...b.extra },
      }),
    ),
  };
}

export interface ShieldProxy {
  readonly proxy: RunningProxy;
  readonly port: number;
  readonly adminUrl: string;
  /** The config file, when started from one (reload() re-reads it). */
  readonly file: string | undefined;
  /** Every log line the proxy wrote (level warn and above), parsed. */
  readonly logs: Record<string, unknown>[];
  get(path: string, headers?: Record<string, string>): Promise<Res>;
  metrics(): Promise<Exposition>;
  /** Closes the proxy (also done after the test); waits for the disk store's writes. */
  close(): Promise<void>;
}

/** The proxy in this process; from a file (reloadable) with `file: true`. Closed after the test. */
export async function startShieldProxy(t: TestContext, config: object, opts: { clock?: () => number; file?: boolean } = {}): Promise<ShieldProxy> {
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger('warn', { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });
  const clock = opts.clock ?? Date.now;
  const file = opts.file ? writeConfig(config) : undefined;
  const loaded = file ? loadConfigFile(file, { now: clock }) : loadConfigText(stringify(config), '(shield e2e)');
  const proxy = await startProxy(loaded, { logger, clock, reloadable: file !== undefined });
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => (closed ??= proxy.close());
  t.after(close);
  return {
    proxy,
    port: proxy.port,
    adminUrl: proxy.adminUrl!,
    file,
    logs,
    get: (path, headers = {}) => raw(proxy.port, { path, headers }),
    metrics: () => scrape(proxy.adminUrl!),
    close,
  };
}

/** Requests the origin received for `key` (its path ends with it), after index `from`. */
export function originGets<R extends { readonly url: string }>(origin: { readonly requests: readonly R[] }, key: string, from = 0): R[] {
  return origin.requests.slice(from).filter((r) => r.url.split('?')[0]!.endsWith(`/${key}`));
}

/** The memory store's bytes as /metrics shows them: kept entries and fills in progress. */
export const memoryBytes = (e: Exposition): number => sum(e, 'origin_signer_cache_bytes', { store: 'memory' });

export interface Gate {
  readonly port: number;
  /** Requests that reached the gate (each one reached the origin too, unless held). */
  readonly seen: number;
  /** Requests (or answers' bodies) waiting at the gate. */
  readonly waiting: number;
  /** Answers relayed to the end. */
  readonly answered: number;
  /** From now on, requests wait at the gate until release(). */
  hold(): void;
  /** From now on, answers' status and headers go through at once, their bodies wait until release(). */
  holdBodies(): void;
  /** Lets the waiting requests and bodies (and every later one) through. */
  release(): void;
}

/**
 * A relay in front of the strict origin that can hold requests before they reach it. Requests go
 * through byte for byte (Host included), so the origin still verifies the proxy's signatures.
 */
export async function startGate(t: TestContext, originPort: number): Promise<Gate> {
  let held: Array<() => void> | undefined;
  let heldBodies: Array<() => void> | undefined;
  let seen = 0;
  let answered = 0;
  const server: Server = createServer((req, res) => {
    seen++;
    const pass = (): void => {
      const up = request({ host: '127.0.0.1', port: originPort, method: req.method, path: req.url, headers: req.headers, agent: false }, (ures) => {
        res.writeHead(ures.statusCode ?? 502, ures.headers);
        // Flushed, so the head reaches the proxy while the body waits.
        res.flushHeaders();
        const flow = (): void => {
          ures.pipe(res);
          res.once('finish', () => answered++);
        };
        if (heldBodies) heldBodies.push(flow);
        else flow();
      });
      up.on('error', () => res.destroy());
      req.pipe(up);
    };
    if (held) held.push(pass);
    else pass();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return {
    port: (server.address() as AddressInfo).port,
    get seen() {
      return seen;
    },
    get waiting() {
      return (held?.length ?? 0) + (heldBodies?.length ?? 0);
    },
    get answered() {
      return answered;
    },
    hold() {
      held ??= [];
    },
    holdBodies() {
      heldBodies ??= [];
    },
    release() {
      const waiting = [...(held ?? []), ...(heldBodies ?? [])];
      held = heldBodies = undefined;
      for (const go of waiting) go();
    },
  };
}
