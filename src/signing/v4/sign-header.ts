import { hmacSha256Hex } from '../hash.js';
import { V4_ALGORITHM, type Credentials, type WireRequest } from '../types.js';
import { canonicalHeaders } from './canonical-headers.js';
import { canonicalQuery, parseQuery } from './canonical-query.js';
import { canonicalRequest } from './canonical-request.js';
import { canonicalUri } from './canonical-uri.js';
import { scopedKey, type V4Context } from './scoped-key.js';
import { stringToSign } from './string-to-sign.js';

export interface V4HeaderOptions {
  /** `YYYYMMDDTHHMMSSZ` from the injected clock. */
  readonly amzDate: string;
  /** Hex SHA-256 of the body, `UNSIGNED-PAYLOAD` or `STREAMING-AWS4-HMAC-SHA256-PAYLOAD`. */
  readonly payloadHash: string;
  /** S3 wants the payload hash sent (and signed) as `x-amz-content-sha256`; generic services do not. */
  readonly contentSha256Header: boolean;
}

/** The intermediate strings, for `log.signatureDebug` and for the vector tests. */
export interface V4Debug {
  readonly canonicalRequest: string;
  readonly stringToSign: string;
  readonly signature: string;
}

export interface V4HeaderResult extends V4Debug {
  /** Headers to add to the request, `authorization` last. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly authorization: string;
  readonly signedHeaders: string;
}

/**
 * SigV4 with an Authorization header. `req.headers` are the headers to sign (the caller decides
 * which of the forwarded headers those are); `x-amz-date`, `x-amz-content-sha256` and
 * `x-amz-security-token` (or an S3 Express session's `x-amz-s3session-token`) are added here and always signed.
 */
export function signV4Header(req: WireRequest, credentials: Credentials, ctx: V4Context, opts: V4HeaderOptions): V4HeaderResult {
  const added: Array<[string, string]> = [['x-amz-date', opts.amzDate]];
  if (opts.contentSha256Header) added.push(['x-amz-content-sha256', opts.payloadHash]);
  if (credentials.sessionToken) added.push(['x-amz-security-token', credentials.sessionToken]);
  if (credentials.s3SessionToken) added.push(['x-amz-s3session-token', credentials.s3SessionToken]);
  const headers = canonicalHeaders([...req.headers, ...added]);
  const creq = canonicalRequest({
    method: req.method,
    canonicalUri: canonicalUri(req.path, ctx.uriRule),
    canonicalQuery: canonicalQuery(parseQuery(req.query)),
    headers,
    payloadHash: opts.payloadHash,
  });
  const { scope, key } = scopedKey(credentials, ctx, opts.amzDate.slice(0, 8));
  const sts = stringToSign(opts.amzDate, scope, creq);
  const signature = hmacSha256Hex(key, sts);
  const authorization = `${V4_ALGORITHM} Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${headers.signedHeaders}, Signature=${signature}`;
  added.push(['authorization', authorization]);
  return { headers: added, authorization, signedHeaders: headers.signedHeaders, canonicalRequest: creq, stringToSign: sts, signature };
}
