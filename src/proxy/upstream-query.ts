import { decodeForm } from '../http/form-decode.js';
import { uriEncode } from '../signing/uri-encode.js';
import { sdkOperationIdVerdict } from './sdk-operation-id.js';

/**
 * What becomes of one viewer query parameter (the table in README "What reaches the bucket"): the
 * S3 operation the store performs must be the one the viewer's method names, so a parameter that
 * would change it is refused, never stripped (stripping `?tagging` from a DELETE deletes the object).
 */
export type QueryVerdict = 'forward' | 'drop' | 'refuse';

/**
 * S3 sub-resources and operation selectors: the SigV2 CanonicalizedResource list
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/RESTAuthentication.html) and the newer
 * object and bucket sub-resources of the S3 API reference. Compared as S3 does, case and all: on
 * reads a name that differs in case is dropped, so it never reaches the store either (CloudFront's
 * signed-URL `Policy` is not S3's `policy`); writes refuse every name they do not forward.
 */
export const SUBRESOURCES: ReadonlySet<string> = new Set(
  [
    'acl', 'accelerate', 'analytics', 'attributes', 'cors', 'delete', 'encryption', 'intelligent-tiering', 'inventory',
    'legal-hold', 'lifecycle', 'list-type', 'location', 'logging', 'metadataConfiguration', 'metadataTable', 'metrics',
    'notification', 'object-lock', 'ownershipControls', 'partNumber', 'policy', 'policyStatus', 'publicAccessBlock',
    'renameObject', 'replication', 'requestPayment', 'restore', 'retention', 'select', 'select-type', 'session',
    'tagging', 'torrent', 'uploadId', 'uploads', 'versionId', 'versioning', 'versions', 'website', 'x-id',
  ],
);

const READS: ReadonlySet<string> = new Set(['GET', 'HEAD']);

/**
 * The one table: the parameters each method forwards (signed). Reads forward `versionId` and
 * `partNumber` (GetObject of one part); writes forward what their multipart step needs. Every
 * other sub-resource is refused; other parameters are dropped on reads (cache-busters, a CDN's
 * signed-URL parameters) and refused on writes. `response-*` overrides are dropped on reads
 * (on a signed request S3 would honour them: `?response-content-type=text/html` would serve any
 * object as HTML) and refused on writes.
 */
const FORWARDED: Readonly<Record<string, ReadonlySet<string>>> = {
  GET: new Set(['versionId', 'partNumber']),
  HEAD: new Set(['versionId', 'partNumber']),
  PUT: new Set(['partNumber', 'uploadId']),
  POST: new Set(['uploads', 'uploadId']),
  DELETE: new Set(['versionId', 'uploadId']),
};

/** On blocks that allow writes, a GET may list the parts of one upload of its key (ListParts: resuming clients). */
const LIST_PARTS: ReadonlySet<string> = new Set(['uploadId']);

/**
 * The store a block's query goes to. MediaStore's object operations take no parameter and ignore
 * what they do not know, so none of the table's is forwarded there: `DELETE ?uploadId=…` (abort an
 * upload) would delete the object, `PUT ?partNumber=…&uploadId=…` overwrite it with one part, and
 * `GET ?versionId=…` serve the current object as the version asked for. Each is refused instead.
 */
export type QueryStore = 's3' | 'mediastore';

/** The verdict for one parameter name (decoded) of a request with `method`; `writes`: the block allows PUT or POST. */
export function queryVerdict(method: string, name: string, consumed: ReadonlySet<string> = NONE, writes = false, keyed: ReadonlySet<string> = NONE, store: QueryStore = 's3'): QueryVerdict {
  // A cached block's `cache.key.query` (README "Shield cache"): the response-* overrides it lists name another rendering of the object.
  const forwarded = FORWARDED[method]?.has(name) || (writes && method === 'GET' && LIST_PARTS.has(name)) || (READS.has(method) && keyed.has(name));
  if (store === 's3' && forwarded) return 'forward';
  if (consumed.has(name)) return 'drop';
  if (SUBRESOURCES.has(name)) return 'refuse';
  if (READS.has(method) || method === 'OPTIONS') return 'drop';
  return 'refuse';
}

const NONE: ReadonlySet<string> = new Set();

/**
 * Forwarded parameters that must come together, or not at all: a part upload names its part and
 * its upload; a multipart POST either starts an upload (`uploads`) or completes one (`uploadId`),
 * and a POST with neither would be S3's form upload (PostObject), whose key comes from the body.
 */
function operationProblem(method: string, names: ReadonlySet<string>): string | undefined {
  if (method === 'PUT' && names.has('partNumber') !== names.has('uploadId')) return 'a part upload needs both partNumber and uploadId';
  if (method === 'POST') {
    const n = Number(names.has('uploads')) + Number(names.has('uploadId'));
    if (n !== 1) return 'POST is only a multipart upload step: ?uploads to start one, ?uploadId=… to complete it';
  }
  if (names.has('uploads') && names.size > 1) return '?uploads takes no other parameter';
  return undefined;
}

export type QueryResult = { readonly query: string } | { readonly error: string; readonly refused?: true };

/** MediaStore ListItems (`GET /?Path=…`) paging parameters, for folder listings. */
export const MEDIASTORE_LIST_PARAMS: ReadonlySet<string> = new Set(['MaxResults', 'NextToken']);

/**
 * Viewer query → upstream query in canonical form (each key and value encoded with the SigV4
 * rules, sorted), so the bytes sent are the bytes signed. Names and values are read as
 * application/x-www-form-urlencoded (`+` is a space), which is how browsers and CDNs write them;
 * a name is judged after decoding, so `?%74agging` is `tagging`. `consumed` are parameters the
 * proxy itself reads (signed-URL parameters of the block's access rules): dropped on any method.
 */
export function upstreamQuery(method: string, rawQuery: string, consumed: ReadonlySet<string> = NONE, writes = false, keyed: ReadonlySet<string> = NONE, store: QueryStore = 's3'): QueryResult {
  if (rawQuery === '') {
    const problem = operationProblem(method, NONE);
    return problem ? { error: problem, refused: true } : { query: '' };
  }
  const kept: Array<[string, string | undefined]> = [];
  const names = new Set<string>();
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    let name: string;
    let value: string | undefined;
    try {
      name = decodeForm(eq === -1 ? part : part.slice(0, eq));
      value = eq === -1 ? undefined : decodeForm(part.slice(eq + 1));
    } catch {
      return { error: 'a query parameter has invalid percent-encoding' };
    }
    if (name === 'x-id') {
      if (sdkOperationIdVerdict(method, value) === 'refuse') return { error: `x-id=${(value ?? '').slice(0, 64)} names another operation than ${method} of one object`, refused: true };
      continue;
    }
    const verdict = queryVerdict(method, name, consumed, writes, keyed, store);
    if (verdict === 'refuse') return { error: `the query parameter "${name.slice(0, 64)}" is not served on ${method} through this proxy`, refused: true };
    if (verdict === 'drop') continue;
    if (names.has(name)) return { error: `the query parameter "${name}" is given twice`, refused: true };
    // A forwarded value S3 may put in a response header (response-*): no line breaks or other controls.
    // eslint-disable-next-line no-control-regex
    if (value !== undefined && /[\u0000-\u001f\u007f]/.test(value)) return { error: `the query parameter "${name}" has a control character in its value` };
    names.add(name);
    kept.push([name, value]);
  }
  const problem = operationProblem(method, names);
  if (problem) return { error: problem, refused: true };
  return { query: canonicalQuery(kept) };
}

/** Viewer query → the listed parameters only, canonical (MediaStore folder listings). */
export function listQuery(rawQuery: string, allowed: ReadonlySet<string>): QueryResult {
  const kept: Array<[string, string | undefined]> = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawKey = eq === -1 ? part : part.slice(0, eq);
    if (!allowed.has(rawKey)) continue;
    // Which of two values the store would use is anyone's guess, as for upstreamQuery.
    if (kept.some(([k]) => k === rawKey)) return { error: `the query parameter "${rawKey}" is given twice` };
    try {
      kept.push([rawKey, eq === -1 ? undefined : decodeForm(part.slice(eq + 1))]);
    } catch {
      return { error: `query parameter ${rawKey} has invalid percent-encoding` };
    }
  }
  return { query: canonicalQuery(kept) };
}

/** Query parameters as the signer encodes them (uriEncode, names and values), sorted: the bytes sent are the bytes signed. */
export function canonicalQuery(kept: ReadonlyArray<readonly [string, string | undefined]>): string {
  if (kept.length === 0) return '';
  const encoded = kept.map(([k, v]) => (v === undefined ? uriEncode(k) : `${uriEncode(k)}=${uriEncode(v)}`));
  encoded.sort();
  return encoded.join('&');
}
