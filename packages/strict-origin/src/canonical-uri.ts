/**
 * Percent-decoding and the two SigV4 canonical-URI rules.
 *
 * S3 (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html,
 * "CanonicalURI"): the object key is URI-encoded once — every byte except the
 * unreserved set `A-Z a-z 0-9 - . _ ~` becomes upper-case `%XX`, and `/` is kept.
 * S3 first decodes the request path to the key and then re-encodes it, so the
 * canonical URI never depends on how the client spelled the path on the wire,
 * but a client that *signed* a non-canonical spelling (raw `$`, lower-case
 * `%2f`, raw `(`) computed a different canonical request and is refused.
 * There is no normalisation of `//`, `.` or `..` (S3 keys may contain them).
 *
 * Generic services (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html)
 * normalise the path and URI-encode the path *as sent* a second time; that rule
 * is left to smithy (`uriEscapePath: true`), see canonical-request.ts.
 */

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;
const HEX = '0123456789ABCDEF';

/** SigV4 UriEncode() of a string's UTF-8 bytes; `/` is kept when `keepSlash`. */
export function uriEncode(s: string, keepSlash: boolean): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const ch = String.fromCharCode(byte);
    if (byte < 0x80 && (UNRESERVED.test(ch) || (keepSlash && ch === '/'))) out += ch;
    else out += '%' + HEX[byte >> 4] + HEX[byte & 15];
  }
  return out;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Percent-decodes `s` once into bytes and then decodes those as UTF-8.
 * Returns undefined for a malformed escape (`%`, `%4`, `%zz`) or bytes that are
 * not valid UTF-8 — S3 answers 400 InvalidURI for both.
 * `+` is NOT special here (in a path it is a literal plus).
 */
export function percentDecode(s: string): string | undefined {
  if (!s.includes('%')) return s;
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25 /* % */) {
      const hex = s.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return undefined;
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (c < 0x80) {
      bytes.push(c);
    } else {
      // A raw non-ASCII character (only possible in a test vector's path, never
      // on the wire: Node refuses such request lines): keep its UTF-8 bytes.
      const cp = s.codePointAt(i) ?? c;
      bytes.push(...Buffer.from(String.fromCodePoint(cp), 'utf8'));
      if (cp > 0xffff) i++;
    }
  }
  try {
    return utf8.decode(Uint8Array.from(bytes));
  } catch {
    return undefined;
  }
}

/**
 * The S3 canonical URI of a wire path: decode once, encode once, `/` kept.
 * Undefined when the path cannot be decoded (→ InvalidURI).
 */
export function s3CanonicalUri(wirePath: string): string | undefined {
  const decoded = percentDecode(wirePath);
  if (decoded === undefined) return undefined;
  const encoded = uriEncode(decoded, true);
  return encoded.startsWith('/') ? encoded : '/' + encoded;
}
