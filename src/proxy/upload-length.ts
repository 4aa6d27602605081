import type { IncomingHttpHeaders } from 'node:http';
import type { ErrorCode } from '../errors.js';

export interface LengthRefusal {
  readonly code: ErrorCode;
  readonly detail: string;
}

/**
 * A refusal for how a write's body is framed, before anything reaches the store; undefined when it
 * may go on. A transfer coding other than a single `chunked` is not implemented (501). A PUT with
 * neither Content-Length nor Transfer-Encoding has an empty body (RFC 9112 §6.3): forwarded, it
 * would store an empty object over the key, where S3 itself answers 411 MissingContentLength (S3
 * API Reference, "Error responses").
 */
export function lengthRefusal(method: string, headers: IncomingHttpHeaders): LengthRefusal | undefined {
  // Node takes the chunked framing off and leaves any other coding on (`gzip, chunked`): forwarded,
  // the still-coded bytes would be stored. RFC 9112 §6.1: a coding the server does not know is 501.
  const te = headers['transfer-encoding'];
  if (te !== undefined && !onlyChunked(te)) {
    return { code: 'OS_ERR_TRANSFER_CODING', detail: `Transfer-Encoding ${JSON.stringify(te.slice(0, 64))}: the proxy takes only chunked; send the body as it is to be stored (a Content-Encoding is stored with it)` };
  }
  if (method === 'PUT' && headers['content-length'] === undefined && headers['transfer-encoding'] === undefined) {
    return { code: 'OS_ERR_LENGTH_REQUIRED', detail: 'a PUT needs Content-Length (or Transfer-Encoding: chunked): without either its body is empty' };
  }
  return undefined;
}

/** `chunked`, once and alone, however spelled (codings are case-insensitive, RFC 9112 §7). */
const onlyChunked = (te: string): boolean => {
  const codings = te.split(',').map((c) => c.trim().toLowerCase()).filter((c) => c !== '');
  return codings.length === 1 && codings[0] === 'chunked';
};

/**
 * The viewer's Content-Length without leading zeros: undici sends `5` for `05`, and the signature
 * must cover the value sent (SigV4 signs content-length as it is); `00` is an empty body. Node has
 * already refused anything but digits (RFC 9110 §8.6). Not Number(): exact past 2^53.
 */
export const declaredLength = (value: string | undefined): string | undefined => value?.replace(/^0+(?=\d)/, '');
