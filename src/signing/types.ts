/** Credentials a signer uses. Exactly one of `secretAccessKey` or (`signingKey` + `keyScope`) is set. */
export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey?: string;
  readonly sessionToken?: string;
  /**
   * An S3 Express One Zone session's token (CreateSession): sent, and signed, as
   * `x-amz-s3session-token` (header mode) or `X-Amz-S3session-Token` (query mode), never as
   * `x-amz-security-token`.
   */
  readonly s3SessionToken?: string;
  /** A pre-derived SigV4 signing key (nginx aws-auth style): HMAC chain result for `keyScope`. */
  readonly signingKey?: Buffer;
  /** `yyyymmdd/region/service/aws4_request` the `signingKey` was derived for. */
  readonly keyScope?: string;
  /** When temporary credentials stop working. */
  readonly expiration?: Date;
}

/** A header list as it will go on the wire: names in any case, duplicates allowed, order kept. */
export type HeaderList = ReadonlyArray<readonly [name: string, value: string]>;

/** The parts of an HTTP request a signer reads, in their on-the-wire form. */
export interface WireRequest {
  readonly method: string;
  /** Request path as sent (already percent-encoded for S3; may be raw for the generic suite). */
  readonly path: string;
  /** Query string as sent, without `?`; '' for none. */
  readonly query: string;
  readonly headers: HeaderList;
}

export type UriRule = 's3' | 'generic';
export type PayloadHash = string; // hex SHA-256, 'UNSIGNED-PAYLOAD' or a STREAMING-… value

export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
export const STREAMING_PAYLOAD = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
/** SigV4A's aws-chunked uploads: each chunk signed with ECDSA (src/signing/v4a/chunk-signature.ts). */
export const STREAMING_PAYLOAD_V4A = 'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD';
export const V4_ALGORITHM = 'AWS4-HMAC-SHA256';
/** SigV4A: ECDSA P-256 over SHA-256 with a key derived from the secret (src/signing/v4a/). */
export const V4A_ALGORITHM = 'AWS4-ECDSA-P256-SHA256';
