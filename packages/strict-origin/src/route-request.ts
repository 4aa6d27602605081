/**
 * One request through the origin: logged, its auth detected and verified, then answered — by a
 * fault if the test asked for one, CreateSession, MediaStore or an S3 operation — or refused with
 * S3's XML error.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { resolveMediaStoreKey, resolveS3Target, type Target } from './addressing.js';
import { MALFORMED_CODES, authenticate, detectAuth, type Detected } from './authenticate.js';
import { receiveToFile } from './body.js';
import { dispatchS3Operation } from './dispatch-s3-operation.js';
import { Exchange } from './exchange.js';
import { answerFault, type FaultHook } from './faults.js';
import { header, headerListFromRaw } from './headers.js';
import { mediaStore } from './ops-mediastore.js';
import { parseQuery, splitTarget, type QueryParam } from './query.js';
import { S3Error, invalidUri, noSuchBucket } from './s3-errors.js';
import { SessionBook, checkSession, createSession, isDirectoryBucket, type S3ExpressSession } from './s3express.js';
import type { ObjectStore } from './store.js';
import type { CredentialLookup, OriginCredential, RecordedRequest, SignableRequest } from './types.js';

/** What a request needs of the running origin; `credentials` and `fault` change between requests (tests). */
export interface OriginContext {
  service: 's3' | 'mediastore';
  region: string;
  clock: () => number;
  maxSkewMs: number;
  virtualHostSuffix: string;
  minPartSize: number;
  sessionTtlMs: number;
  store: ObjectStore;
  requests: RecordedRequest[];
  sessions: SessionBook;
  /** Access point hosts (`<name>-<account>.s3-accesspoint.<region>.amazonaws.com`, `<alias>.accesspoint.s3-global.amazonaws.com`) → bucket. */
  accessPoints: Map<string, string>;
  credentials: OriginCredential[];
  fault: FaultHook | undefined;
}

const lookupIn = (ctx: OriginContext): CredentialLookup => (akid) => ctx.credentials.find((c) => c.accessKeyId === akid);

/** Records the request, answers it, and turns anything thrown into S3's error answer. */
export async function handleRequest(ctx: OriginContext, req: IncomingMessage, res: ServerResponse, expectContinue: boolean): Promise<void> {
  const record: RecordedRequest = {
    method: req.method ?? 'GET',
    url: req.url ?? '',
    headers: { ...(req.headers as Record<string, string | string[]>) },
    auth: 'anonymous',
    status: 0,
    bytesIn: 0,
  };
  ctx.requests.push(record);
  const x = new Exchange(req, res, headerListFromRaw(req.rawHeaders), record, expectContinue, ctx.store, ctx.clock);
  x.minPartSize = ctx.minPartSize;
  try {
    await route(ctx, x);
  } catch (err) {
    if (err instanceof S3Error) {
      x.sendError(err);
    } else {
      console.error('strict-origin: internal error', err);
      x.sendError(new S3Error(500, 'InternalError', 'We encountered an internal error. Please try again.'));
    }
  }
}

/** Detects (and logs) the auth attempt first, so even an unparsable URI is logged with it. */
function detect(x: Exchange, signable: SignableRequest, params: readonly QueryParam[] | undefined): Detected {
  let detected: Detected;
  try {
    detected = detectAuth(signable, params ?? []);
  } catch (err) {
    x.record.auth = 'malformed';
    throw err;
  }
  x.record.auth = detected.kind;
  if (detected.accessKeyId !== undefined) x.record.accessKeyId = detected.accessKeyId;
  return detected;
}

/**
 * Generic SigV4 (MediaStore) without x-amz-content-sha256 signs sha256(body) itself, in a header
 * or a presigned URL, so such a body has to be read (to a temp file) before verifying. Returns that hash, if it was read.
 */
async function preReceiveSignedBody(ctx: OriginContext, x: Exchange, detected: Detected): Promise<string | undefined> {
  const hasBody = header(x.headers, 'transfer-encoding') !== undefined || Number(header(x.headers, 'content-length') ?? '0') > 0;
  if (ctx.service !== 'mediastore' || (detected.kind !== 'v4-header' && detected.kind !== 'v4-query') || header(x.headers, 'x-amz-content-sha256') !== undefined || !hasBody) return undefined;
  if (x.expectContinue) x.res.writeContinue();
  x.preReceived = await receiveToFile(x.req, ctx.store.tempPath(), { onBytes: (n) => (x.record.bytesIn += n) });
  return x.preReceived.sha256Hex;
}

interface DirectoryAccess {
  directory: boolean;
  /** CreateSession: signed with the caller's own keys. */
  creating: boolean;
  /** Everything else on a directory bucket is signed with this session's keys. */
  session: S3ExpressSession | undefined;
}

/** A directory bucket (S3 Express One Zone, s3express.ts): SigV4 for s3express only, and a session first. */
function directoryAccess(ctx: OriginContext, s3: Target | undefined, params: readonly QueryParam[], detected: Detected, lookup: CredentialLookup): DirectoryAccess {
  const directory = s3 !== undefined && isDirectoryBucket(s3.bucket);
  const creating = directory && s3.key === undefined && params.some((p) => p.key === 'session');
  const session = directory && !creating ? ctx.sessions.get(detected.accessKeyId) : undefined;
  if (directory) {
    if (detected.kind !== 'v4-header' && detected.kind !== 'v4-query') throw new S3Error(400, 'InvalidRequest', 'Directory buckets take AWS4-HMAC-SHA256 with the service s3express only.');
    if (!creating && !session && detected.accessKeyId !== undefined && lookup(detected.accessKeyId)) {
      throw new S3Error(403, 'AccessDenied', 'Requests to a directory bucket are signed with a session\'s credentials: call CreateSession first.');
    }
  }
  return { directory, creating, session };
}

async function route(ctx: OriginContext, x: Exchange): Promise<void> {
  const { path, query } = splitTarget(x.req.url ?? '/');
  const params = parseQuery(query);
  // The verifiers take the query as parsed here: once per request.
  const signable: SignableRequest = { method: x.method, path, query, headers: x.headers, ...(params ? { params } : {}) };
  const detected = detect(x, signable, params);

  if (!params) throw invalidUri();
  x.params = params;
  const s3 = ctx.service === 's3' ? resolveS3Target(header(x.headers, 'host'), path, ctx.virtualHostSuffix, ctx.accessPoints) : undefined;
  const msKey = ctx.service === 'mediastore' ? resolveMediaStoreKey(path) : undefined;
  const bodySha256 = await preReceiveSignedBody(ctx, x, detected);
  const lookup = lookupIn(ctx);
  const { directory, creating, session } = directoryAccess(ctx, s3, params, detected, lookup);
  const sessionLookup = (akid: string): OriginCredential | undefined => (session && akid === session.accessKeyId ? { accessKeyId: akid, secretAccessKey: session.secretAccessKey } : undefined);
  try {
    x.auth = await authenticate(signable, detected, {
      service: directory ? 's3express' : ctx.service,
      region: ctx.region,
      lookup: directory && !creating ? sessionLookup : lookup,
      now: ctx.clock(),
      maxSkewMs: ctx.maxSkewMs,
      hostBucket: s3?.hostBucket ?? null,
      bodySha256,
    });
  } catch (err) {
    if (x.preReceived) await ctx.store.discard(x.preReceived.file);
    if (err instanceof S3Error && MALFORMED_CODES.has(err.code)) x.record.auth = 'malformed';
    throw err;
  }

  if (session && s3?.bucket !== undefined) checkSession(session, { method: x.method, headers: x.headers, params }, s3.bucket, ctx.clock());

  // After authentication: the fault's diagnostics are those of the signature that verified.
  const fault = ctx.fault?.(x.record);
  if (fault) return answerFault(x, fault, { bucket: s3?.bucket, path, query });
  if (creating && s3?.bucket !== undefined) {
    if (!ctx.store.hasBucket(s3.bucket)) throw noSuchBucket(s3.bucket);
    return createSession(x, ctx.sessions, s3.bucket, x.auth.v.accessKeyId, ctx.clock(), ctx.sessionTtlMs);
  }
  if (msKey !== undefined) return mediaStore(x, msKey);
  if (!s3) throw new Error('unreachable');
  return dispatchS3Operation(x, ctx.region, s3.bucket, s3.key);
}
