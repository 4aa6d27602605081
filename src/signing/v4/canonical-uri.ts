import { percentDecode, uriEncodePath, isCanonicalPath } from '../uri-encode.js';
import type { UriRule } from '../types.js';

/**
 * CanonicalURI of a SigV4 canonical request.
 *
 * S3 (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html): the object
 * path URI-encoded exactly once and never normalised — `a//b`, `./` and a trailing `/` are part of
 * the key. The wire path is decoded and re-encoded, so a path that is already canonical (what the
 * proxy sends) comes back unchanged, and a raw one (the test suite's `/example space/`) gets encoded.
 */
export function canonicalUriS3(path: string): string {
  if (isCanonicalPath(path)) return path;
  return uriEncodePath(percentDecode(path) ?? path);
}

/**
 * Every other service (MediaStore's data plane, the generic SigV4 suite): remove `.`/`..` and empty
 * segments (RFC 3986 §5.2.4 dot-segment removal, plus `//` collapsed as AWS's suite requires), then
 * URI-encode the path *as sent* again — so `%20` on the wire becomes `%2520` in the canonical URI.
 */
export function canonicalUriGeneric(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const leading = path.startsWith('/') ? '/' : '';
  const trailing = segments.length > 0 && path.endsWith('/') ? '/' : '';
  return uriEncodePath(leading + segments.join('/') + trailing);
}

export function canonicalUri(path: string, rule: UriRule): string {
  return rule === 's3' ? canonicalUriS3(path) : canonicalUriGeneric(path);
}
