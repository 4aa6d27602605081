/**
 * Independent verification of SigV4A (`AWS4-ECDSA-P256-SHA256`), header and presigned query —
 * never with the project's own signer, which this origin exists to judge.
 *
 *  - The canonical request and string to sign are rebuilt by smithy's SigV4 base from the request
 *    as received, restricted to the headers it names as signed (recompute-sigv4a.ts).
 *  - The public key comes from the credentials the origin knows (sigv4a-key.ts), and the signature
 *    is checked with node:crypto's ECDSA verify (compare-signature.ts).
 *
 * The region set (`X-Amz-Region-Set`, signed) must include this origin's region, or be `*`
 * (a `us-*` style wildcard matches by prefix). Without it: 400 AuthorizationHeaderMalformed /
 * AuthorizationQueryParametersError naming the set — this origin's wording; S3 does not document
 * the answer.
 */
import type { UriRule } from './canonical-request.js';
import { checkEcdsaSignature } from './compare-signature.js';
import { checkSessionToken, lookupCredential } from './credentials.js';
import { formatAmzDate, parseAmzDate } from './dates.js';
import { headerJoined, headerNames } from './headers.js';
import { presignedCredential, presignedSignedHeaders, readAuthorizationHeader, readPresignedParams } from './parse-authorization.js';
import { classifyContentSha256 } from './payload-hash.js';
import { parseQuery, queryGet } from './query.js';
import { recomputeSigV4a, sigV4aScope } from './recompute-sigv4a.js';
import { S3Error, accessDenied, invalidArgument, invalidToken, invalidUri, requestTimeTooSkewed } from './s3-errors.js';
import { malformedHeader, malformedQuery } from './sigv4-errors.js';
import type { CredentialLookup, OriginCredential, SignableRequest } from './types.js';
import { SIGV4A } from './v4-variants.js';
import { MAX_PRESIGNED_EXPIRES } from './verify-sigv4.js';

export interface SigV4aPolicy {
  /** This origin's region: the region set must include it. */
  region: string;
  service: string;
  uriRule: UriRule;
  lookup: CredentialLookup;
  now: number;
  maxSkewMs: number;
  requireContentSha256: boolean;
  defaultPayloadHash: string;
}

export interface VerifiedSigV4a {
  auth: 'v4a-header' | 'v4a-query';
  accessKeyId: string;
  credential: OriginCredential;
  signature: string;
  amzDate: string;
  /** `yyyymmdd/service/aws4_request`. */
  scope: string;
  regionSet: string;
  service: string;
  signedHeaders: string[];
  payloadHash: string;
  canonicalRequest: string;
  stringToSign: string;
}

// ------------------------------------------------------------ region set ---

/** Whether a region set (`us-east-1,eu-west-1`, `*`, `us-*`) covers `region`. */
export function regionSetIncludes(regionSet: string, region: string): boolean {
  return regionSet.split(',').some((entry) => {
    const e = entry.trim();
    return e === '*' || e === region || (e.endsWith('*') && region.startsWith(e.slice(0, -1)));
  });
}

function unsignedAmzHeaders(req: SignableRequest, signed: readonly string[]): string[] {
  return headerNames(req.headers).filter((n) => n.startsWith('x-amz-') && !signed.includes(n));
}

function headersNotSigned(names: string[]): S3Error {
  return accessDenied('There were headers present in the request which were not signed', [['HeadersNotSigned', names.join(', ')]]);
}

/** The payload hash to sign; SigV4A with the HMAC chunk chain is a contradiction. */
function payloadHashOf(contentSha: string | undefined, policy: SigV4aPolicy): string {
  if (contentSha === undefined) return policy.defaultPayloadHash;
  if (classifyContentSha256(contentSha) === 'streaming') {
    throw invalidArgument('STREAMING-AWS4-HMAC-SHA256-PAYLOAD cannot be signed with AWS4-ECDSA-P256-SHA256.', 'x-amz-content-sha256', contentSha);
  }
  return contentSha;
}

// ------------------------------------------------------------ header mode ---

export async function verifySigV4aHeader(req: SignableRequest, policy: SigV4aPolicy): Promise<VerifiedSigV4a> {
  const auth = readAuthorizationHeader(req, SIGV4A);
  if (auth.terminal !== 'aws4_request') throw malformedHeader(`incorrect terminal "${auth.terminal}". This endpoint uses "aws4_request".`);
  if (auth.service !== policy.service) throw malformedHeader(`incorrect service "${auth.service}". This endpoint belongs to "${policy.service}".`);
  const amzDateValue = headerJoined(req.headers, 'x-amz-date');
  const amzDate = amzDateValue === undefined ? undefined : parseAmzDate(amzDateValue.trim());
  if (amzDateValue === undefined || amzDate === undefined) throw accessDenied('AWS authentication requires a valid Date or x-amz-date header');
  const amzDateStr = formatAmzDate(amzDate);
  if (auth.date !== amzDateStr.slice(0, 8)) throw malformedHeader(`Invalid credential date "${auth.date}". This date is not the same as X-Amz-Date: "${amzDateStr.slice(0, 8)}".`);
  if (Math.abs(amzDate.getTime() - policy.now) > policy.maxSkewMs) throw requestTimeTooSkewed(amzDateStr, policy.now, policy.maxSkewMs);
  const regionSet = headerJoined(req.headers, 'x-amz-region-set');
  if (regionSet === undefined) throw malformedHeader('SigV4A requires the X-Amz-Region-Set header.');
  if (!regionSetIncludes(regionSet, policy.region)) throw malformedHeader(`the region set '${regionSet}' does not include '${policy.region}'.`);
  const cred = lookupCredential(policy.lookup, auth.accessKeyId);

  const missing = ['host', 'x-amz-date', 'x-amz-region-set'].filter((n) => !auth.signedHeaders.includes(n));
  const unsigned = unsignedAmzHeaders(req, auth.signedHeaders);
  if (missing.length > 0 || unsigned.length > 0) throw headersNotSigned([...new Set([...missing, ...unsigned])]);

  const contentSha = headerJoined(req.headers, 'x-amz-content-sha256');
  if (contentSha === undefined && policy.requireContentSha256) throw new S3Error(400, 'InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
  const payloadHash = payloadHashOf(contentSha, policy);
  checkSessionToken(cred, headerJoined(req.headers, 'x-amz-security-token'));

  const params = parseQuery(req.query);
  if (!params) throw invalidUri();
  const scope = sigV4aScope(amzDateStr.slice(0, 8), policy.service);
  const { service, uriRule } = policy;
  const r = await recomputeSigV4a({ req, params, signedHeaders: auth.signedHeaders, amzDate: amzDateStr, scope, payloadHash, service, uriRule });
  checkEcdsaSignature(cred, auth.accessKeyId, auth.signature, r);
  return {
    auth: 'v4a-header',
    accessKeyId: auth.accessKeyId,
    credential: cred,
    signature: auth.signature,
    amzDate: amzDateStr,
    scope,
    regionSet,
    service: policy.service,
    signedHeaders: auth.signedHeaders,
    payloadHash,
    ...r,
  };
}

// ------------------------------------------------------------- query mode ---

export async function verifySigV4aQuery(req: SignableRequest, policy: SigV4aPolicy): Promise<VerifiedSigV4a> {
  const params = parseQuery(req.query);
  if (!params) throw invalidUri();
  const q = readPresignedParams(params, SIGV4A);
  const scope = presignedCredential(q('X-Amz-Credential'), SIGV4A);
  if (scope.terminal !== 'aws4_request') throw malformedQuery(`Error parsing the X-Amz-Credential parameter; incorrect terminal "${scope.terminal}". This endpoint uses "aws4_request".`);
  if (scope.service !== policy.service) throw malformedQuery(`Error parsing the X-Amz-Credential parameter; incorrect service "${scope.service}". This endpoint belongs to "${policy.service}".`);
  const amzDate = parseAmzDate(q('X-Amz-Date'));
  if (!amzDate) throw malformedQuery('X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd\'T\'HHmmss\'Z\'"');
  const amzDateStr = formatAmzDate(amzDate);
  if (scope.date !== amzDateStr.slice(0, 8)) {
    throw malformedQuery(`Error parsing the X-Amz-Credential parameter; Invalid credential date "${scope.date}". This date is not the same as X-Amz-Date: "${amzDateStr.slice(0, 8)}".`);
  }
  const regionSet = q('X-Amz-Region-Set');
  if (!regionSetIncludes(regionSet, policy.region)) throw malformedQuery(`X-Amz-Region-Set '${regionSet}' does not include '${policy.region}'.`);
  const expiresRaw = q('X-Amz-Expires');
  if (!/^(0|[1-9][0-9]{0,9})$/.test(expiresRaw)) throw malformedQuery('X-Amz-Expires should be a number');
  const expires = Number(expiresRaw);
  if (expires > MAX_PRESIGNED_EXPIRES) throw malformedQuery('X-Amz-Expires must be less than a week (in seconds) that is 604800');
  if (amzDate.getTime() - policy.now > policy.maxSkewMs) throw accessDenied('Request is not valid yet');
  if (policy.now > amzDate.getTime() + expires * 1000) throw accessDenied('Request has expired', [['X-Amz-Expires', expiresRaw]]);
  const cred = lookupCredential(policy.lookup, scope.accessKeyId);
  const signedHeaders = presignedSignedHeaders(q('X-Amz-SignedHeaders'));

  const missing = signedHeaders.includes('host') ? [] : ['host'];
  const unsigned = unsignedAmzHeaders(req, signedHeaders);
  if (missing.length > 0 || unsigned.length > 0) throw headersNotSigned([...missing, ...unsigned]);

  const payloadHash = payloadHashOf(headerJoined(req.headers, 'x-amz-content-sha256'), policy);
  const queryToken = queryGet(params, 'X-Amz-Security-Token');
  const headerToken = headerJoined(req.headers, 'x-amz-security-token');
  if (queryToken !== undefined && headerToken !== undefined) throw invalidToken();
  checkSessionToken(cred, queryToken ?? headerToken);

  const provided = q('X-Amz-Signature');
  const signedParams = params.filter((p) => p.key !== 'X-Amz-Signature');
  const scopeStr = sigV4aScope(amzDateStr.slice(0, 8), policy.service);
  const { service, uriRule } = policy;
  const r = await recomputeSigV4a({ req, params: signedParams, signedHeaders, amzDate: amzDateStr, scope: scopeStr, payloadHash, service, uriRule });
  checkEcdsaSignature(cred, scope.accessKeyId, provided, r);
  return {
    auth: 'v4a-query',
    accessKeyId: scope.accessKeyId,
    credential: cred,
    signature: provided,
    amzDate: amzDateStr,
    scope: scopeStr,
    regionSet,
    service: policy.service,
    signedHeaders,
    payloadHash,
    ...r,
  };
}
