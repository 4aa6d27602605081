import { hmacSha256Hex } from '../hash.js';
import { uriEncode } from '../uri-encode.js';
import { V4_ALGORITHM, type Credentials, type WireRequest } from '../types.js';
import { canonicalHeaders } from './canonical-headers.js';
import { canonicalQuery, parseQuery, type EncodedParam } from './canonical-query.js';
import { canonicalRequest } from './canonical-request.js';
import { canonicalUri } from './canonical-uri.js';
import { scopedKey, type V4Context } from './scoped-key.js';
import { stringToSign } from './string-to-sign.js';
import type { V4Debug } from './sign-header.js';

export interface V4PresignOptions {
  readonly amzDate: string;
  /** Seconds the URL stays valid (`X-Amz-Expires`, 1 … 604800). */
  readonly expires: number;
  /** S3 presigned URLs use `UNSIGNED-PAYLOAD`; generic services hash the body. */
  readonly payloadHash: string;
}

export interface V4PresignResult extends V4Debug {
  /** The full query string to send (operation parameters, then the X-Amz-* ones), without `?`. */
  readonly query: string;
}

/**
 * SigV4 in the query string ("presigned URL",
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html). The X-Amz-*
 * parameters are part of the canonical query; `X-Amz-Signature` is appended last and never signed.
 * `req.headers` are the headers to sign — usually just `host`.
 */
export function presignV4(req: WireRequest, credentials: Credentials, ctx: V4Context, opts: V4PresignOptions): V4PresignResult {
  const { scope, key } = scopedKey(credentials, ctx, opts.amzDate.slice(0, 8));
  const headers = canonicalHeaders(req.headers);
  const auth: EncodedParam[] = [
    ['X-Amz-Algorithm', V4_ALGORITHM],
    ['X-Amz-Credential', uriEncode(`${credentials.accessKeyId}/${scope}`)],
    ['X-Amz-Date', opts.amzDate],
    ['X-Amz-Expires', String(opts.expires)],
    ['X-Amz-SignedHeaders', uriEncode(headers.signedHeaders)],
  ];
  if (credentials.sessionToken) auth.push(['X-Amz-Security-Token', uriEncode(credentials.sessionToken)]);
  if (credentials.s3SessionToken) auth.push(['X-Amz-S3session-Token', uriEncode(credentials.s3SessionToken)]);
  const params = parseQuery(req.query);
  const creq = canonicalRequest({
    method: req.method,
    canonicalUri: canonicalUri(req.path, ctx.uriRule),
    canonicalQuery: canonicalQuery([...params, ...auth]),
    headers,
    payloadHash: opts.payloadHash,
  });
  const sts = stringToSign(opts.amzDate, scope, creq);
  const signature = hmacSha256Hex(key, sts);
  const authQuery = auth.map(([k, v]) => `${k}=${v}`).join('&');
  const query = `${req.query === '' ? '' : `${req.query}&`}${authQuery}&X-Amz-Signature=${signature}`;
  return { query, canonicalRequest: creq, stringToSign: sts, signature };
}
