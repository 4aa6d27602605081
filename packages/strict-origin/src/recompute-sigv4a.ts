/**
 * Rebuilds a SigV4A request's canonical request and string to sign with @smithy/signature-v4's
 * SigV4 base (SignatureV4Base.createCanonicalRequest / createStringToSign, getCanonicalHeaders):
 * SigV4A's canonical request is SigV4's; its scope is `date/service/aws4_request`.
 */
import { ALGORITHM_IDENTIFIER_V4A, SignatureV4Base, getCanonicalHeaders } from '@smithy/signature-v4';
import type { HttpRequest } from '@smithy/protocol-http';
import { signableHttpRequest, uriEscapePathFor, type UriRule } from './canonical-request.js';
import type { CanonicalForms } from './compare-signature.js';
import type { QueryParam } from './query.js';
import { NodeSha256 } from './sha256.js';
import { signedHeaderValues } from './signed-headers.js';
import type { SignableRequest } from './types.js';

/** smithy's SigV4 base: its canonical request and string to sign, nothing of its signing. */
class SigV4aCanonical extends SignatureV4Base {
  constructor(service: string, uriEscapePath: boolean) {
    super({ service, region: 'unused', credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' }, sha256: NodeSha256, uriEscapePath, applyChecksum: false });
  }
  canonical(request: HttpRequest, signedHeaders: readonly string[], payloadHash: string): string {
    return this.createCanonicalRequest(request, getCanonicalHeaders(request, undefined, new Set(signedHeaders)), payloadHash);
  }
  stringToSign(amzDate: string, scope: string, canonicalRequest: string): Promise<string> {
    return this.createStringToSign(amzDate, scope, canonicalRequest, ALGORITHM_IDENTIFIER_V4A);
  }
}

interface RecomputeV4aInput {
  req: SignableRequest;
  /** Every query parameter that is signed (decoded): X-Amz-Signature removed. */
  params: readonly QueryParam[];
  signedHeaders: string[];
  amzDate: string;
  scope: string;
  payloadHash: string;
  service: string;
  uriRule: UriRule;
}

export const sigV4aScope = (shortDate: string, service: string): string => `${shortDate}/${service}/aws4_request`;

export async function recomputeSigV4a(i: RecomputeV4aInput): Promise<CanonicalForms> {
  const request = signableHttpRequest(i.req, i.uriRule, i.params, signedHeaderValues(i.req, i.signedHeaders));
  const c = new SigV4aCanonical(i.service, uriEscapePathFor(i.uriRule));
  const canonicalRequest = c.canonical(request, i.signedHeaders, i.payloadHash);
  return { canonicalRequest, stringToSign: await c.stringToSign(i.amzDate, i.scope, canonicalRequest) };
}
