import type { Dispatcher } from 'undici';
import { HOP_BY_HOP } from '../http/hop-by-hop.js';
import { requestPath, type TargetedDispatchOptions } from '../http/upstream-target.js';
import type { BlockSigning } from '../config/types.js';
import type { CredentialProvider } from '../credentials/provider.js';
import { OriginSignerError } from '../errors.js';
import { toAmzDate, toHttpDate } from '../signing/amz-date.js';
import { EMPTY_SHA256 } from '../signing/hash.js';
import { staleScopeReason } from '../signing/stale-scope.js';
import { STREAMING_PAYLOAD, STREAMING_PAYLOAD_V4A, UNSIGNED_PAYLOAD, type Credentials, type HeaderList, type WireRequest } from '../signing/types.js';
import type { ChunkSigner } from '../signing/chunk-signer.js';
import { hmacChunkSigner } from '../signing/v4/chunk-signature.js';
import { scopedKey, type V4Context } from '../signing/v4/scoped-key.js';
import type { Readable } from 'node:stream';
import { presignV2, signV2Header } from '../signing/v2/sign.js';
import { presignV4 } from '../signing/v4/presign.js';
import { signV4Header, type V4HeaderResult } from '../signing/v4/sign-header.js';
import type { SigningKeyCache } from '../signing/v4/signing-key.js';
import { ecdsaChunkSigner } from '../signing/v4a/chunk-signature.js';
import { v4aKeyPair, type V4aContext } from '../signing/v4a/context.js';
import type { V4aKeyCache } from '../signing/v4a/key-cache.js';
import { presignV4a } from '../signing/v4a/presign.js';
import { signV4aHeader } from '../signing/v4a/sign-header.js';
import { v4aCredentialScope } from '../signing/v4a/string-to-sign.js';
import { framedBody, framedHeaders } from './sign-streaming.js';

/**
 * Headers that are sent but never signed: ones a hop in between may add or change, so a signature
 * over them would break on the way (smithy's ALWAYS_UNSIGNABLE_HEADERS is the same idea).
 */
const NEVER_SIGNED: ReadonlySet<string> = new Set([
  'user-agent', 'expect', 'via', 'forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto',
  'x-amzn-trace-id', ...HOP_BY_HOP,
]);

/** What the signer produced, for `log.signatureDebug`. */
export interface SigningDebug {
  readonly canonicalRequest?: string;
  readonly stringToSign: string;
}

/** Dispatch options the proxy builds: headers as a lower-case object, one value each. */
export interface SignableDispatchOptions extends TargetedDispatchOptions {
  headers: Record<string, string>;
  /** Called with the intermediate strings once the request is signed (per request, never shared). */
  onSigned?: (debug: SigningDebug) => void;
}

export interface SignInterceptorOptions {
  readonly signing: BlockSigning;
  readonly region: string | undefined;
  readonly v2Bucket: string | undefined;
  readonly credentials: CredentialProvider;
  /** Milliseconds since the epoch; injected so tests control time. */
  readonly clock: () => number;
  readonly keyCache: SigningKeyCache;
  /** SigV4A key pairs, derived once per credentials; without one every request derives afresh. */
  readonly v4aKeyCache?: V4aKeyCache;
}

function signableHeaders(headers: Record<string, string>, excluded: ReadonlySet<string>): HeaderList {
  const out: Array<[string, string]> = [];
  for (const name in headers) {
    if (NEVER_SIGNED.has(name)) continue;
    // S3 refuses x-amz-* headers it cannot find in the signature, and Content-Type is part of
    // every SigV2 string to sign: neither can be excluded.
    if (excluded.has(name) && !name.startsWith('x-amz-') && name !== 'host' && name !== 'content-type') continue;
    out.push([name, headers[name]!]);
  }
  return out;
}

function missingHash(): never {
  throw new OriginSignerError('OS_ERR_INTERNAL', 'payload: sha256 request reached the signer without a body hash');
}

/**
 * A pre-derived key signs only requests of its scope's date (S3 refuses a credential scope dated
 * another day than x-amz-date): refuse here, with a reason, instead of sending a request the store
 * will reject.
 */
function refuseStaleScope(credentials: Credentials, amzDate: string): void {
  const stale = staleScopeReason(credentials, amzDate);
  if (stale !== undefined) throw new OriginSignerError('OS_ERR_CREDENTIALS_UNAVAILABLE', stale);
}

/** How an aws-chunked upload is signed: the seed signature of its headers, then its chunks. */
interface StreamingSigner {
  readonly seed: (wire: WireRequest) => V4HeaderResult;
  readonly chunks: ChunkSigner;
}

/**
 * `payload: streaming`: the body goes as aws-chunked frames, each signed as it flows
 * (STREAMING-AWS4-HMAC-SHA256-PAYLOAD, or STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD with SigV4A).
 */
function signStreaming(opts: SignableDispatchOptions, rest: Record<string, string>, excluded: ReadonlySet<string>, s: StreamingSigner): SignableDispatchOptions {
  const headers = framedHeaders(rest, s.chunks.wireLength);
  const wire = { method: opts.method, path: opts.target.path, query: opts.target.query, headers: signableHeaders(headers, excluded) };
  const r = s.seed(wire);
  opts.onSigned?.(r);
  for (const [k, v] of r.headers) headers[k] = v;
  return { ...opts, headers, body: framedBody(opts.body as Readable, s.chunks, r.signature), path: requestPath(opts.target) };
}

/**
 * aws-chunked is for object data (PutObject, UploadPart): S3-compatible stores refuse it on POST
 * bodies such as CompleteMultipartUpload's XML, which go UNSIGNED-PAYLOAD instead.
 */
function streams(opts: SignableDispatchOptions, s: BlockSigning, hasBody: boolean): boolean {
  return s.payload === 'streaming' && hasBody && s.service !== 'mediastore' && opts.method === 'PUT';
}

/**
 * SigV4A (README "Signing modes"): S3's payload rules as for SigV4 — presigned requests carry
 * UNSIGNED-PAYLOAD, header auth sends x-amz-content-sha256, aws-chunked uploads sign each chunk
 * (with ECDSA) — with the block's region set.
 */
function signV4a(opts: SignableDispatchOptions, rest: Record<string, string>, wire: WireRequest, credentials: Credentials, o: SignInterceptorOptions, precomputedHash: string | undefined, excluded: ReadonlySet<string>, now: number): SignableDispatchOptions {
  const s = o.signing;
  const ctx: V4aContext = { regionSet: s.regionSet ?? '*', service: s.service, uriRule: s.uriRule, ...(o.v4aKeyCache ? { keyCache: o.v4aKeyCache } : {}) };
  const amzDate = toAmzDate(now);
  // Redirect mode presigns the viewer's URL itself; what the proxy sends (a probe) goes presigned too.
  if (s.mode === 'query' || s.mode === 'redirect') {
    const r = presignV4a(wire, credentials, ctx, { amzDate, expires: s.expires, payloadHash: UNSIGNED_PAYLOAD });
    opts.onSigned?.(r);
    return { ...opts, headers: rest, path: `${wire.path}?${r.query}` };
  }
  const hasBody = opts.body !== undefined && opts.body !== null;
  if (streams(opts, s, hasBody)) {
    return signStreaming(opts, rest, excluded, {
      seed: (w) => signV4aHeader(w, credentials, ctx, { amzDate, payloadHash: STREAMING_PAYLOAD_V4A, contentSha256Header: true }),
      chunks: ecdsaChunkSigner(v4aKeyPair(credentials, ctx).privateKey, amzDate, v4aCredentialScope(amzDate.slice(0, 8), ctx.service)),
    });
  }
  const payloadHash = precomputedHash ?? (s.payload === 'unsigned' || (s.payload === 'streaming' && hasBody) ? UNSIGNED_PAYLOAD : hasBody ? missingHash() : EMPTY_SHA256);
  const r = signV4aHeader(wire, credentials, ctx, { amzDate, payloadHash, contentSha256Header: true });
  opts.onSigned?.(r);
  for (const [k, v] of r.headers) rest[k] = v;
  return { ...opts, headers: rest, path: requestPath(opts.target) };
}

/**
 * Signs one request: returns the dispatch options to send, `path` the one `path?query` string of
 * the target (presigned: with the signature's query). Pure apart from reading the clock.
 */
export function signDispatch(opts: SignableDispatchOptions, credentials: Credentials, o: SignInterceptorOptions, excluded: ReadonlySet<string>): SignableDispatchOptions {
  const now = o.clock();
  // Without its parts a request cannot be signed as sent: refuse rather than guess them from `path`.
  if (!opts.target) throw new OriginSignerError('OS_ERR_INTERNAL', 'a request reached the signer without its target');
  const { path, query } = opts.target;
  // A fresh copy (the retry interceptor re-sends `opts`): the signed headers are added to it.
  const rest: Record<string, string> = {};
  let precomputedHash: string | undefined;
  for (const name in opts.headers) {
    if (name === 'x-amz-content-sha256') precomputedHash = opts.headers[name];
    else rest[name] = opts.headers[name]!;
  }
  const toSign = signableHeaders(rest, excluded);
  const wire = { method: opts.method, path, query, headers: toSign };
  const s = o.signing;

  if (s.version === 'v4') {
    const ctx: V4Context = { region: o.region ?? '', service: s.service, uriRule: s.uriRule, keyCache: o.keyCache };
    const amzDate = toAmzDate(now);
    refuseStaleScope(credentials, amzDate);
    const hasBody = opts.body !== undefined && opts.body !== null;
    // Redirect mode presigns the viewer's URL itself; what the proxy sends (a probe) goes presigned too.
    if (s.mode === 'query' || s.mode === 'redirect') {
      // Presigned requests carry UNSIGNED-PAYLOAD (S3) or the empty-body hash (generic services,
      // which only presign reads here) and no x-amz-content-sha256 header.
      const r = presignV4(wire, credentials, ctx, { amzDate, expires: s.expires, payloadHash: s.service !== 'mediastore' ? UNSIGNED_PAYLOAD : EMPTY_SHA256 });
      opts.onSigned?.(r);
      return { ...opts, headers: rest, path: `${path}?${r.query}` };
    }
    if (streams(opts, s, hasBody)) {
      const { scope, key } = scopedKey(credentials, ctx, amzDate.slice(0, 8));
      return signStreaming(opts, rest, excluded, {
        seed: (w) => signV4Header(w, credentials, ctx, { amzDate, payloadHash: STREAMING_PAYLOAD, contentSha256Header: true }),
        chunks: hmacChunkSigner(key, amzDate, scope),
      });
    }
    let payloadHash: string;
    let hashHeader: boolean;
    if (s.service !== 'mediastore') {
      // S3 always wants x-amz-content-sha256 with header auth.
      payloadHash = precomputedHash ?? (s.payload === 'unsigned' || (s.payload === 'streaming' && hasBody) ? UNSIGNED_PAYLOAD : hasBody ? missingHash() : EMPTY_SHA256);
      hashHeader = true;
    } else {
      // Generic SigV4 (MediaStore) signs the body's hash; a body sent unhashed says so with
      // x-amz-content-sha256: UNSIGNED-PAYLOAD, as botocore does for MediaStore PutObject.
      payloadHash = precomputedHash ?? (!hasBody ? EMPTY_SHA256 : s.payload === 'unsigned' ? UNSIGNED_PAYLOAD : missingHash());
      hashHeader = hasBody;
    }
    const r = signV4Header(wire, credentials, ctx, { amzDate, payloadHash, contentSha256Header: hashHeader });
    opts.onSigned?.(r);
    for (const [k, v] of r.headers) rest[k] = v;
    return { ...opts, headers: rest, path: requestPath(opts.target) };
  }

  if (s.version === 'v4a') return signV4a(opts, rest, wire, credentials, o, precomputedHash, excluded, now);

  if (s.mode === 'header') {
    const r = signV2Header(wire, credentials, { bucket: o.v2Bucket, httpDate: toHttpDate(now) });
    opts.onSigned?.(r);
    for (const [k, v] of r.headers) rest[k] = v;
    return { ...opts, headers: rest, path: requestPath(opts.target) };
  }
  const r = presignV2(wire, credentials, { bucket: o.v2Bucket, expiresEpoch: Math.floor(now / 1000) + s.expires });
  opts.onSigned?.(r);
  return { ...opts, headers: rest, path: `${path}?${r.query}` };
}

/**
 * The signer as an undici interceptor (`pool.compose(signInterceptor(...))`): it sees exactly the
 * method, path, query and headers that go on the wire and signs them just before dispatch.
 * Interceptors composed outside it (retry) therefore get a fresh signature on every attempt.
 */
export function signInterceptor(o: SignInterceptorOptions): Dispatcher.DispatcherComposeInterceptor {
  const excluded = new Set(o.signing.excludeHeaders);
  return (dispatch) =>
    function signedDispatch(opts, handler) {
      const send = (credentials: Credentials): boolean => {
        let signed: SignableDispatchOptions;
        try {
          signed = signDispatch(opts as SignableDispatchOptions, credentials, o, excluded);
        } catch (err) {
          handler.onResponseError?.(null as never, err as Error);
          return true;
        }
        return dispatch(signed, handler);
      };
      const now = o.credentials.current();
      if (now) return send(now);
      o.credentials.get().then(send, (err: unknown) => {
        const reason = err instanceof OriginSignerError ? err : new OriginSignerError('OS_ERR_CREDENTIALS_UNAVAILABLE', `credentials "${o.credentials.name}": ${(err as Error).message}`);
        handler.onResponseError?.(null as never, reason);
      });
      return true;
    };
}
