// The request-path property's model of the proxy (README "What reaches the bucket"): the block a path routes to, the key it names, what each operation may carry.
import { formDecode, isDirectoryBucket } from '@origin-signer/strict-origin';
import { BLOCKS, SITE, type Block } from './fixture.js';
import { SUBRESOURCES } from './arbitraries.js';

/** README "What reaches the bucket", step 1: the longest block prefix the raw path starts with, byte for byte. */
export function route(rawPath: string): { block: Block; rest: string } | undefined {
  // A block S3 clients list is also its path without the slash (the bucket as botocore spells it), before any shorter prefix.
  const listed = BLOCKS.find((x) => x.listObjects && x.path === `${rawPath}/`);
  if (listed) return { block: listed, rest: '' };
  const b = [...BLOCKS].sort((x, y) => y.path.length - x.path.length).find((x) => rawPath.startsWith(x.path));
  return b && { block: b, rest: rawPath.slice(b.path.length) };
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * README "What reaches the bucket", step 3: the key a raw path (latin-1, one character per byte) names after the block
 * prefix — raw bytes and `%XX` decoded once, as UTF-8 — or why no key may be read for it.
 */
export function keyOf(rest: string, keyPrefix: string): { key: string } | { refuse: string } {
  const bytes: number[] = [];
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '%') {
      const hex = rest.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return { refuse: 'bad percent-encoding' };
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(rest.charCodeAt(i) & 0xff);
    }
  }
  let key: string;
  try {
    key = utf8.decode(Uint8Array.from(bytes));
  } catch {
    return { refuse: 'invalid UTF-8' };
  }
  if (key === '') return { refuse: 'empty key' };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(key)) return { refuse: 'control character' };
  if (key.split('/').some((s) => s === '.' || s === '..')) return { refuse: 'dot segment' };
  if (Buffer.byteLength(keyPrefix + key, 'utf8') > 1024) return { refuse: 'over 1024 bytes' };
  return { key: keyPrefix + key };
}

interface Param {
  readonly key: string;
  readonly value: string;
}

/** The viewer's query parameters as S3 reads them (form-decoded); an undecodable part keeps its raw key. */
export function viewerParams(rawQuery: string): Array<Param & { decodable: boolean; rawKey: string }> {
  return rawQuery
    .split('&')
    .filter((p) => p !== '')
    .map((part) => {
      const eq = part.indexOf('=');
      const rawKey = eq < 0 ? part : part.slice(0, eq);
      const key = formDecode(rawKey);
      const value = eq < 0 ? '' : formDecode(part.slice(eq + 1));
      return key === undefined || value === undefined ? { key: key ?? rawKey, value: value ?? '', decodable: false, rawKey } : { key, value, decodable: true, rawKey };
    })
    .filter((p) => p.key !== ''); // `=x`: no name, nothing S3 would act on
}

/** SigV4 presigned parameters: only the proxy's own, and only in query mode. */
const V4_QUERY_AUTH = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Security-Token', 'X-Amz-Signature'];
const V2_QUERY_AUTH = ['AWSAccessKeyId', 'Expires', 'x-amz-security-token', 'Signature'];
export const AUTH_PARAM_NAMES = new Set([...V4_QUERY_AUTH, 'X-Amz-Region-Set', 'X-Amz-S3session-Token', ...V2_QUERY_AUTH].map((n) => n.toLowerCase()));

/** The credentials a directory bucket's requests are signed with: the sessions CreateSession gave the proxy. */
export interface Session {
  readonly accessKeyId: string;
  readonly sessionToken: string;
}

/** How the proxy authenticates a block's requests: its Authorization, or its presigned parameters (the credential's and the token's named). */
export interface ProxyAuth {
  readonly ownAuthorization: (value: string) => boolean;
  /** The header (header mode) and the parameter (query mode) its token travels in, and whether a value is its own. */
  readonly tokenHeader: string;
  readonly tokenParam: string;
  readonly ownToken: (value: string | undefined) => boolean;
  /** x-amz-* request headers the proxy sets itself when it signs this way. */
  readonly signingHeaders: ReadonlySet<string>;
  /** What X-Amz-Algorithm says in query mode (SigV2 has none). */
  readonly algorithm?: string;
  readonly query: readonly string[];
  readonly credentialParam: string;
  /** Whether the credential parameter's value is the proxy's: SigV2's is the key id, SigV4's starts with it. */
  readonly ownCredential: (value: string) => boolean;
}

/**
 * `accessKeyId` and `sessionToken` are the proxy's credentials; a directory bucket's requests carry
 * one of `sessions` instead (its key id, `x-amz-s3session-token`, service s3express).
 */
export function proxyAuthOf(block: Block, creds: { accessKeyId: string; sessionToken: string }, sessions: readonly Session[] = []): ProxyAuth {
  const ownToken = (v: string | undefined): boolean => v === creds.sessionToken;
  if (block.version === 'v2') {
    const header = `AWS ${creds.accessKeyId}:`;
    return { ownAuthorization: (v) => v.startsWith(header), tokenHeader: 'x-amz-security-token', tokenParam: 'x-amz-security-token', ownToken, signingHeaders: SIGNING_HEADERS, query: V2_QUERY_AUTH, credentialParam: 'AWSAccessKeyId', ownCredential: (v) => v === creds.accessKeyId };
  }
  if (isDirectoryBucket(block.bucket)) {
    const sessionOf = (akid: string | undefined): boolean => sessions.some((x) => x.accessKeyId === akid);
    return {
      ownAuthorization: (v) => sessionOf(/^AWS4-HMAC-SHA256 Credential=([^/]+)\/\d{8}\/[a-z0-9-]+\/s3express\/aws4_request, /.exec(v)?.[1]),
      tokenHeader: 'x-amz-s3session-token',
      tokenParam: 'X-Amz-S3session-Token',
      ownToken: (v) => sessions.some((x) => x.sessionToken === v),
      signingHeaders: new Set([...[...SIGNING_HEADERS].filter((h) => h !== 'x-amz-security-token'), 'x-amz-s3session-token']),
      algorithm: 'AWS4-HMAC-SHA256',
      query: V4_QUERY_AUTH.map((n) => (n === 'X-Amz-Security-Token' ? 'X-Amz-S3session-Token' : n)),
      credentialParam: 'X-Amz-Credential',
      ownCredential: (v) => sessionOf(v.split('/')[0]),
    };
  }
  const v4a = block.version === 'v4a';
  const algorithm = v4a ? 'AWS4-ECDSA-P256-SHA256' : 'AWS4-HMAC-SHA256';
  const header = `${algorithm} Credential=${creds.accessKeyId}/`;
  // A MediaStore container's requests are signed for the service mediastore, S3's for s3.
  const scope = block.mediastore ? /^[^/]+\/\d{8}\/[a-z0-9-]+\/mediastore\/aws4_request(,|$)/ : /./;
  return {
    ownAuthorization: (v) => v.startsWith(header) && scope.test(v.slice(`${algorithm} Credential=`.length)),
    tokenHeader: 'x-amz-security-token',
    tokenParam: 'X-Amz-Security-Token',
    ownToken,
    signingHeaders: v4a ? new Set([...SIGNING_HEADERS, 'x-amz-region-set']) : SIGNING_HEADERS,
    algorithm,
    query: v4a ? [...V4_QUERY_AUTH, 'X-Amz-Region-Set'] : V4_QUERY_AUTH,
    credentialParam: 'X-Amz-Credential',
    ownCredential: (v) => v.startsWith(`${creds.accessKeyId}/`) && scope.test(v),
  };
}

/** The query parameters each method's operations take (versionId on any of them). */
export const OP_PARAMS: Record<string, ReadonlySet<string>> = {
  GET: new Set(['versionId', 'partNumber']),
  HEAD: new Set(['versionId', 'partNumber']),
  PUT: new Set(['versionId', 'uploadId', 'partNumber']),
  DELETE: new Set(['versionId', 'uploadId']),
  POST: new Set(['versionId', 'uploads', 'uploadId']),
};
export const WRITE = new Set(['PUT', 'POST', 'DELETE']);

/** The AWS SDKs' `x-id` values that name an operation of each method: S3 ignores them, so dropping one on a write changes nothing. */
export const SDK_OPERATION_IDS: Record<string, ReadonlySet<string>> = {
  GET: new Set(['GetObject', 'ListParts']),
  HEAD: new Set(['HeadObject']),
  PUT: new Set(['PutObject', 'UploadPart']),
  POST: new Set(['CreateMultipartUpload', 'CompleteMultipartUpload']),
  DELETE: new Set(['DeleteObject', 'AbortMultipartUpload']),
};

/** x-amz-* request headers the proxy sets itself when it signs. */
export const SIGNING_HEADERS: ReadonlySet<string> = new Set(['x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256', 'x-amz-decoded-content-length']);

/** Values a viewer sent as credentials or control headers: marked, or a 64-hex signature/hash. */
export function viewerNeedles(rendered: string): string[] {
  return [...new Set([...rendered.matchAll(/VIEWER(?:SECRET|CTL)[A-Za-z0-9]*|\b[0-9a-f]{64}\b/g)].map((m) => m[0]))];
}

const SUBRESOURCE_NAMES = new Set(SUBRESOURCES.map((x) => x.split('=')[0]!));

/** A parameter's family, for the violation kinds: a survey then tells `?acl` from `?cb=1`. */
export function family(p: { key: string; decodable?: boolean; rawKey?: string }): string {
  if (p.decodable === false) return 'undecodable';
  if (p.rawKey !== undefined && p.rawKey !== p.key && p.rawKey.includes('%')) return 'encoded-name';
  if (p.key.startsWith('response-')) return 'response-*';
  if (AUTH_PARAM_NAMES.has(p.key.toLowerCase())) return 'signed-url';
  if (OP_PARAMS.PUT!.has(p.key) || OP_PARAMS.POST!.has(p.key)) return p.key;
  return SUBRESOURCE_NAMES.has(p.key) ? 'sub-resource' : 'other';
}

/** What a site block's rules may read for a viewer's path besides its own key: index, fallback, 404 page. */
export function siteKeys(block: Block, rest: string, expected: { key: string } | { refuse: string }): Set<string> {
  const out = new Set([block.keyPrefix + SITE.fallback, block.keyPrefix + SITE.notFound]);
  if (rest === '') out.add(block.keyPrefix + SITE.index);
  else if ('key' in expected && expected.key.endsWith('/')) out.add(expected.key + SITE.index);
  return out;
}

/** ListObjectsV2 parameters a site listing sends (and nothing else). */
export const LIST_PARAMS = new Set(['list-type', 'prefix', 'delimiter', 'encoding-type', 'max-keys', 'continuation-token']);
/** What a viewer's listing of a listObjects block may add: ListObjectsV2's start-after, ListObjects' marker. */
export const BUCKET_LIST_PARAMS = new Set([...LIST_PARAMS, 'start-after', 'marker']);
