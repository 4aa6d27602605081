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
import { checkCredentialScope, checkPresignedWindow, headerRequestDate, presignedExpires, presignedRequestDate, shortDate, type SignedDate } from './check-date-scope.js';
import { checkHmacSignature } from './compare-signature.js';
import { checkPresignedSessionToken, checkSessionToken, lookupCredential } from './credentials.js';
import { headerJoined } from './headers.js';
import { presignedCredential, presignedSignedHeaders, readAuthorizationHeader, readPresignedParams } from './parse-authorization.js';
import { PRESIGNED_STREAMING, headerPayloadHash, payloadHashToSign } from './payload-hash.js';
import { queryParamsOf } from './query.js';
import { recomputeSigV4, signingKeyFor, type Recomputed } from './recompute-sigv4.js';
import { malformedCredentialParam, malformedHeader } from './sigv4-errors.js';
import { checkSignedHeaders } from './signed-headers.js';
import type { CredentialLookup, OriginCredential, SignableRequest } from './types.js';
import { SIGV4 } from './v4-variants.js';

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

type Identity = Pick<VerifiedSigV4, 'auth' | 'accessKeyId' | 'credential' | 'signedHeaders' | 'payloadHash'>;

/** The verified identity, with what aws-chunked decoding needs: the scope and signing key. */
async function verified(who: Identity, date: SignedDate, r: Recomputed, policy: SigV4Policy): Promise<VerifiedSigV4> {
  const day = shortDate(date.amzDate);
  return {
    auth: who.auth,
    accessKeyId: who.accessKeyId,
    credential: who.credential,
    signature: r.signature,
    amzDate: date.amzDate,
    scope: createScope(day, policy.region, policy.service),
    region: policy.region,
    service: policy.service,
    signedHeaders: who.signedHeaders,
    payloadHash: who.payloadHash,
    signingKey: await signingKeyFor(who.credential, day, policy.region, policy.service),
    canonicalRequest: r.canonicalRequest,
    stringToSign: r.stringToSign,
  };
}

/**
 * Verifies `Authorization: AWS4-HMAC-SHA256 …`. Resolves with the verified
 * identity or throws the S3Error S3 would answer with.
 */
export async function verifySigV4Header(req: SignableRequest, policy: SigV4Policy): Promise<VerifiedSigV4> {
  const auth = readAuthorizationHeader(req, SIGV4);
  checkCredentialScope(auth, policy, malformedHeader);
  const date = headerRequestDate(req, auth.date, policy);
  const cred = lookupCredential(policy.lookup, auth.accessKeyId);
  checkSignedHeaders(req, auth.signedHeaders, ['host', 'x-amz-date']);
  const payloadHash = headerPayloadHash(req, policy, { 'streaming-ecdsa': 'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD needs AWS4-ECDSA-P256-SHA256 (SigV4A) signing.' });
  checkSessionToken(cred, headerJoined(req.headers, 'x-amz-security-token'));

  const params = queryParamsOf(req);
  const r = await recomputeSigV4({
    mode: 'header',
    req,
    params,
    signedHeaders: auth.signedHeaders,
    cred,
    queryToken: undefined,
    amzDate: date.date,
    payloadHash,
    service: policy.service,
    region: policy.region,
    uriRule: policy.uriRule,
  });
  checkHmacSignature(auth.accessKeyId, auth.signature, r);
  const who: Identity = { auth: 'v4-header', accessKeyId: auth.accessKeyId, credential: cred, signedHeaders: auth.signedHeaders, payloadHash };
  return verified(who, date, r, policy);
}

/**
 * Verifies a presigned URL (`X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=…`).
 * The canonical query is every parameter except X-Amz-Signature; smithy's
 * presign() rebuilds the auth parameters from the values checked here.
 */
export async function verifySigV4Query(req: SignableRequest, policy: SigV4Policy): Promise<VerifiedSigV4> {
  const params = queryParamsOf(req);
  const param = readPresignedParams(params, SIGV4);
  const scope = presignedCredential(param('X-Amz-Credential'), SIGV4);
  checkCredentialScope(scope, policy, malformedCredentialParam);
  const date = presignedRequestDate(param('X-Amz-Date'), scope.date);
  const expires = presignedExpires(param('X-Amz-Expires'));
  checkPresignedWindow(date.date, expires, policy, true);
  const cred = lookupCredential(policy.lookup, scope.accessKeyId);
  const signedHeaders = presignedSignedHeaders(param('X-Amz-SignedHeaders'));
  checkSignedHeaders(req, signedHeaders, ['host']);
  const payloadHash = payloadHashToSign(
    headerJoined(req.headers, 'x-amz-content-sha256'),
    policy.defaultPayloadHash,
    PRESIGNED_STREAMING,
  );
  const queryToken = checkPresignedSessionToken(cred, params, req);

  // smithy's presign() adds the auth parameters (and the token) back itself.
  const opParams = params.filter((p) => !SIGV4.presignParams.includes(p.key) && p.key !== 'X-Amz-Security-Token');
  const provided = param('X-Amz-Signature');
  const r = await recomputeSigV4({
    mode: 'query',
    req,
    params: opParams,
    signedHeaders,
    cred,
    queryToken,
    amzDate: date.date,
    expires,
    payloadHash,
    service: policy.service,
    region: policy.region,
    uriRule: policy.uriRule,
  });
  checkHmacSignature(scope.accessKeyId, provided, r);
  const who: Identity = { auth: 'v4-query', accessKeyId: scope.accessKeyId, credential: cred, signedHeaders, payloadHash };
  return verified(who, date, r, policy);
}
