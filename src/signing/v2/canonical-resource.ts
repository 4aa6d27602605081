import { percentDecode } from '../uri-encode.js';

/**
 * Query parameters that are part of the SigV2 CanonicalizedResource: the sub-resources and the
 * response-header overrides listed in "Constructing the CanonicalizedResource Element"
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/RESTAuthentication.html). Every other
 * parameter (list parameters such as `prefix`, `max-keys`) is not signed in SigV2.
 */
export const V2_SIGNED_SUBRESOURCES: ReadonlySet<string> = new Set([
  'acl', 'cors', 'delete', 'lifecycle', 'location', 'logging', 'notification', 'partNumber', 'policy',
  'requestPayment', 'restore', 'tagging', 'torrent', 'uploadId', 'uploads', 'versionId', 'versioning',
  'versions', 'website',
  'response-cache-control', 'response-content-disposition', 'response-content-encoding',
  'response-content-language', 'response-content-type', 'response-expires',
]);

/**
 * CanonicalizedResource = [`/` + bucket, for virtual-hosted requests] + the path as sent
 * (percent-encoded, which is what makes UTF-8 keys work) + the signed sub-resources sorted by
 * name, values percent-decoded, a valueless one (`?acl`) without `=`.
 */
export function canonicalResource(bucket: string | undefined, path: string, query: string): string {
  let resource = bucket ? `/${bucket}${path}` : path;
  if (query === '') return resource;
  const sub: Array<[string, string | undefined]> = [];
  for (const part of query.split('&')) {
    const eq = part.indexOf('=');
    const key = eq === -1 ? part : part.slice(0, eq);
    if (!V2_SIGNED_SUBRESOURCES.has(key)) continue;
    const raw = eq === -1 ? undefined : part.slice(eq + 1);
    sub.push([key, raw === undefined ? undefined : (percentDecode(raw) ?? raw)]);
  }
  if (sub.length === 0) return resource;
  sub.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  resource += `?${sub.map(([k, v]) => (v === undefined ? k : `${k}=${v}`)).join('&')}`;
  return resource;
}
