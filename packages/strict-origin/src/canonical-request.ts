/**
 * The request as smithy's canonicalisation is given it, for SigV4 and SigV4A alike: the received
 * method, path, decoded query and signed headers.
 *
 * S3: the canonical URI is computed here (decode once, encode once) and given with
 * `uriEscapePath: false`; generic services (MediaStore): the wire path is given with
 * `uriEscapePath: true` (normalise + encode again), which is what the botocore MediaStore vectors
 * show (`/live//stream` → `/live/stream`).
 */
import { HttpRequest } from '@smithy/protocol-http';
import { s3CanonicalUri } from './canonical-uri.js';
import { header } from './headers.js';
import type { QueryParam } from './query.js';
import { invalidUri } from './s3-errors.js';
import type { SignableRequest } from './types.js';

/** 's3': decode-once/encode-once path, no normalisation. 'generic': smithy's uriEscapePath. */
export type UriRule = 's3' | 'generic';

/** smithy's `uriEscapePath` option for a rule. */
export const uriEscapePathFor = (rule: UriRule): boolean => rule === 'generic';

/** The path to hand smithy (InvalidURI when an S3 path does not decode). */
function canonicalPath(path: string, uriRule: UriRule): string {
  if (uriRule !== 's3') return path;
  const p = s3CanonicalUri(path);
  if (p === undefined) throw invalidUri();
  return p;
}

/** Repeated keys become arrays, as smithy's HttpRequest.query holds them. */
function queryRecord(params: readonly QueryParam[]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  for (const { key, value } of params) {
    const prev = out[key];
    if (prev === undefined) out[key] = value;
    else if (Array.isArray(prev)) prev.push(value);
    else out[key] = [prev, value];
  }
  return out;
}

/** `params`: the signed query parameters (decoded); `headers`: the signed headers only. */
export function signableHttpRequest(
  req: SignableRequest,
  uriRule: UriRule,
  params: readonly QueryParam[],
  headers: Record<string, string>,
): HttpRequest {
  return new HttpRequest({
    method: req.method,
    protocol: 'https:',
    hostname: header(req.headers, 'host') ?? 'localhost',
    path: canonicalPath(req.path, uriRule),
    query: queryRecord(params),
    headers,
  });
}
