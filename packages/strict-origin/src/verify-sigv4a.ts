/**
 * Independent verification of SigV4A (`AWS4-ECDSA-P256-SHA256`), header and presigned query —
 * never with the project's own signer, which this origin exists to judge. The steps are SigV4's
 * (verify-sigv4.ts) with a region set instead of a region in the scope; the canonical request is
 * rebuilt by smithy (recompute-sigv4a.ts) and the signature checked with node:crypto's ECDSA
 * verify against a key derived from the origin's credentials (sigv4a-key.ts).
 */
import { checkCredentialScope, checkPresignedWindow, headerRequestDate, presignedExpires, presignedRequestDate, shortDate } from './check-date-scope.js';
import { checkEcdsaSignature } from './compare-signature.js';
import { checkPresignedSessionToken, checkSessionToken, lookupCredential } from './credentials.js';
import { headerJoined } from './headers.js';
import { presignedCredential, presignedSignedHeaders, readAuthorizationHeader, readPresignedParams } from './parse-authorization.js';
import { PRESIGNED_STREAMING, headerPayloadHash, payloadHashToSign } from './payload-hash.js';
import { queryParamsOf } from './query.js';
import { recomputeSigV4a, sigV4aScope } from './recompute-sigv4a.js';
import { checkPresignedRegionSet, headerRegionSet } from './region-set.js';
import { malformedCredentialParam, malformedHeader } from './sigv4-errors.js';
import { checkSignedHeaders } from './signed-headers.js';
import type { OriginCredential, SignableRequest } from './types.js';
import { SIGV4A } from './v4-variants.js';
import type { SigV4Policy } from './verify-sigv4.js';

/** SigV4's policy; `region` is this origin's region, which the region set must include. */
export type SigV4aPolicy = SigV4Policy;

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

/** SigV4A with the HMAC chunk chain is a contradiction. */
const HMAC_STREAMING = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD cannot be signed with AWS4-ECDSA-P256-SHA256.';

export async function verifySigV4aHeader(req: SignableRequest, policy: SigV4aPolicy): Promise<VerifiedSigV4a> {
  const auth = readAuthorizationHeader(req, SIGV4A);
  checkCredentialScope(auth, policy, malformedHeader);
  const { amzDate } = headerRequestDate(req, auth.date, policy);
  const regionSet = headerRegionSet(req, policy.region);
  const cred = lookupCredential(policy.lookup, auth.accessKeyId);
  checkSignedHeaders(req, auth.signedHeaders, ['host', 'x-amz-date', 'x-amz-region-set']);
  const payloadHash = headerPayloadHash(req, policy, { streaming: HMAC_STREAMING });
  checkSessionToken(cred, headerJoined(req.headers, 'x-amz-security-token'));

  const params = queryParamsOf(req);
  const scope = sigV4aScope(shortDate(amzDate), policy.service);
  const { service, uriRule } = policy;
  const r = await recomputeSigV4a({ req, params, signedHeaders: auth.signedHeaders, amzDate, scope, payloadHash, service, uriRule });
  checkEcdsaSignature(cred, auth.accessKeyId, auth.signature, r);
  return {
    auth: 'v4a-header',
    accessKeyId: auth.accessKeyId,
    credential: cred,
    signature: auth.signature,
    amzDate,
    scope,
    regionSet,
    service,
    signedHeaders: auth.signedHeaders,
    payloadHash,
    ...r,
  };
}

export async function verifySigV4aQuery(req: SignableRequest, policy: SigV4aPolicy): Promise<VerifiedSigV4a> {
  const params = queryParamsOf(req);
  const param = readPresignedParams(params, SIGV4A);
  const credential = presignedCredential(param('X-Amz-Credential'), SIGV4A);
  checkCredentialScope(credential, policy, malformedCredentialParam);
  const date = presignedRequestDate(param('X-Amz-Date'), credential.date);
  const regionSet = param('X-Amz-Region-Set');
  checkPresignedRegionSet(regionSet, policy.region);
  const expires = presignedExpires(param('X-Amz-Expires'));
  checkPresignedWindow(date.date, expires, policy, false);
  const cred = lookupCredential(policy.lookup, credential.accessKeyId);
  const signedHeaders = presignedSignedHeaders(param('X-Amz-SignedHeaders'));
  checkSignedHeaders(req, signedHeaders, ['host']);
  const payloadHash = payloadHashToSign(headerJoined(req.headers, 'x-amz-content-sha256'), policy.defaultPayloadHash, PRESIGNED_STREAMING);
  checkPresignedSessionToken(cred, params, req);

  // The canonical query is built from the request (no presign() to re-add the auth parameters): all but the signature.
  const provided = param('X-Amz-Signature');
  const signedParams = params.filter((p) => p.key !== 'X-Amz-Signature');
  const scope = sigV4aScope(shortDate(date.amzDate), policy.service);
  const { service, uriRule } = policy;
  const r = await recomputeSigV4a({ req, params: signedParams, signedHeaders, amzDate: date.amzDate, scope, payloadHash, service, uriRule });
  checkEcdsaSignature(cred, credential.accessKeyId, provided, r);
  return {
    auth: 'v4a-query',
    accessKeyId: credential.accessKeyId,
    credential: cred,
    signature: provided,
    amzDate: date.amzDate,
    scope,
    regionSet,
    service,
    signedHeaders,
    payloadHash,
    ...r,
  };
}
