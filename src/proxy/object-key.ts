import type { ErrorCode } from '../errors.js';

/** S3's limit on the UTF-8 length of a key (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html). */
export const MAX_KEY_BYTES = 1024;

export type KeyResult = { readonly key: string } | { readonly error: ErrorCode; readonly detail: string };

const BAD_PERCENT = /%(?![0-9A-Fa-f]{2})/;
// C0 controls, DEL and the C1 range: none belongs in a key, and NUL or CR/LF invite header and log injection.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Turns the raw path after a block prefix into the object key: decode once as
 * UTF-8, then refuse what must never reach a bucket. (Raw non-ASCII bytes never get here: the
 * request-target is ASCII by RFC 9112 §3.2 and Node's parser refuses anything else.)
 */
export function decodeObjectKey(rest: string, keyPrefix: string): KeyResult {
  if (rest === '') return { error: 'OS_ERR_KEY_EMPTY', detail: 'no object key after the block prefix' };
  if (BAD_PERCENT.test(rest)) return { error: 'OS_ERR_KEY_BAD_ENCODING', detail: "a '%' is not followed by two hex digits" };
  let decoded: string;
  try {
    // Throws on invalid UTF-8 sequences, overlong forms and encoded surrogates.
    decoded = decodeURIComponent(rest);
  } catch {
    return { error: 'OS_ERR_KEY_BAD_UTF8', detail: 'the percent-encoded bytes are not valid UTF-8' };
  }
  if (CONTROL.test(decoded)) return { error: 'OS_ERR_KEY_CONTROL_CHAR', detail: 'the key contains a NUL or control character' };
  for (const segment of decoded.split('/')) {
    if (segment === '.' || segment === '..') return { error: 'OS_ERR_KEY_DOT_SEGMENT', detail: `the key contains a '${segment}' segment` };
  }
  const key = keyPrefix + decoded;
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) {
    return { error: 'OS_ERR_KEY_TOO_LONG', detail: `the key is ${Buffer.byteLength(key, 'utf8')} bytes; S3 allows ${MAX_KEY_BYTES}` };
  }
  return { key };
}
