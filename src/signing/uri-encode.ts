/**
 * RFC 3986 encoding as AWS signing defines it ("UriEncode" in the SigV4 docs,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html): every byte of the
 * UTF-8 form except the unreserved set `A-Z a-z 0-9 - . _ ~` becomes `%XX` with upper-case hex.
 * `encodeURIComponent` already produces upper-case UTF-8 escapes; it only leaves `! ' ( ) *` alone,
 * which RFC 3986 §2.2 calls sub-delims and AWS requires encoded.
 */
const SUB_DELIMS = /[!'()*]/g;
const escapeSubDelim = (c: string): string => `%${c.charCodeAt(0).toString(16).toUpperCase()}`;
/** Characters that never need encoding, plus `/` for paths: a string made only of these is unchanged. */
const PLAIN_PATH = /^[A-Za-z0-9\-._~/]*$/;
const PLAIN_COMPONENT = /^[A-Za-z0-9\-._~]*$/;

/** Encodes a query key or value, or a single path segment: `/` becomes `%2F`. */
export function uriEncode(value: string): string {
  if (PLAIN_COMPONENT.test(value)) return value;
  return encodeURIComponent(value).replace(SUB_DELIMS, escapeSubDelim);
}

/** Encodes an object key or path: like {@link uriEncode} but `/` is kept as the separator. */
export function uriEncodePath(value: string): string {
  if (PLAIN_PATH.test(value)) return value;
  return encodeURIComponent(value).replace(SUB_DELIMS, escapeSubDelim).replace(/%2F/g, '/');
}

/** True when `value` is already in the form {@link uriEncodePath} produces. */
const CANONICAL_PATH = /^(?:[A-Za-z0-9\-._~/]|%[0-9A-F]{2})*$/;
export function isCanonicalPath(value: string): boolean {
  return CANONICAL_PATH.test(value);
}

/**
 * Percent-decodes once, strictly: `%` must start a two-digit hex escape and the bytes must be valid
 * UTF-8 (decodeURIComponent enforces both, including overlong forms and encoded surrogates). `+` is a
 * literal plus. Returns undefined on invalid input instead of throwing.
 */
export function percentDecode(value: string): string | undefined {
  if (value.indexOf('%') === -1) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}
