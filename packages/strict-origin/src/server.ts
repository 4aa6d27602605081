/**
 * The strict S3-compatible origin: a real node:http server that behaves like
 * S3 (or a MediaStore container) for the operations the proxy uses, and that
 * recomputes every signature it receives independently of the project's own
 * signer. It is the judge in the proxy's end-to-end tests: anonymous and
 * mis-signed requests are refused with S3's XML errors, and every request is
 * recorded in `requests`.
 *
 * This file is the origin's options and lifecycle; a request's way through it is route-request.ts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FaultHook } from './faults.js';
import { MIN_PART_SIZE } from './multipart.js';
import { MEDIASTORE_BUCKET } from './ops-mediastore.js';
import { handleRequest, type OriginContext } from './route-request.js';
import { SESSION_TTL_MS, SessionBook, type S3ExpressSession } from './s3express.js';
import { seedObject, type SeedMeta } from './seed-object.js';
import { ObjectStore } from './store.js';
import type { OriginCredential, RecordedRequest } from './types.js';

export type { Fault, FaultHook, OriginCredential, RecordedRequest } from './types.js';

export interface StrictOriginOptions {
  host?: string;
  port?: number;
  credentials: OriginCredential[];
  buckets?: string[];
  region?: string;
  service?: 's3' | 'mediastore';
  clock?: () => number;
  maxSkewMs?: number;
  virtualHostSuffix?: string;
  dataDir?: string;
  /** Minimum size of every multipart part but the last (default S3's 5 MiB). */
  minPartSize?: number;
  /** A worst-case answer to give some authenticated requests instead of their operation (faults.ts). */
  fault?: FaultHook;
  /** How long S3 Express sessions last (default S3's five minutes), from `clock`. */
  sessionTtlMs?: number;
}

export interface StrictOrigin {
  url: string;
  port: number;
  requests: RecordedRequest[];
  setCredentials(c: OriginCredential[]): void;
  /** Replaces the fault hook (undefined: every request gets its operation). */
  setFault(hook: FaultHook | undefined): void;
  createBucket(name: string): void;
  /** S3 Express One Zone sessions issued by CreateSession (directory buckets, `<base>--<az-id>--x-s3`), oldest first. */
  sessions: readonly S3ExpressSession[];
  /**
   * An access point of `bucket`: requests to its host (on any port) reach the bucket. `region: ''`
   * makes a multi-region one (`name` is its alias, `….mrap`), at `<alias>.accesspoint.s3-global.amazonaws.com`.
   */
  createAccessPoint(ap: { name: string; account: string; region: string; bucket: string }): string;
  putObject(bucket: string, key: string, body: Buffer | string, meta?: SeedMeta): Promise<void>;
  getObject(bucket: string, key: string): Promise<Buffer | undefined>;
  objectPath(bucket: string, key: string): string | undefined;
  close(): Promise<void>;
}

/** The host an access point answers on: single-region, or (region '') multi-region by its alias. */
function accessPointHost(ap: { name: string; account: string; region: string }): string {
  return ap.region === '' ? `${ap.name}.accesspoint.s3-global.amazonaws.com` : `${ap.name}-${ap.account}.s3-accesspoint.${ap.region}.amazonaws.com`;
}

/** Resolves with the port once listening (0 asks for a free one). */
async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

export async function startStrictOrigin(opts: StrictOriginOptions): Promise<StrictOrigin> {
  const ownDir = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'strict-origin-')));
  const store = new ObjectStore(dataDir);
  await store.init();
  const service = opts.service ?? 's3';
  for (const b of opts.buckets ?? []) store.createBucket(b);
  if (service === 'mediastore') store.createBucket(MEDIASTORE_BUCKET);

  const ctx: OriginContext = {
    service,
    region: opts.region ?? 'us-east-1',
    clock: opts.clock ?? Date.now,
    maxSkewMs: opts.maxSkewMs ?? 15 * 60 * 1000,
    virtualHostSuffix: opts.virtualHostSuffix ?? 'localhost',
    minPartSize: opts.minPartSize ?? MIN_PART_SIZE,
    sessionTtlMs: opts.sessionTtlMs ?? SESSION_TTL_MS,
    store,
    requests: [],
    sessions: new SessionBook(),
    accessPoints: new Map(),
    credentials: [...opts.credentials],
    fault: opts.fault,
  };

  const server = createServer();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => void handleRequest(ctx, req, res, false));
  // Answer 100-continue only once the request is authenticated.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => void handleRequest(ctx, req, res, true));
  const host = opts.host ?? '127.0.0.1';
  const port = await listen(server, opts.port ?? 0, host);
  const hostForUrl = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${hostForUrl}:${port}`,
    port,
    requests: ctx.requests,
    sessions: ctx.sessions.all,
    setCredentials(c) {
      ctx.credentials = [...c];
    },
    setFault(hook) {
      ctx.fault = hook;
    },
    createBucket(name) {
      store.createBucket(name);
    },
    createAccessPoint(ap) {
      const apHost = accessPointHost(ap);
      ctx.accessPoints.set(apHost, ap.bucket);
      return apHost;
    },
    putObject: (bucket, key, body, meta = {}) => seedObject(store, bucket, key, body, meta, ctx.clock),
    getObject: (bucket, key) => store.read(bucket, key),
    objectPath: (bucket, key) => store.get(bucket, key)?.file,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      if (ownDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
