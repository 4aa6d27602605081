import type { Dispatcher } from 'undici';
import type { BlockSigning } from '../config/types.js';
import type { CredentialProvider } from '../credentials/provider.js';
import { OriginSignerError } from '../errors.js';
import { toAmzDate, toHttpDate } from '../signing/amz-date.js';
import { EMPTY_SHA256 } from '../signing/hash.js';
import { UNSIGNED_PAYLOAD, type Credentials, type HeaderList } from '../signing/types.js';
import { presignV2, signV2Header } from '../signing/v2/sign.js';
import { presignV4 } from '../signing/v4/presign.js';
import { signV4Header } from '../signing/v4/sign-header.js';
import type { SigningKeyCache } from '../signing/v4/signing-key.js';

/**
 * Headers that are sent but never signed: ones a hop in between may add or change (DESIGN signing
 * rules; smithy's ALWAYS_UNSIGNABLE_HEADERS is the same idea).
 */
const NEVER_SIGNED: ReadonlySet<string> = new Set([
  'user-agent', 'expect', 'via', 'forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto',
  'x-amzn-trace-id', 'connection', 'keep-alive', 'te', 'trailer', 'transfer-encoding', 'upgrade',
]);

/** What the signer produced, for `log.signatureDebug`. */
export interface SigningDebug {
  readonly canonicalRequest?: string;
  readonly stringToSign: string;
}

/** Dispatch options the proxy builds: headers as a lower-case object, one value each. */
export interface SignableDispatchOptions extends Dispatcher.DispatchOptions {
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

/** Signs one request: returns the dispatch options to send. Pure apart from reading the clock. */
export function signDispatch(opts: SignableDispatchOptions, credentials: Credentials, o: SignInterceptorOptions, excluded: ReadonlySet<string>): SignableDispatchOptions {
  const now = o.clock();
  const fullPath = opts.path;
  const q = fullPath.indexOf('?');
  const path = q === -1 ? fullPath : fullPath.slice(0, q);
  const query = q === -1 ? '' : fullPath.slice(q + 1);
  const { 'x-amz-content-sha256': precomputedHash, ...rest } = opts.headers;
  const toSign = signableHeaders(rest, excluded);
  const wire = { method: opts.method, path, query, headers: toSign };
  const s = o.signing;

  if (s.version === 'v4') {
    const ctx = { region: o.region ?? '', service: s.service, uriRule: s.uriRule, keyCache: o.keyCache };
    const amzDate = toAmzDate(now);
    const hasBody = opts.body !== undefined && opts.body !== null;
    const payloadHash = precomputedHash ?? (s.payload === 'unsigned' ? UNSIGNED_PAYLOAD : hasBody ? undefined : EMPTY_SHA256);
    if (payloadHash === undefined) throw new OriginSignerError('OS_ERR_INTERNAL', 'payload: sha256 request reached the signer without a body hash');
    if (s.mode === 'header') {
      const r = signV4Header(wire, credentials, ctx, { amzDate, payloadHash, contentSha256Header: s.service === 's3' });
      opts.onSigned?.(r);
      const headers = { ...rest };
      for (const [k, v] of r.headers) headers[k] = v;
      return { ...opts, headers };
    }
    // S3 presigned requests carry UNSIGNED-PAYLOAD and no x-amz-content-sha256 header.
    const r = presignV4(wire, credentials, ctx, { amzDate, expires: s.expires, payloadHash: s.service === 's3' ? UNSIGNED_PAYLOAD : payloadHash });
    opts.onSigned?.(r);
    return { ...opts, headers: rest, path: `${path}?${r.query}` };
  }

  if (s.mode === 'header') {
    const r = signV2Header(wire, credentials, { bucket: o.v2Bucket, httpDate: toHttpDate(now) });
    opts.onSigned?.(r);
    const headers = { ...rest };
    for (const [k, v] of r.headers) headers[k] = v;
    return { ...opts, headers };
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
