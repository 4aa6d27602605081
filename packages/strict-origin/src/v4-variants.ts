/**
 * What SigV4 and SigV4A differ in on the wire: the algorithm name, the credential scope (SigV4A's
 * has no region: the region set is a signed header or parameter instead) and the presigned URL's
 * parameters. Everything else they share.
 */

export const ALGORITHM = 'AWS4-HMAC-SHA256';
export const ALGORITHM_V4A = 'AWS4-ECDSA-P256-SHA256';

/** `AKID/YYYYMMDD/REGION/SERVICE/aws4_request`. */
export interface V4Scope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  terminal: string;
}

/** `AKID/YYYYMMDD/SERVICE/aws4_request`. */
export type V4aScope = Omit<V4Scope, 'region'>;

export interface V4Variant<S> {
  algorithm: string;
  /** The Credential's parts, or undefined when it has the wrong shape. */
  splitCredential(value: string): S | undefined;
  /** What the malformed-credential error says a Credential looks like. */
  credentialShape: string;
  /** Every presigned auth parameter (required, none may repeat), X-Amz-Security-Token aside. */
  presignParams: readonly string[];
  presignMissing: string;
  presignWrongAlgorithm: string;
}

/** The non-empty `/`-separated parts of a credential, exactly `count` of them. */
function credentialParts(value: string, count: number): string[] | undefined {
  const parts = value.split('/');
  return parts.length !== count || parts.some((p) => p === '') ? undefined : parts;
}

export const SIGV4: V4Variant<V4Scope> = {
  algorithm: ALGORITHM,
  splitCredential(value) {
    const parts = credentialParts(value, 5);
    if (!parts) return undefined;
    const [accessKeyId, date, region, service, terminal] = parts as [string, string, string, string, string];
    return { accessKeyId, date, region, service, terminal };
  },
  credentialShape: 'the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".',
  presignParams: ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature'],
  presignMissing:
    'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
  presignWrongAlgorithm: `X-Amz-Algorithm only supports "${ALGORITHM}"`,
};

export const SIGV4A: V4Variant<V4aScope> = {
  algorithm: ALGORITHM_V4A,
  splitCredential(value) {
    const parts = credentialParts(value, 4);
    if (!parts) return undefined;
    const [accessKeyId, date, service, terminal] = parts as [string, string, string, string];
    return { accessKeyId, date, service, terminal };
  },
  credentialShape: 'the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/SERVICE/aws4_request".',
  presignParams: ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Region-Set', 'X-Amz-Signature'],
  presignMissing:
    'Query-string authentication with AWS4-ECDSA-P256-SHA256 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, X-Amz-Region-Set and X-Amz-Expires parameters.',
  presignWrongAlgorithm: `X-Amz-Algorithm must be "${ALGORITHM_V4A}" here`,
};
