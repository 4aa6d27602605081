/**
 * The strict S3-compatible origin: a real node:http server that behaves like
 * S3 (or a MediaStore container) for the operations the proxy uses, and that
 * recomputes every signature it receives independently of the project's own
 * signer. It is the judge in the proxy's end-to-end tests: anonymous and
 * mis-signed requests are refused with S3's XML errors, and every request is
 * recorded in `requests`.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostName, resolveMediaStoreKey, resolveS3Target } from './addressing.js';
import { MALFORMED_CODES, authenticate, detectAuth, type Detected } from './authenticate.js';
import { receiveToFile } from './body.js';
import { dispatchS3Operation } from './dispatch-s3-operation.js';
import { Exchange } from './exchange.js';
import { answerFault, type FaultHook } from './faults.js';
import { header, headerListFromRaw } from './headers.js';
import { MIN_PART_SIZE } from './multipart.js';
import { MEDIASTORE_BUCKET, mediaStore } from './ops-mediastore.js';
import { DEFAULT_CONTENT_TYPE } from './ops-object.js';
import { parseQuery, splitTarget } from './query.js';
import { S3Error, invalidUri } from './s3-errors.js';
import { ObjectStore } from './store.js';
import { SESSION_TTL_MS, SessionBook, checkSession, createSession, isDirectoryBucket, type S3ExpressSession } from './s3express.js';
import type { OriginCredential, RecordedRequest, SignableRequest } from './types.js';

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
  putObject(
    bucket: string,
    key: string,
    body: Buffer | string,
    meta?: { contentType?: string; metadata?: Record<string, string>; lastModified?: Date; headers?: { 'cache-control'?: string; expires?: string } },
  ): Promise<void>;
  getObject(bucket: string, key: string): Promise<Buffer | undefined>;
  objectPath(bucket: string, key: string): string | undefined;
  close(): Promise<void>;
}

export async function startStrictOrigin(opts: StrictOriginOptions): Promise<StrictOrigin> {
  const service = opts.service ?? 's3';
  const region = opts.region ?? 'us-east-1';
  const clock = opts.clock ?? Date.now;
  const maxSkewMs = opts.maxSkewMs ?? 15 * 60 * 1000;
  const virtualHostSuffix = opts.virtualHostSuffix ?? 'localhost';
  const minPartSize = opts.minPartSize ?? MIN_PART_SIZE;
  const ownDir = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'strict-origin-')));
  const store = new ObjectStore(dataDir);
  await store.init();
  for (const b of opts.buckets ?? []) store.createBucket(b);
  if (service === 'mediastore') store.createBucket(MEDIASTORE_BUCKET);

  let credentials: OriginCredential[] = [...opts.credentials];
  const lookup = (akid: string): OriginCredential | undefined => credentials.find((c) => c.accessKeyId === akid);
  const requests: RecordedRequest[] = [];
  let faultHook = opts.fault;
  const sessions = new SessionBook();
  /** Access point hosts (`<name>-<account>.s3-accesspoint.<region>.amazonaws.com`, `<alias>.accesspoint.s3-global.amazonaws.com`) → bucket. */
  const accessPoints = new Map<string, string>();

  async function route(x: Exchange): Promise<void> {
    const { path, query } = splitTarget(x.req.url ?? '/');
    const params = parseQuery(query);
    const signable: SignableRequest = { method: x.method, path, query, headers: x.headers };

    // Detect (and log) the auth attempt first, so even an unparsable URI is logged with it.
    let detected: Detected;
    try {
      detected = detectAuth(signable, params ?? []);
    } catch (err) {
      x.record.auth = 'malformed';
      throw err;
    }
    x.record.auth = detected.kind;
    if (detected.accessKeyId !== undefined) x.record.accessKeyId = detected.accessKeyId;

    if (!params) throw invalidUri();
    x.params = params;
    const host = header(x.headers, 'host');
    // An access point's host names its bucket; the whole path is the key.
    const viaAccessPoint = accessPoints.get(hostName(host));
    const s3 = service !== 's3' ? undefined : viaAccessPoint ? { ...resolveS3Target(`${viaAccessPoint}.${virtualHostSuffix}`, path, virtualHostSuffix), hostBucket: null } : resolveS3Target(host, path, virtualHostSuffix);
    const msKey = service === 'mediastore' ? resolveMediaStoreKey(path) : undefined;

    // Generic SigV4 (MediaStore) without x-amz-content-sha256 signs sha256(body)
    // itself, so such a body has to be read (to a temp file) before verifying.
    let bodySha256: string | undefined;
    const hasBody = header(x.headers, 'transfer-encoding') !== undefined || Number(header(x.headers, 'content-length') ?? '0') > 0;
    if (service === 'mediastore' && detected.kind === 'v4-header' && header(x.headers, 'x-amz-content-sha256') === undefined && hasBody) {
      if (x.expectContinue) x.res.writeContinue();
      x.preReceived = await receiveToFile(x.req, store.tempPath(), { onBytes: (n) => (x.record.bytesIn += n) });
      bodySha256 = x.preReceived.sha256Hex;
    }
    // A directory bucket (S3 Express One Zone, s3express.ts): SigV4 for s3express only; CreateSession
    // with the caller's keys, everything else with a session's.
    const directory = s3 !== undefined && isDirectoryBucket(s3.bucket);
    const creating = directory && s3.key === undefined && params.some((p) => p.key === 'session');
    const session = directory && !creating ? sessions.get(detected.accessKeyId) : undefined;
    if (directory) {
      if (detected.kind !== 'v4-header' && detected.kind !== 'v4-query') throw new S3Error(400, 'InvalidRequest', 'Directory buckets take AWS4-HMAC-SHA256 with the service s3express only.');
      if (!creating && !session && detected.accessKeyId !== undefined && lookup(detected.accessKeyId)) {
        throw new S3Error(403, 'AccessDenied', 'Requests to a directory bucket are signed with a session\'s credentials: call CreateSession first.');
      }
    }
    const sessionLookup = (akid: string): OriginCredential | undefined => (session && akid === session.accessKeyId ? { accessKeyId: akid, secretAccessKey: session.secretAccessKey } : undefined);
    try {
      x.auth = await authenticate(signable, detected, {
        service: directory ? 's3express' : service,
        region,
        lookup: directory && !creating ? sessionLookup : lookup,
        now: clock(),
        maxSkewMs,
        hostBucket: s3?.hostBucket ?? null,
        bodySha256,
      });
    } catch (err) {
      if (x.preReceived) await store.discard(x.preReceived.file);
      if (err instanceof S3Error && MALFORMED_CODES.has(err.code)) x.record.auth = 'malformed';
      throw err;
    }

    if (session && s3?.bucket !== undefined) checkSession(session, { method: x.method, headers: x.headers, params }, s3.bucket, clock());

    // After authentication: the fault's diagnostics are those of the signature that verified.
    const fault = faultHook?.(x.record);
    if (fault) return answerFault(x, fault, { bucket: s3?.bucket, path, query });
    if (creating && s3?.bucket !== undefined) {
      if (!store.hasBucket(s3.bucket)) throw new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', [['BucketName', s3.bucket]]);
      return createSession(x, sessions, s3.bucket, x.auth.v.accessKeyId, clock(), opts.sessionTtlMs ?? SESSION_TTL_MS);
    }
    if (msKey !== undefined) return mediaStore(x, msKey);
    if (!s3) throw new Error('unreachable');
    return dispatchS3Operation(x, region, s3.bucket, s3.key);
  }

  async function handle(req: IncomingMessage, res: ServerResponse, expectContinue: boolean): Promise<void> {
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      url: req.url ?? '',
      headers: { ...(req.headers as Record<string, string | string[]>) },
      auth: 'anonymous',
      status: 0,
      bytesIn: 0,
    };
    requests.push(record);
    const x = new Exchange(req, res, headerListFromRaw(req.rawHeaders), record, expectContinue, store, clock);
    x.minPartSize = minPartSize;
    try {
      await route(x);
    } catch (err) {
      if (err instanceof S3Error) {
        x.sendError(err);
      } else {
        console.error('strict-origin: internal error', err);
        x.sendError(new S3Error(500, 'InternalError', 'We encountered an internal error. Please try again.'));
      }
    }
  }

  const server = createServer();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => void handle(req, res, false));
  // Answer 100-continue only once the request is authenticated.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => void handle(req, res, true));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const hostForUrl = (opts.host ?? '127.0.0.1').includes(':') ? `[${opts.host}]` : (opts.host ?? '127.0.0.1');

  return {
    url: `http://${hostForUrl}:${port}`,
    port,
    requests,
    sessions: sessions.all,
    setCredentials(c) {
      credentials = [...c];
    },
    setFault(hook) {
      faultHook = hook;
    },
    createBucket(name) {
      store.createBucket(name);
    },
    createAccessPoint(ap) {
      const host = ap.region === '' ? `${ap.name}.accesspoint.s3-global.amazonaws.com` : `${ap.name}-${ap.account}.s3-accesspoint.${ap.region}.amazonaws.com`;
      accessPoints.set(host, ap.bucket);
      return host;
    },
    async putObject(bucket, key, body, meta = {}) {
      if (!store.hasBucket(bucket)) throw new Error(`strict-origin: no bucket "${bucket}"`);
      const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
      const temp = store.tempPath();
      await writeFile(temp, buf);
      const metadata: Record<string, string> = {};
      for (const [k, v] of Object.entries(meta.metadata ?? {})) {
        metadata[k.toLowerCase().startsWith('x-amz-meta-') ? k.toLowerCase() : `x-amz-meta-${k.toLowerCase()}`] = v;
      }
      await store.commit(bucket, key, temp, {
        contentType: meta.contentType ?? DEFAULT_CONTENT_TYPE,
        metadata,
        headers: { ...meta.headers },
        size: buf.length,
        etag: `"${createHash('md5').update(buf).digest('hex')}"`,
        lastModified: meta.lastModified?.getTime() ?? clock(),
      });
    },
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
