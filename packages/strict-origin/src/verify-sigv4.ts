/**
 * Independent verification of AWS Signature Version 4 (header and presigned query): each step in
 * S3's order, the signature recomputed with @smithy/signature-v4 (recompute-sigv4.ts).
 *
 * References:
 *  - S3 header auth: https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html
 *  - S3 presigned:   https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
 *  - generic rules:  https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 */
import { createScope } from '@smithy/signature-v4';
import type { UriRule } from './canonical-request.js';
import { checkHmacSignature } from './compare-signature.js';
import { checkSessionToken, lookupCredential } from './credentials.js';
import { formatAmzDate, parseAmzDate } from './dates.js';
import { headerJoined, headerNames } from './headers.js';
import { presignedCredential, presignedSignedHeaders, readAuthorizationHeader, readPresignedParams } from './parse-authorization.js';
import { classifyContentSha256 } from './payload-hash.js';
import { parseQuery, queryGet } from './query.js';
import { recomputeSigV4, signingKeyFor } from './recompute-sigv4.js';
import { S3Error, accessDenied, invalidArgument, invalidToken, invalidUri, requestTimeTooSkewed } from './s3-errors.js';
import { malformedHeader, malformedQuery } from './sigv4-errors.js';
import type { CredentialLookup, OriginCredential, SignableRequest } from './types.js';
import { SIGV4 } from './v4-variants.js';

/** S3's limit on X-Amz-Expires: seven days. */
export const MAX_PRESIGNED_EXPIRES = 604800;

export interface SigV4Policy {
  region: string;
  service: string;
  /** 's3': decode-once/encode-once path, no normalisation. 'generic': smithy's uriEscapePath. */
  uriRule: UriRule;
  lookup: CredentialLookup;
  /** "Now" in ms since epoch (injected clock). */
  now: number;
  maxSkewMs: number;
  /** S3 header auth requires a signed x-amz-content-sha256 header. */
  requireContentSha256: boolean;
  /** The payload hash to sign when the request has no x-amz-content-sha256 header. */
  defaultPayloadHash: string;
}

export interface VerifiedSigV4 {
  auth: 'v4-header' | 'v4-query';
  accessKeyId: string;
  credential: OriginCredential;
  signature: string;
  amzDate: string;
  scope: string;
  region: string;
  service: string;
  signedHeaders: string[];
  /** The payload hash that was signed: hex, UNSIGNED-PAYLOAD or STREAMING-… */
  payloadHash: string;
  /** The derived signing key, needed to verify aws-chunked chunk signatures. */
  signingKey: Uint8Array;
  canonicalRequest: string;
  stringToSign: string;
}

// --------------------------------------------------------------- helpers ---

/** Names of x-amz-* headers present but not signed (S3 refuses these). */
function unsignedAmzHeaders(req: SignableRequest, signed: readonly string[]): string[] {
  return headerNames(req.headers).filter((n) => n.startsWith('x-amz-') && !signed.includes(n));
}

function headersNotSigned(names: string[]): S3Error {
  return accessDenied('There were headers present in the request which were not signed', [
    ['HeadersNotSigned', names.join(', ')],
  ]);
}

// ------------------------------------------------------------ header mode ---

/**
 * Verifies `Authorization: AWS4-HMAC-SHA256 …`. Resolves with the verified
 * identity or throws the S3Error S3 would answer with.
 */
export async function verifySigV4Header(req: SignableRequest, policy: SigV4Policy): Promise<VerifiedSigV4> {
  const auth = readAuthorizationHeader(req, SIGV4);
  if (auth.terminal !== 'aws4_request') {
    throw malformedHeader(`incorrect terminal "${auth.terminal}". This endpoint uses "aws4_request".`);
  }
  if (auth.region !== policy.region) {
    throw malformedHeader(`the region '${auth.region}' is wrong; expecting '${policy.region}'`, [['Region', policy.region]]);
  }
  if (auth.service !== policy.service) {
    throw malformedHeader(`incorrect service "${auth.service}". This endpoint belongs to "${policy.service}".`);
  }
  const amzDateValue = headerJoined(req.headers, 'x-amz-date');
  const amzDate = amzDateValue === undefined ? undefined : parseAmzDate(amzDateValue.trim());
  if (amzDateValue === undefined || amzDate === undefined) {
    throw accessDenied('AWS authentication requires a valid Date or x-amz-date header');
  }
  const amzDateStr = formatAmzDate(amzDate);
  if (auth.date !== amzDateStr.slice(0, 8)) {
    throw malformedHeader(
      `Invalid credential date "${auth.date}". This date is not the same as X-Amz-Date: "${amzDateStr.slice(0, 8)}".`,
    );
  }
  if (Math.abs(amzDate.getTime() - policy.now) > policy.maxSkewMs) {
    throw requestTimeTooSkewed(amzDateStr, policy.now, policy.maxSkewMs);
  }
  const cred = lookupCredential(policy.lookup, auth.accessKeyId);

  const missing = ['host', 'x-amz-date'].filter((n) => !auth.signedHeaders.includes(n));
  const unsigned = unsignedAmzHeaders(req, auth.signedHeaders);
  if (missing.length > 0 || unsigned.length > 0) throw headersNotSigned([...new Set([...missing, ...unsigned])]);

  const contentSha = headerJoined(req.headers, 'x-amz-content-sha256');
  if (contentSha === undefined && policy.requireContentSha256) {
    throw new S3Error(400, 'InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
  }
  if (contentSha !== undefined) classifyContentSha256(contentSha);
  checkSessionToken(cred, headerJoined(req.headers, 'x-amz-security-token'));

  const params = parseQuery(req.query);
  if (!params) throw invalidUri();
  const payloadHash = contentSha ?? policy.defaultPayloadHash;
  const r = await recomputeSigV4({
    mode: 'header',
    req,
    params,
    signedHeaders: auth.signedHeaders,
    cred,
    queryToken: undefined,
    amzDate,
    payloadHash,
    service: policy.service,
    region: policy.region,
    uriRule: policy.uriRule,
  });
  checkHmacSignature(auth.accessKeyId, auth.signature, r);
  const shortDate = amzDateStr.slice(0, 8);
  return {
    auth: 'v4-header',
    accessKeyId: auth.accessKeyId,
    credential: cred,
    signature: r.signature,
    amzDate: amzDateStr,
    scope: createScope(shortDate, policy.region, policy.service),
    region: policy.region,
    service: policy.service,
    signedHeaders: auth.signedHeaders,
    payloadHash,
    signingKey: await signingKeyFor(cred, shortDate, policy.region, policy.service),
    canonicalRequest: r.canonicalRequest,
    stringToSign: r.stringToSign,
  };
}

// ------------------------------------------------------------- query mode ---

/**
 * Verifies a presigned URL (`X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=…`).
 * The canonical query is every parameter except X-Amz-Signature; smithy's
 * presign() rebuilds the auth parameters from the values checked here.
 */
export async function verifySigV4Query(req: SignableRequest, policy: SigV4Policy): Promise<VerifiedSigV4> {
  const params = parseQuery(req.query);
  if (!params) throw invalidUri();
  const q = readPresignedParams(params, SIGV4);
  const scope = presignedCredential(q('X-Amz-Credential'), SIGV4);
  if (scope.terminal !== 'aws4_request') {
    throw malformedQuery(`Error parsing the X-Amz-Credential parameter; incorrect terminal "${scope.terminal}". This endpoint uses "aws4_request".`);
  }
  if (scope.region !== policy.region) {
    throw malformedQuery(`Error parsing the X-Amz-Credential parameter; the region '${scope.region}' is wrong; expecting '${policy.region}'`);
  }
  if (scope.service !== policy.service) {
    throw malformedQuery(
      `Error parsing the X-Amz-Credential parameter; incorrect service "${scope.service}". This endpoint belongs to "${policy.service}".`,
    );
  }
  const amzDate = parseAmzDate(q('X-Amz-Date'));
  if (!amzDate) throw malformedQuery('X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd\'T\'HHmmss\'Z\'"');
  const amzDateStr = formatAmzDate(amzDate);
  if (scope.date !== amzDateStr.slice(0, 8)) {
    throw malformedQuery(
      `Error parsing the X-Amz-Credential parameter; Invalid credential date "${scope.date}". This date is not the same as X-Amz-Date: "${amzDateStr.slice(0, 8)}".`,
    );
  }
  const expiresRaw = q('X-Amz-Expires');
  if (!/^(0|[1-9][0-9]{0,9})$/.test(expiresRaw)) throw malformedQuery('X-Amz-Expires should be a number');
  const expires = Number(expiresRaw);
  if (expires > MAX_PRESIGNED_EXPIRES) {
    throw malformedQuery('X-Amz-Expires must be less than a week (in seconds) that is 604800');
  }
  // S3 allows the same clock skew before X-Amz-Date as for header auth.
  if (amzDate.getTime() - policy.now > policy.maxSkewMs) throw accessDenied('Request is not valid yet');
  if (policy.now > amzDate.getTime() + expires * 1000) {
    throw accessDenied('Request has expired', [
      ['X-Amz-Expires', expiresRaw],
      ['Expires', new Date(amzDate.getTime() + expires * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')],
      ['ServerTime', new Date(policy.now).toISOString().replace(/\.\d{3}Z$/, 'Z')],
    ]);
  }
  const cred = lookupCredential(policy.lookup, scope.accessKeyId);
  const signedHeaders = presignedSignedHeaders(q('X-Amz-SignedHeaders'));

  const missing = signedHeaders.includes('host') ? [] : ['host'];
  const unsigned = unsignedAmzHeaders(req, signedHeaders);
  if (missing.length > 0 || unsigned.length > 0) throw headersNotSigned([...missing, ...unsigned]);

  const contentSha = headerJoined(req.headers, 'x-amz-content-sha256');
  if (contentSha !== undefined && classifyContentSha256(contentSha) === 'streaming') {
    throw invalidArgument('Presigned requests cannot use STREAMING-AWS4-HMAC-SHA256-PAYLOAD.', 'x-amz-content-sha256', contentSha);
  }
  const queryToken = queryGet(params, 'X-Amz-Security-Token');
  const headerToken = headerJoined(req.headers, 'x-amz-security-token');
  if (queryToken !== undefined && headerToken !== undefined) throw invalidToken();
  checkSessionToken(cred, queryToken ?? headerToken);

  const opParams = params.filter(
    (p) => !SIGV4.presignParams.includes(p.key) && p.key !== 'X-Amz-Security-Token',
  );
  const payloadHash = contentSha ?? policy.defaultPayloadHash;
  const provided = q('X-Amz-Signature');
  const r = await recomputeSigV4({
    mode: 'query',
    req,
    params: opParams,
    signedHeaders,
    cred,
    queryToken,
    amzDate,
    expires,
    payloadHash,
    service: policy.service,
    region: policy.region,
    uriRule: policy.uriRule,
  });
  checkHmacSignature(scope.accessKeyId, provided, r);
  const shortDate = amzDateStr.slice(0, 8);
  return {
    auth: 'v4-query',
    accessKeyId: scope.accessKeyId,
    credential: cred,
    signature: r.signature,
    amzDate: amzDateStr,
    scope: createScope(shortDate, policy.region, policy.service),
    region: policy.region,
    service: policy.service,
    signedHeaders,
    payloadHash,
    signingKey: await signingKeyFor(cred, shortDate, policy.region, policy.service),
    canonicalRequest: r.canonicalRequest,
    stringToSign: r.stringToSign,
  };
}
