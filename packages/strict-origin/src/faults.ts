/**
 * Worst-case store answers, given on demand to an authenticated request instead of performing its
 * operation — for tests of what the proxy lets reach viewers (README "What reaches the bucket",
 * Respond). Each is shaped like S3's own answer, with the secrets S3 (or a misbehaving store)
 * can put in it:
 *
 *  - `signature-mismatch`: 403 SignatureDoesNotMatch with S3's diagnostics — StringToSign,
 *    SignatureProvided, CanonicalRequest and their byte dumps, AWSAccessKeyId. The canonical
 *    request holds the session token (as `x-amz-security-token:` or `X-Amz-Security-Token=`).
 *  - `redirect-301` / `redirect-307`: PermanentRedirect / TemporaryRedirect whose `Location` is a
 *    presigned URL for the same request on another endpoint: the query as received, and for a
 *    header-signed request the credential, session token and signature added as a presigned URL
 *    carries them.
 *  - `internal-error-500`: S3's 500 InternalError ("We encountered an internal error").
 *  - `cut-body`: 200 with a Content-Length of 1 MiB, 1000 bytes of it, then the connection is
 *    reset — a store (or a network) that breaks mid-body.
 */
import { finished } from 'node:stream/promises';
import { signatureDoesNotMatch } from './compare-signature.js';
import type { Exchange } from './exchange.js';
import { header } from './headers.js';
import { S3Error } from './s3-errors.js';
import { signatureDoesNotMatchV2 } from './verify-sigv2.js';
import type { Fault } from './types.js';
import { ALGORITHM, ALGORITHM_V4A } from './v4-variants.js';

// Fault and FaultHook are declared in types.ts (RecordedRequest carries a Fault): importing them
// from server.ts, as RecordedRequest once was, made an import cycle.
export type { Fault, FaultHook } from './types.js';

export const FAULTS: readonly Fault[] = ['signature-mismatch', 'redirect-301', 'redirect-307', 'internal-error-500', 'cut-body'];

/** RFC 3986 unreserved kept, everything else `%XX` (a presigned URL's encoding). */
const enc = (s: string): string => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The signature the request carried (it verified, so it is the one its signer computed). */
function providedSignature(x: Exchange): string {
  const a = x.auth;
  if (a?.kind === 'v4' || a?.kind === 'v4a') return a.v.signature;
  const authz = header(x.headers, 'authorization');
  const fromHeader = authz === undefined ? undefined : /^AWS [^:\s]+:(\S+)$/.exec(authz)?.[1];
  return fromHeader ?? x.params.find((p) => p.key === 'Signature')?.value ?? '';
}

function mismatch(x: Exchange): S3Error {
  const a = x.auth;
  if (!a) throw new Error('unreachable: faults are only given to authenticated requests');
  if (a.kind === 'v4' || a.kind === 'v4a') return signatureDoesNotMatch(a.v.accessKeyId, a.v.signature, a.v);
  return signatureDoesNotMatchV2(a.v.accessKeyId, providedSignature(x), a.v.stringToSign);
}

/** A presigned URL for this request on another (regional) endpoint of the same bucket. */
function presignedLocation(x: Exchange, bucket: string, path: string, query: string): string {
  const a = x.auth;
  const parts = query === '' ? [] : [query];
  const headerSigned = header(x.headers, 'authorization') !== undefined;
  if (a && headerSigned) {
    const token = a.v.credential.sessionToken;
    if (a.kind === 'v4' || a.kind === 'v4a') {
      parts.push(
        `X-Amz-Algorithm=${a.kind === 'v4' ? ALGORITHM : ALGORITHM_V4A}`,
        `X-Amz-Credential=${enc(`${a.v.accessKeyId}/${a.v.scope}`)}`,
        `X-Amz-Date=${a.v.amzDate}`,
        'X-Amz-Expires=300',
        ...(a.kind === 'v4a' ? [`X-Amz-Region-Set=${enc(a.v.regionSet)}`] : []),
        'X-Amz-SignedHeaders=host',
        ...(token ? [`X-Amz-Security-Token=${enc(token)}`] : []),
        `X-Amz-Signature=${a.v.signature}`,
      );
    } else {
      parts.push(`AWSAccessKeyId=${enc(a.v.accessKeyId)}`, 'Expires=1999999999', ...(token ? [`x-amz-security-token=${enc(token)}`] : []), `Signature=${enc(providedSignature(x))}`);
    }
  }
  return `http://${bucket}.s3.us-west-2.amazonaws.com${path}${parts.length ? `?${parts.join('&')}` : ''}`;
}

/**
 * Answers `x` with `fault`. The request body (if any) is read and discarded first, so the answer
 * never races an upload still being written (S3 may answer early; that is another test's subject).
 */
export async function answerFault(x: Exchange, fault: Fault, target: { bucket: string | undefined; path: string; query: string }): Promise<void> {
  x.record.fault = fault;
  if (x.preReceived) await x.store.discard(x.preReceived.file);
  else if (!x.expectContinue) await finished(x.req.resume()).catch(() => undefined);
  if (fault === 'signature-mismatch') return x.sendError(mismatch(x));
  if (fault === 'internal-error-500') return x.sendError(new S3Error(500, 'InternalError', 'We encountered an internal error. Please try again.'));
  if (fault === 'cut-body') {
    x.res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(1024 * 1024), etag: '"cut-body"' });
    x.res.write(Buffer.alloc(1000, 0x61));
    setTimeout(() => x.res.destroy(), 50);
    return;
  }
  const bucket = target.bucket ?? 'no-bucket';
  const endpoint = `${bucket}.s3.us-west-2.amazonaws.com`;
  const err =
    fault === 'redirect-301'
      ? new S3Error(301, 'PermanentRedirect', 'The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.', [
          ['Endpoint', endpoint],
          ['Bucket', bucket],
        ])
      : new S3Error(307, 'TemporaryRedirect', 'Please re-send this request to the specified temporary endpoint. Continue to use the original request endpoint for future requests.', [
          ['Endpoint', endpoint],
          ['Bucket', bucket],
        ]);
  x.sendError(new S3Error(err.status, err.code, err.message, err.fields, { location: presignedLocation(x, bucket, target.path, target.query), 'x-amz-bucket-region': 'us-west-2' }));
}
