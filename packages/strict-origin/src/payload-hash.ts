/**
 * The payload hash a SigV4 / SigV4A request signs: its x-amz-content-sha256 when sent (one of the
 * values S3 understands), the policy's default otherwise.
 */
import { headerJoined } from './headers.js';
import { S3Error, invalidArgument, notImplemented } from './s3-errors.js';
import type { SignableRequest } from './types.js';

export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
export const STREAMING_PAYLOAD = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
/** SigV4A's aws-chunked uploads, each chunk signed with ECDSA (aws-c-auth's signing_config.h). */
export const STREAMING_ECDSA_PAYLOAD = 'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD';

export type StreamingKind = 'streaming' | 'streaming-ecdsa';

/** The x-amz-content-sha256 values S3 understands. */
export function classifyContentSha256(value: string): 'hex' | 'unsigned' | StreamingKind {
  if (/^[0-9a-fA-F]{64}$/.test(value)) return 'hex';
  if (value === UNSIGNED_PAYLOAD) return 'unsigned';
  if (value === STREAMING_PAYLOAD) return 'streaming';
  if (value === STREAMING_ECDSA_PAYLOAD) return 'streaming-ecdsa';
  if (value.startsWith('STREAMING-')) {
    // Trailer variants exist on S3 but this origin does not implement them.
    throw notImplemented(`x-amz-content-sha256 "${value}" is not supported by this origin.`);
  }
  throw invalidArgument(
    'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, or a valid sha256 value.',
    'x-amz-content-sha256',
    value,
  );
}

/** Why a streaming payload cannot go with this signature: the messages to refuse each kind with. */
export type StreamingRefusals = Partial<Record<StreamingKind, string>>;

/** A presigned URL signs no body: neither chunk chain applies. */
export const PRESIGNED_STREAMING: StreamingRefusals = {
  streaming: 'Presigned requests cannot use STREAMING-AWS4-HMAC-SHA256-PAYLOAD.',
  'streaming-ecdsa': 'Presigned requests cannot use STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD.',
};

/**
 * `contentSha` (validated) or `defaultHash` when absent. `refusals`: the streaming kinds that
 * cannot apply here (presigned URLs; the other algorithm's chunk chain), each with its message.
 */
export function payloadHashToSign(contentSha: string | undefined, defaultHash: string, refusals: StreamingRefusals = {}): string {
  if (contentSha === undefined) return defaultHash;
  const kind = classifyContentSha256(contentSha);
  const refusal = kind === 'streaming' || kind === 'streaming-ecdsa' ? refusals[kind] : undefined;
  if (refusal !== undefined) throw invalidArgument(refusal, 'x-amz-content-sha256', contentSha);
  return contentSha;
}

/** Header auth: as payloadHashToSign, and S3 requires the header to be sent at all. */
export function headerPayloadHash(
  req: SignableRequest,
  policy: { requireContentSha256: boolean; defaultPayloadHash: string },
  refusals: StreamingRefusals = {},
): string {
  const contentSha = headerJoined(req.headers, 'x-amz-content-sha256');
  if (contentSha === undefined && policy.requireContentSha256) {
    throw new S3Error(400, 'InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
  }
  return payloadHashToSign(contentSha, policy.defaultPayloadHash, refusals);
}
