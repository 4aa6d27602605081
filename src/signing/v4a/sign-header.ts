import { V4A_ALGORITHM, type Credentials, type WireRequest } from '../types.js';
import { canonicalHeaders } from '../v4/canonical-headers.js';
import { canonicalQuery, parseQuery } from '../v4/canonical-query.js';
import { canonicalRequest } from '../v4/canonical-request.js';
import { canonicalUri } from '../v4/canonical-uri.js';
import type { V4HeaderOptions, V4HeaderResult } from '../v4/sign-header.js';
import { V4A_SIGNER_HEADERS, v4aKeyPair, type V4aContext } from './context.js';
import { v4aSignature } from './signature.js';
import { v4aCredentialScope, v4aStringToSign } from './string-to-sign.js';

/**
 * SigV4A with an Authorization header
 * (`AWS4-ECDSA-P256-SHA256 Credential=AKID/yyyymmdd/service/aws4_request, SignedHeaders=…, Signature=<DER hex>`).
 * The canonical request is SigV4's; `x-amz-date`, `x-amz-region-set`, `x-amz-content-sha256` (when
 * asked) and `x-amz-security-token` are added here and always signed.
 */
export function signV4aHeader(req: WireRequest, credentials: Credentials, ctx: V4aContext, opts: V4HeaderOptions): V4HeaderResult {
  const added: Array<[string, string]> = [['x-amz-date', opts.amzDate]];
  if (opts.contentSha256Header) added.push(['x-amz-content-sha256', opts.payloadHash]);
  if (credentials.sessionToken) added.push(['x-amz-security-token', credentials.sessionToken]);
  added.push(['x-amz-region-set', ctx.regionSet]);
  const own = req.headers.filter(([name]) => !V4A_SIGNER_HEADERS.has(name.toLowerCase()));
  const headers = canonicalHeaders([...own, ...added]);
  const creq = canonicalRequest({
    method: req.method,
    canonicalUri: canonicalUri(req.path, ctx.uriRule),
    canonicalQuery: canonicalQuery(parseQuery(req.query)),
    headers,
    payloadHash: opts.payloadHash,
  });
  const scope = v4aCredentialScope(opts.amzDate.slice(0, 8), ctx.service);
  const sts = v4aStringToSign(opts.amzDate, scope, creq);
  const signature = v4aSignature(v4aKeyPair(credentials, ctx).privateKey, sts);
  const authorization = `${V4A_ALGORITHM} Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${headers.signedHeaders}, Signature=${signature}`;
  added.push(['authorization', authorization]);
  return { headers: added, authorization, signedHeaders: headers.signedHeaders, canonicalRequest: creq, stringToSign: sts, signature };
}
