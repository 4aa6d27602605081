/**
 * Conditional requests, evaluated in the order of RFC 7232 §6, which is also
 * how S3 documents the combinations
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html,
 * "If both of the If-Match and If-Unmodified-Since headers are present …"):
 *
 *  1. If-Match present: false → 412 (If-Unmodified-Since is then ignored).
 *  2. else If-Unmodified-Since (valid date): modified after it → 412.
 *  3. If-None-Match present: true (an ETag matches) → 304 for GET/HEAD, 412 otherwise
 *     (If-Modified-Since is then ignored).
 *  4. else If-Modified-Since (valid date, GET/HEAD only): not modified since → 304.
 *
 * Dates have one-second resolution (Last-Modified is an HTTP-date), so the
 * object's time is truncated to the second before comparing.
 */
import { parseHttpDate } from './dates.js';

export type ConditionalResult = { kind: 'proceed' } | { kind: 'not-modified' } | { kind: 'precondition-failed'; condition: string };

export interface ConditionalHeaders {
  ifMatch?: string | undefined;
  ifNoneMatch?: string | undefined;
  ifModifiedSince?: string | undefined;
  ifUnmodifiedSince?: string | undefined;
}

/** Splits an entity-tag list ("a", W/"b", *) into opaque tags without W/ or quotes. */
function tags(list: string): string[] {
  return list
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '')
    .map((t) => t.replace(/^W\//, '').replace(/^"(.*)"$/, '$1'));
}

/** `etag` is the stored ETag with its quotes, e.g. `"9b2cf535f27731c974343645a3985328"`. */
export function evaluateConditionals(method: string, h: ConditionalHeaders, etag: string, lastModifiedMs: number): ConditionalResult {
  const opaque = etag.replace(/^"(.*)"$/, '$1');
  const lastModified = Math.floor(lastModifiedMs / 1000) * 1000;
  const readOnly = method === 'GET' || method === 'HEAD';

  if (h.ifMatch !== undefined) {
    // Strong comparison (RFC 7232 §3.1): a weak tag never matches.
    const list = h.ifMatch.split(',').map((t) => t.trim());
    const ok = list.includes('*') || list.some((t) => !t.startsWith('W/') && t.replace(/^"(.*)"$/, '$1') === opaque);
    if (!ok) return { kind: 'precondition-failed', condition: 'If-Match' };
  } else if (h.ifUnmodifiedSince !== undefined) {
    const d = parseHttpDate(h.ifUnmodifiedSince);
    if (d !== undefined && lastModified > d) return { kind: 'precondition-failed', condition: 'If-Unmodified-Since' };
  }

  if (h.ifNoneMatch !== undefined) {
    // Weak comparison (RFC 7232 §3.2).
    const list = tags(h.ifNoneMatch);
    const matches = h.ifNoneMatch.trim() === '*' || list.includes(opaque);
    if (matches) return readOnly ? { kind: 'not-modified' } : { kind: 'precondition-failed', condition: 'If-None-Match' };
  } else if (h.ifModifiedSince !== undefined && readOnly) {
    const d = parseHttpDate(h.ifModifiedSince);
    if (d !== undefined && lastModified <= d) return { kind: 'not-modified' };
  }
  return { kind: 'proceed' };
}
