/**
 * Which authentication a request attempts, and the per-service policy that
 * decides how it is verified.
 *
 * Detection follows S3: an Authorization header starting "AWS4-HMAC-SHA256 "
 * is SigV4, "AWS4-ECDSA-P256-SHA256 " SigV4A, "AWS " SigV2; X-Amz-Algorithm /
 * X-Amz-Credential / X-Amz-Signature in the query is a SigV4 presigned URL (SigV4A
 * when X-Amz-Algorithm says AWS4-ECDSA-P256-SHA256); AWSAccessKeyId / Signature a SigV2
 * one; none of them is anonymous. More than one mechanism → 400 InvalidArgument
 * (S3: "Only one auth mechanism allowed").
 */
import { headerValues } from './headers.js';
import { queryGet, queryHas, type QueryParam } from './query.js';
import { S3Error, accessDenied, invalidArgument } from './s3-errors.js';
import { EMPTY_SHA256 } from './sha256.js';
import type { AuthKind, CredentialLookup, SignableRequest } from './types.js';
import { verifySigV2Header, verifySigV2Query, type VerifiedSigV2 } from './verify-sigv2.js';
import { UNSIGNED_PAYLOAD } from './payload-hash.js';
import { ALGORITHM, ALGORITHM_V4A } from './v4-variants.js';
import { verifySigV4Header, verifySigV4Query, type VerifiedSigV4 } from './verify-sigv4.js';
import { verifySigV4aHeader, verifySigV4aQuery, type VerifiedSigV4a } from './verify-sigv4a.js';

export interface Detected {
  kind: Exclude<AuthKind, 'malformed'>;
  /** Best-effort access key id, for the request log, before verification. */
  accessKeyId?: string;
}

const V4_QUERY = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature'];
const V2_QUERY = ['AWSAccessKeyId', 'Signature'];

/** Throws S3Error (InvalidArgument) when the mechanism is unsupported or ambiguous. */
export function detectAuth(req: SignableRequest, params: readonly QueryParam[]): Detected {
  const authz = headerValues(req.headers, 'authorization');
  const v4q = V4_QUERY.some((n) => queryHas(params, n));
  const v2q = V2_QUERY.some((n) => queryHas(params, n));
  const mechanisms = (authz.length > 0 ? 1 : 0) + (v4q ? 1 : 0) + (v2q ? 1 : 0);
  if (mechanisms > 1) {
    throw invalidArgument(
      'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
      'Authorization',
      authz[0] ?? '',
    );
  }
  if (authz.length > 0) {
    const v = authz[0] as string;
    if (v.startsWith(`${ALGORITHM} `)) {
      return { kind: 'v4-header', ...opt(/Credential=([^/,\s]+)\//.exec(v)?.[1]) };
    }
    if (v.startsWith(`${ALGORITHM_V4A} `)) {
      return { kind: 'v4a-header', ...opt(/Credential=([^/,\s]+)\//.exec(v)?.[1]) };
    }
    if (v.startsWith('AWS ')) return { kind: 'v2-header', ...opt(/^AWS ([^:\s]+):/.exec(v)?.[1]) };
    throw invalidArgument('Unsupported Authorization Type', 'Authorization', v);
  }
  if (v4q) return { kind: queryGet(params, 'X-Amz-Algorithm') === ALGORITHM_V4A ? 'v4a-query' : 'v4-query', ...opt(queryGet(params, 'X-Amz-Credential')?.split('/')[0]) };
  if (v2q) return { kind: 'v2-query', ...opt(queryGet(params, 'AWSAccessKeyId')) };
  return { kind: 'anonymous' };
}

const opt = (akid: string | undefined): { accessKeyId?: string } => (akid ? { accessKeyId: akid } : {});

export interface AuthPolicy {
  /** `s3express`: a directory bucket (S3 Express One Zone), S3's rules with that signing service. */
  service: 's3' | 's3express' | 'mediastore';
  region: string;
  lookup: CredentialLookup;
  now: number;
  maxSkewMs: number;
  /** Bucket named by the Host header (virtual-hosted), for the SigV2 CanonicalizedResource. */
  hostBucket: string | null;
  /**
   * SHA-256 of the body, when it had to be read before verification (generic
   * SigV4 without x-amz-content-sha256 signs the body hash itself).
   */
  bodySha256?: string | undefined;
}

export type Authenticated = { kind: 'v4'; v: VerifiedSigV4 } | { kind: 'v4a'; v: VerifiedSigV4a } | { kind: 'v2'; v: VerifiedSigV2 };

/** Verifies whatever the request attempted; anonymous requests are refused (403 AccessDenied). */
export async function authenticate(req: SignableRequest, detected: Detected, policy: AuthPolicy): Promise<Authenticated> {
  const v4 = {
    region: policy.region,
    service: policy.service,
    lookup: policy.lookup,
    now: policy.now,
    maxSkewMs: policy.maxSkewMs,
  };
  switch (detected.kind) {
    case 'anonymous':
      throw accessDenied();
    case 'v4-header':
      return {
        kind: 'v4',
        v: await verifySigV4Header(req, {
          ...v4,
          uriRule: policy.service === 'mediastore' ? 'generic' : 's3',
          requireContentSha256: policy.service !== 'mediastore',
          defaultPayloadHash: policy.bodySha256 ?? EMPTY_SHA256,
        }),
      };
    case 'v4-query':
      return {
        kind: 'v4',
        v: await verifySigV4Query(req, {
          ...v4,
          uriRule: policy.service === 'mediastore' ? 'generic' : 's3',
          requireContentSha256: false,
          // S3 presigned URLs sign UNSIGNED-PAYLOAD. Other services' sign the payload's hash, the
          // empty one for a GET: botocore's SigV4QueryAuth keeps SigV4Auth.payload(), aws4 hashes
          // the body for every service but S3.
          defaultPayloadHash: policy.service === 'mediastore' ? (policy.bodySha256 ?? EMPTY_SHA256) : UNSIGNED_PAYLOAD,
        }),
      };
    case 'v4a-header':
    case 'v4a-query': {
      if (policy.service !== 's3') {
        throw new S3Error(400, 'InvalidRequest', 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.');
      }
      const v4a = { ...v4, uriRule: 's3' as const };
      return {
        kind: 'v4a',
        v:
          detected.kind === 'v4a-header'
            ? await verifySigV4aHeader(req, { ...v4a, requireContentSha256: true, defaultPayloadHash: EMPTY_SHA256 })
            : await verifySigV4aQuery(req, { ...v4a, requireContentSha256: false, defaultPayloadHash: UNSIGNED_PAYLOAD }),
      };
    }
    case 'v2-header':
    case 'v2-query': {
      if (policy.service !== 's3') {
        throw new S3Error(400, 'InvalidRequest', 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.');
      }
      const v2 = { lookup: policy.lookup, now: policy.now, maxSkewMs: policy.maxSkewMs, bucket: policy.hostBucket };
      return { kind: 'v2', v: detected.kind === 'v2-header' ? verifySigV2Header(req, v2) : verifySigV2Query(req, v2) };
    }
  }
}

/** Error codes that mean "could not even parse the credentials" (logged as auth 'malformed'). */
export const MALFORMED_CODES = new Set(['AuthorizationHeaderMalformed', 'AuthorizationQueryParametersError', 'InvalidArgument']);

