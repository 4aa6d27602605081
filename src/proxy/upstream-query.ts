import { uriEncode } from '../signing/uri-encode.js';

/**
 * Query parameters S3 understands on an object request (DESIGN step 4): sub-resources and the
 * response header overrides. Everything else a viewer sends — cache busters, a CDN's signed-URL
 * parameters, someone else's X-Amz-Signature — is dropped, so it can neither change what the
 * upstream does nor make the signature mismatch.
 */
export const FORWARDED_QUERY_PARAMS: ReadonlySet<string> = new Set([
  'versionId',
  'partNumber',
  'uploadId',
  'uploads',
  'response-content-type',
  'response-content-language',
  'response-expires',
  'response-cache-control',
  'response-content-disposition',
  'response-content-encoding',
]);

/** MediaStore ListItems (`GET /?Path=…`) paging parameters, for folder listings. */
export const MEDIASTORE_LIST_PARAMS: ReadonlySet<string> = new Set(['MaxResults', 'NextToken']);

export type QueryResult = { readonly query: string } | { readonly error: string };

/**
 * Viewer query → upstream query in canonical form (each key and value encoded with the SigV4
 * rules, sorted), so the bytes sent are the bytes signed. Viewer values are read as
 * application/x-www-form-urlencoded (`+` is a space), which is how browsers and CDNs write them; a
 * literal plus arrives as `%2B` and leaves as `%2B`.
 */
export function upstreamQuery(rawQuery: string, allowed: ReadonlySet<string> = FORWARDED_QUERY_PARAMS): QueryResult {
  if (rawQuery === '') return { query: '' };
  const kept: Array<[string, string | undefined]> = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawKey = eq === -1 ? part : part.slice(0, eq);
    // Cheap check first: only listed names can be kept, and they need no decoding.
    if (!allowed.has(rawKey)) continue;
    if (eq === -1) {
      kept.push([rawKey, undefined]);
      continue;
    }
    try {
      kept.push([rawKey, decodeURIComponent(part.slice(eq + 1).replace(/\+/g, ' '))]);
    } catch {
      return { error: `query parameter ${rawKey} has invalid percent-encoding` };
    }
  }
  if (kept.length === 0) return { query: '' };
  const encoded = kept.map(([k, v]) => (v === undefined ? k : `${k}=${uriEncode(v)}`));
  encoded.sort();
  return { query: encoded.join('&') };
}
