import { uriEncode } from '../uri-encode.js';
import { V4A_ALGORITHM, type Credentials, type WireRequest } from '../types.js';
import { canonicalHeaders } from '../v4/canonical-headers.js';
import { canonicalQuery, parseQuery, type EncodedParam } from '../v4/canonical-query.js';
import { canonicalRequest } from '../v4/canonical-request.js';
import { canonicalUri } from '../v4/canonical-uri.js';
import type { V4PresignOptions, V4PresignResult } from '../v4/presign.js';
import { v4aKeyPair, type V4aContext } from './context.js';
import { v4aSignature } from './signature.js';
import { v4aCredentialScope, v4aStringToSign } from './string-to-sign.js';

/**
 * SigV4A in the query string (a presigned URL): SigV4's X-Amz-* parameters with the ECDSA
 * algorithm, a region-less credential scope and `X-Amz-Region-Set`, all part of the canonical
 * query; `X-Amz-Signature` (DER hex) is appended last and never signed. `req.headers` are the
 * headers to sign — usually just `host`.
 */
export function presignV4a(req: WireRequest, credentials: Credentials, ctx: V4aContext, opts: V4PresignOptions): V4PresignResult {
  const scope = v4aCredentialScope(opts.amzDate.slice(0, 8), ctx.service);
  const headers = canonicalHeaders(req.headers);
  const auth: EncodedParam[] = [
    ['X-Amz-Algorithm', V4A_ALGORITHM],
    ['X-Amz-Credential', uriEncode(`${credentials.accessKeyId}/${scope}`)],
    ['X-Amz-Date', opts.amzDate],
    ['X-Amz-Expires', String(opts.expires)],
    ['X-Amz-Region-Set', uriEncode(ctx.regionSet)],
    ['X-Amz-SignedHeaders', uriEncode(headers.signedHeaders)],
  ];
  if (credentials.sessionToken) auth.push(['X-Amz-Security-Token', uriEncode(credentials.sessionToken)]);
  const creq = canonicalRequest({
    method: req.method,
    canonicalUri: canonicalUri(req.path, ctx.uriRule),
    canonicalQuery: canonicalQuery([...parseQuery(req.query), ...auth]),
    headers,
    payloadHash: opts.payloadHash,
  });
  const sts = v4aStringToSign(opts.amzDate, scope, creq);
  const signature = v4aSignature(v4aKeyPair(credentials, ctx).privateKey, sts);
  const authQuery = auth.map(([k, v]) => `${k}=${v}`).join('&');
  const query = `${req.query === '' ? '' : `${req.query}&`}${authQuery}&X-Amz-Signature=${signature}`;
  return { query, canonicalRequest: creq, stringToSign: sts, signature };
}
