import type { IncomingHttpHeaders } from 'node:http';
import type { ErrorCode } from '../errors.js';

export interface LengthRefusal {
  readonly code: ErrorCode;
  readonly detail: string;
}

/**
 * A refusal for how a write's body is framed, before anything reaches the store; undefined when it
 * may go on. A PUT with neither Content-Length nor Transfer-Encoding has an empty body (RFC 9112
 * §6.3): forwarded, it would store an empty object over the key, where S3 itself answers 411
 * MissingContentLength (S3 API Reference, "Error responses").
 */
export function lengthRefusal(method: string, headers: IncomingHttpHeaders): LengthRefusal | undefined {
  if (method === 'PUT' && headers['content-length'] === undefined && headers['transfer-encoding'] === undefined) {
    return { code: 'OS_ERR_LENGTH_REQUIRED', detail: 'a PUT needs Content-Length (or Transfer-Encoding: chunked): without either its body is empty' };
  }
  return undefined;
}
