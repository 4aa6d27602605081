/**
 * The payload hash a SigV4 / SigV4A request signs: its x-amz-content-sha256 when sent (one of the
 * values S3 understands), the policy's default otherwise.
 */
import { headerJoined } from './headers.js';
import { S3Error, invalidArgument, notImplemented } from './s3-errors.js';
import type { SignableRequest } from './types.js';

export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
export const STREAMING_PAYLOAD = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';

/** The x-amz-content-sha256 values S3 understands. */
export function classifyContentSha256(value: string): 'hex' | 'unsigned' | 'streaming' {
  if (/^[0-9a-fA-F]{64}$/.test(value)) return 'hex';
  if (value === UNSIGNED_PAYLOAD) return 'unsigned';
  if (value === STREAMING_PAYLOAD) return 'streaming';
  if (value.startsWith('STREAMING-')) {
    // Trailer / ECDSA variants exist on S3 but this origin does not implement them.
    throw notImplemented(`x-amz-content-sha256 "${value}" is not supported by this origin.`);
  }
  throw invalidArgument(
    'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, or a valid sha256 value.',
    'x-amz-content-sha256',
    value,
  );
}

/**
 * `contentSha` (validated) or `defaultHash` when absent. `streamingRefusal`: the message to refuse
 * STREAMING-AWS4-HMAC-SHA256-PAYLOAD with where it cannot apply (presigned URLs, SigV4A).
 */
export function payloadHashToSign(contentSha: string | undefined, defaultHash: string, streamingRefusal?: string): string {
  if (contentSha === undefined) return defaultHash;
  if (classifyContentSha256(contentSha) === 'streaming' && streamingRefusal !== undefined) {
    throw invalidArgument(streamingRefusal, 'x-amz-content-sha256', contentSha);
  }
  return contentSha;
}

/** Header auth: as payloadHashToSign, and S3 requires the header to be sent at all. */
export function headerPayloadHash(
  req: SignableRequest,
  policy: { requireContentSha256: boolean; defaultPayloadHash: string },
  streamingRefusal?: string,
): string {
  const contentSha = headerJoined(req.headers, 'x-amz-content-sha256');
  if (contentSha === undefined && policy.requireContentSha256) {
    throw new S3Error(400, 'InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
  }
  return payloadHashToSign(contentSha, policy.defaultPayloadHash, streamingRefusal);
}
