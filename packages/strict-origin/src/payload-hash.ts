/** The x-amz-content-sha256 values a SigV4 / SigV4A request may sign as its payload hash. */
import { invalidArgument, notImplemented } from './s3-errors.js';

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
