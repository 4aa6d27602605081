/** Which headers a SigV4 / SigV4A signature must cover, and their values as signed. */
import { headerJoined, headerNames } from './headers.js';
import { accessDenied } from './s3-errors.js';
import type { SignableRequest } from './types.js';

/**
 * `required` must be signed, and so must every x-amz-* header present (S3 refuses the request
 * otherwise, naming them in HeadersNotSigned).
 */
export function checkSignedHeaders(req: SignableRequest, signed: readonly string[], required: readonly string[]): void {
  const missing = required.filter((n) => !signed.includes(n));
  const unsigned = headerNames(req.headers).filter((n) => n.startsWith('x-amz-') && !signed.includes(n));
  if (missing.length > 0 || unsigned.length > 0) {
    throw accessDenied('There were headers present in the request which were not signed', [
      ['HeadersNotSigned', [...new Set([...missing, ...unsigned])].join(', ')],
    ]);
  }
}

/** The signed headers' values as received (repeats joined with ","); absent ones are left out. */
export function signedHeaderValues(req: SignableRequest, signed: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of signed) {
    const v = headerJoined(req.headers, name);
    if (v !== undefined) headers[name] = v;
  }
  return headers;
}
