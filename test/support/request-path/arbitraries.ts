// The request-path property's generators: hostile viewer requests (methods, raw path bytes, query parts, headers, bodies, store faults).
import fc from 'fast-check';
import { FAULTS, type Fault } from '@origin-signer/strict-origin';
import { awkwardKey } from '../awkward.js';
import { minimalEncode } from '../awkward-keys.js';
import { encodeKey } from '../origin-client.js';
import { BLOCKS, OTHER_BUCKET, POOL_KEYS, READ_BUCKET } from './fixture.js';

export interface GenHeader {
  readonly name: string;
  /** Latin-1: each character is one byte on the wire. */
  readonly value: string;
}

export interface ViewerRequest {
  readonly method: string;
  readonly prefix: string;
  /** Raw bytes of the path after the prefix (latin-1), in pieces. */
  readonly rest: readonly string[];
  /** Raw query parts, joined with `&`; null: no `?` at all. */
  readonly query: readonly string[] | null;
  readonly headers: readonly GenHeader[];
  readonly host: string | null;
  readonly body: {
    readonly framing: 'none' | 'length' | 'chunked' | 'length+chunked';
    readonly te: string;
    readonly bytes: readonly number[];
    /** The bytes framed as aws-chunked, as an AWS SDK streams an upload: chunk signatures or not, a right, wrong or no CRC32 trailer, a right, long, short (its first chunk's) or no decoded length. */
    readonly aws: null | { readonly signed: boolean; readonly trailer: 'right' | 'wrong' | 'none'; readonly declared: 'right' | 'off' | 'short' | 'absent' };
  };
  readonly fault: Fault | null;
}

const hex64 = fc.stringMatching(/^[0-9a-f]{64}$/);
const tag = fc.stringMatching(/^[A-Za-z0-9]{1,6}$/);

// Awkward path pieces: dot segments raw and encoded, encoded slashes, NUL and other controls,
// broken percent-encoding, overlong and surrogate UTF-8, encoded `+`/`%`/space, backslashes.
const SPECIAL_PIECES = [
  '/', '//', '.', '..', '%2e', '%2E%2e', '.%2e', '%2e.', '%2F', '%2f', '%2F..%2F', '%2e%2e%2f', '%00', '%0A', '%0d%0a', '%09', '%7F', '%C2%85', '%zz', '%', '%2',
  '%C3', '%C0%AF', '%E0%80%AF', '%ED%A0%80', '%F4%90%80%80', '%EF%BB%BF', '+', '%2B', '%20', '%25', '%252F', ';', '\\', '%5C', 'x.y', '-_.~', 'é',
  // Spellings of the nested block's prefix (/rh/p/) from its parent: `%70/` is `p/`.
  '%70/', 'p%2F', '%70%2F', '%70%2f',
];

// withCrossShrink: a counterexample shrinks towards the first, plainest alternative (a stored key,
// GET, a block's own prefix, no fault) when the failure does not need the odd one.
const CROSS = { withCrossShrink: true };

const pathPiece: fc.Arbitrary<string> = fc.oneof(
  CROSS,
  { weight: 8, arbitrary: fc.tuple(fc.constantFrom(...POOL_KEYS), fc.boolean()).map(([k, minimal]) => (minimal ? minimalEncode(k) : encodeKey(k))) },
  { weight: 3, arbitrary: fc.constantFrom(...SPECIAL_PIECES) },
  // Folders of the seeded keys: a site block lists them (or serves their index document).
  { weight: 2, arbitrary: fc.constantFrom('media/', 'unicode/vidéo/', 'trailing/').map(encodeKey) },
  { weight: 2, arbitrary: fc.tuple(awkwardKey(), fc.boolean()).map(([k, minimal]) => (minimal ? minimalEncode(k) : encodeKey(k))) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 4 }).map(encodeKey) },
  // Around S3's 1024-byte limit, keyPrefix included.
  { weight: 1, arbitrary: fc.integer({ min: 1010, max: 1030 }).map((n) => 'k'.repeat(n)) },
  // A raw byte in the request-target (not `?`/`#`, which are URL syntax, nor `%`, covered above):
  // controls, space, CR/LF (request-line injection), DEL, non-ASCII.
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }).filter((b) => b !== 0x3f && b !== 0x23 && b !== 0x25).map((b) => String.fromCharCode(b)) },
);

const PREFIXES = [
  ...BLOCKS.map((b) => b.path),
  // Spellings of a prefix that name no block, or another block through a dot segment.
  '/', '/rh', '/RH/', '/%72h/', '//rh/', '/rh/../wh/', '/wh/%2e%2e/rh/', '/nowhere/', `/${READ_BUCKET}/`, `/${OTHER_BUCKET}/`,
];

export const SUBRESOURCES = [
  'acl', 'tagging', 'policy', 'retention', 'legal-hold', 'torrent', 'restore', 'select', 'select-type=2', 'attributes', 'versions', 'versioning', 'delete', 'cors',
  'website', 'lifecycle', 'location', 'list-type=2', 'object-lock', 'notification', 'replication', 'encryption', 'logging', 'requestPayment', 'accelerate',
  'publicAccessBlock', 'ownershipControls', 'intelligent-tiering', 'prefix=', 'delimiter=%2F',
];
/** The AWS SDKs' operation ids (`?x-id=GetObject`): each fits some methods and not others. */
const SDK_OPERATION_IDS = ['GetObject', 'HeadObject', 'PutObject', 'UploadPart', 'DeleteObject', 'AbortMultipartUpload', 'ListParts', 'CreateMultipartUpload', 'CopyObject', 'DeleteObjects', 'getobject', ''];
const RESPONSE_OVERRIDES = ['response-content-type', 'response-cache-control', 'response-content-disposition', 'response-content-encoding', 'response-content-language', 'response-expires'];
const OVERRIDE_VALUES = ['text%2Fhtml', 'no-store', 'attachment%3B%20filename%3Dx.html', 'gzip', 'en', 'Thu%2C%2001%20Dec%201994%2016%3A00%3A00%20GMT', '%3Cscript%3E'];

const queryPart: fc.Arbitrary<string> = fc.oneof(
  CROSS,
  { weight: 3, arbitrary: fc.constantFrom('cb=1', '_=1712345678', 'v=2', 't', 'foo=bar', 'utm_source=cdn', 'x=%20y+z', 'a=b=c') },
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...SUBRESOURCES), fc.constantFrom('', '=', '=1')).map(([s, v]) => (s.includes('=') ? s : s + v)) },
  { weight: 1, arbitrary: fc.constantFrom(...SDK_OPERATION_IDS).map((id) => `x-id=${id}`) },
  {
    weight: 3,
    arbitrary: fc.oneof(
      fc.constantFrom('uploads', 'uploads=', 'uploadId=UPL1', 'uploadId=', 'uploadId=a%2Fb+c', 'partNumber=1', 'partNumber=10000', 'partNumber=0', 'partNumber=x'),
      tag.map((s) => `uploadId=UPL${s}`),
    ),
  },
  { weight: 2, arbitrary: fc.constantFrom('versionId=v1', 'versionId=null', 'versionId=3HL4kqtJlcp%2BrmSpXd3dIbrHY', 'versionId=', 'versionId') },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...RESPONSE_OVERRIDES), fc.constantFrom(...OVERRIDE_VALUES)).map(([k, v]) => `${k}=${v}`) },
  {
    // A viewer's (or a CDN's) signed-URL parameters: never forwarded.
    weight: 2,
    arbitrary: fc.oneof(
      hex64.map((h) => `X-Amz-Signature=${h}`),
      tag.map((s) => `X-Amz-Credential=VIEWERSECRETAKID${s}%2F20200101%2Fus-east-1%2Fs3%2Faws4_request`),
      tag.map((s) => `X-Amz-Security-Token=VIEWERSECRETTOKEN${s}`),
      tag.map((s) => `AWSAccessKeyId=VIEWERSECRETAKID${s}`),
      tag.map((s) => `Signature=VIEWERSECRETSIG${s}%2B%3D`),
      fc.constantFrom('X-Amz-Algorithm=AWS4-HMAC-SHA256', 'X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256', 'X-Amz-Date=20200101T000000Z', 'X-Amz-Expires=604800', 'X-Amz-SignedHeaders=host', 'Expires=1999999999', 'x-amz-security-token=VIEWERSECRETlower', 'X-Amz-Region-Set=VIEWERCTLregion'),
    ),
  },
  // Broken or disguised spellings: bad percent-encoding, encoded names that decode to sub-resources.
  { weight: 2, arbitrary: fc.constantFrom('acl%', '%zz=1', 'versionId=%zz', 'versionId=%C3', 'tag%67ing', '%61cl', 'ACL', 'Tagging', 'upload%49d=x', 'version%49d=v1', 'partNumber=%31', 'response-content-type=%', '=x', '', 'acl=%') },
);

/** Case spellings of a header name: HTTP names are case-insensitive, a filter must be too. */
const cased = (name: string): fc.Arbitrary<string> =>
  fc.constantFrom(name, name.toUpperCase(), name.replace(/(^|-)([a-z])/g, (_m, d: string, c: string) => d + c.toUpperCase()));

const header = (name: string, value: fc.Arbitrary<string>): fc.Arbitrary<GenHeader> => fc.tuple(cased(name), value).map(([n, v]) => ({ name: n, value: v }));

const rfc1123 = 'Wed, 21 Oct 2015 07:28:00 GMT';

const genHeader: fc.Arbitrary<GenHeader> = fc.oneof(
  CROSS,
  // The viewer's own credentials and signing inputs.
  {
    weight: 3,
    arbitrary: fc.oneof(
      fc.tuple(tag, hex64).chain(([s, h]) => header('authorization', fc.constant(`AWS4-HMAC-SHA256 Credential=VIEWERSECRETAKID${s}/20200101/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=${h}`))),
      fc.tuple(tag, hex64).chain(([s, h]) => header('authorization', fc.constant(`AWS4-ECDSA-P256-SHA256 Credential=VIEWERSECRETAKID${s}/20200101/s3/aws4_request, SignedHeaders=host;x-amz-region-set, Signature=${h}${h}`))),
      // Never the proxy's own "*": a forwarded value must be told from the proxy's.
      header('x-amz-region-set', fc.constantFrom('us-west-2,eu-west-1', 'VIEWERCTLregion')),
      tag.chain((s) => header('authorization', fc.constantFrom(`AWS VIEWERSECRETAKID${s}:VIEWERSECRETv2sig${s}=`, `Bearer VIEWERSECRETbearer${s}`, `Basic VIEWERSECRETbasic${s}`))),
      header('x-amz-date', fc.constantFrom('20200101T000000Z', 'VIEWERSECRETdate', 'Thu, 01 Jan 2020 00:00:00 GMT')),
      tag.chain((s) => header('x-amz-security-token', fc.constant(`VIEWERSECRETTOKEN${s}`))),
      fc.oneof(hex64, fc.constant('STREAMING-UNSIGNED-PAYLOAD-TRAILER')).chain((v) => header('x-amz-content-sha256', fc.constant(v))),
      header('x-amz-decoded-content-length', fc.constant('7777777')),
      tag.chain((s) => header('cookie', fc.constant(`session=VIEWERSECRETcookie${s}; CloudFront-Signature=VIEWERSECRETcf`))),
      tag.chain((s) => header('proxy-authorization', fc.constant(`Basic VIEWERSECRETproxy${s}`))),
    ),
  },
  // x-amz-* headers that change what S3 does: copy, ACLs, tags, redirects, encryption, locks, payer.
  {
    weight: 3,
    arbitrary: fc.oneof(
      header('x-amz-copy-source', fc.constantFrom(`/${OTHER_BUCKET}/a.txt`, `${READ_BUCKET}/r/h/a.txt?versionId=VIEWERCTL1`, '/VIEWERCTLbucket/key')),
      header('x-amz-copy-source-range', fc.constant('bytes=0-1')),
      header('x-amz-rename-source', fc.constantFrom(`/${READ_BUCKET}/r/h/b.txt`, '/VIEWERCTLbucket/key')),
      header('x-amz-acl', fc.constantFrom('public-read', 'public-read-write', 'bucket-owner-full-control')),
      fc.constantFrom('x-amz-grant-read', 'x-amz-grant-full-control', 'x-amz-grant-write-acp', 'x-amz-grant-read-acp').chain((n) => header(n, fc.constant('uri="http://acs.amazonaws.com/groups/global/AllUsers"'))),
      header('x-amz-tagging', fc.constant('VIEWERCTLtag=1&b=2')),
      header('x-amz-website-redirect-location', fc.constantFrom('/VIEWERCTLredirect', 'https://evil.example/VIEWERCTL')),
      header('x-amz-server-side-encryption', fc.constantFrom('aws:kms', 'AES256')),
      header('x-amz-server-side-encryption-aws-kms-key-id', fc.constant('VIEWERCTLkms')),
      header('x-amz-object-lock-mode', fc.constant('GOVERNANCE')),
      header('x-amz-object-lock-legal-hold', fc.constant('ON')),
      header('x-amz-bypass-governance-retention', fc.constant('true')),
      header('x-amz-metadata-directive', fc.constant('REPLACE')),
      header('x-amz-request-payer', fc.constant('requester')),
      header('x-amz-expected-bucket-owner', fc.constant('111122223333')),
      header('x-amz-mfa', fc.constant('VIEWERCTLmfa 123456')),
    ),
  },
  // Headers the proxy may forward: Range (odd bytes too), conditionals, entity headers, metadata.
  {
    weight: 4,
    arbitrary: fc.oneof(
      fc.tuple(fc.constantFrom('bytes=0-4', 'bytes=-5', 'bytes=3-', 'bytes=0-0,2-3', 'bytes= 0-4', 'bytes=0-4 ', 'bytes=9999-', 'items=0-1'), fc.constantFrom('', '', '\xa0', '\x80', '\xff', '\t', ' ')).chain(([r, odd]) =>
        header('range', fc.constant(r + odd)),
      ),
      header('if-match', fc.constantFrom('"abc"', '*')),
      header('if-none-match', fc.constantFrom('"abc"', '*')),
      header('if-modified-since', fc.constant(rfc1123)),
      header('content-type', fc.constantFrom('text/plain', 'application/octet-stream', 'text/html; charset=\xe9')),
      header('cache-control', fc.constantFrom('max-age=60', 'no-store')),
      header('content-disposition', fc.constant('attachment; filename="x.txt"')),
      header('content-md5', fc.constantFrom('1B2M2Y8AsgTpgAmY7PhCfg==', 'not-md5')),
      fc.tuple(fc.stringMatching(/^[a-z0-9-]{1,8}$/), fc.constantFrom('v', 'caf\xe9', 'a b', '')).chain(([n, v]) => header(`x-amz-meta-${n}`, fc.constant(v))),
      header('x-amz-checksum-crc32', fc.constant('AAAAAA==')),
      header('x-amz-storage-class', fc.constantFrom('STANDARD_IA', 'GLACIER')),
      header('expect', fc.constantFrom('100-continue', '100-Continue')),
      header('x-forwarded-for', fc.constant('10.0.0.1')),
      header('content-encoding', fc.constantFrom('gzip', 'aws-chunked')),
    ),
  },
);

/** Occasionally an odd byte at the end of a header value: obs-text, DEL, NUL, white space. */
const withOddByte = (h: fc.Arbitrary<GenHeader>): fc.Arbitrary<GenHeader> =>
  fc
    .tuple(h, fc.oneof(CROSS, { weight: 30, arbitrary: fc.constant('') }, { weight: 6, arbitrary: fc.constantFrom('\xa0', '\x80', '\xff', ' ', '\t') }, { weight: 1, arbitrary: fc.constantFrom('\x7f', '\x00') }))
    .map(([g, odd]) => ({ name: g.name, value: g.value + odd }));

const anyRequest: fc.Arbitrary<ViewerRequest> = fc.record({
  method: fc.oneof(
    CROSS,
    { weight: 5, arbitrary: fc.constant('GET') },
    { weight: 3, arbitrary: fc.constant('HEAD') },
    { weight: 5, arbitrary: fc.constant('PUT') },
    { weight: 3, arbitrary: fc.constant('POST') },
    { weight: 3, arbitrary: fc.constant('DELETE') },
    { weight: 2, arbitrary: fc.constantFrom('OPTIONS', 'PATCH', 'TRACE', 'PROPFIND', 'PURGE', 'COPY', 'MKCOL', 'SEARCH', 'LOCK', 'QUERY') },
  ),
  // The cached block a little more often: most of its requests are refused or miss before one hits.
  prefix: fc.oneof(
    CROSS,
    { weight: 10, arbitrary: fc.constantFrom(...BLOCKS.map((b) => b.path)) },
    { weight: 2, arbitrary: fc.constantFrom(...BLOCKS.filter((b) => b.cache).map((b) => b.path)) },
    { weight: 1, arbitrary: fc.constantFrom(...PREFIXES) },
  ),
  // Mostly one or two pieces (often a stored key, so reads find something), rarely none.
  rest: fc.oneof(CROSS, { weight: 15, arbitrary: fc.array(pathPiece, { minLength: 1, maxLength: 4 }) }, { weight: 1, arbitrary: fc.constant([]) }),
  query: fc.option(fc.array(queryPart, { minLength: 0, maxLength: 5 }), { nil: null, freq: 3 }),
  headers: fc.array(withOddByte(genHeader), { maxLength: 6 }),
  host: fc.option(fc.constantFrom(`${OTHER_BUCKET}.localhost`, 'evil.example', 'localhost', `${READ_BUCKET}.localhost:1`), { nil: null, freq: 6 }),
  body: fc.record({
    framing: fc.oneof(CROSS, { weight: 24, arbitrary: fc.constantFrom('none', 'length', 'length', 'chunked') }, { weight: 1, arbitrary: fc.constant('length+chunked') }),
    te: fc.constantFrom('chunked', 'chunked', 'Chunked', 'gzip, chunked'),
    bytes: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 48 }),
    aws: fc.option(fc.record({ signed: fc.boolean(), trailer: fc.constantFrom('right', 'right', 'wrong', 'none'), declared: fc.constantFrom('right', 'right', 'right', 'off', 'short', 'absent') }), { nil: null, freq: 5 }),
  }),
  fault: fc.oneof(CROSS, { weight: 5, arbitrary: fc.constant(null) }, { weight: 3, arbitrary: fc.constantFrom(...FAULTS) }),
}) as fc.Arbitrary<ViewerRequest>;

/** An S3 client's listing parameters, and a hostile viewer's: prefixes, markers and tokens that try to climb out of keyPrefix. */
const listPart: fc.Arbitrary<string> = fc.constantFrom(
  'list-type=2', 'list-type=1', 'prefix=', 'prefix=media%2F', 'prefix=..%2F', 'prefix=%2F..%2F..%2F', 'prefix=..%2Fh%2F', 'delimiter=%2F', 'delimiter=', 'delimiter=a',
  'max-keys=2', 'max-keys=0', 'max-keys=100000', 'max-keys=-1', 'encoding-type=url', 'encoding-type=xml', 'fetch-owner=true', 'start-after=..%2F..%2Fr%2Fh%2Fa.txt', 'start-after=media%2F',
  'marker=..%2F', 'marker=%00', 'continuation-token=djE6ci9oL2EudHh0', 'continuation-token=VIEWERCTLtoken', 'x-id=ListObjectsV2', 'x-id=ListObjects', 'x-id=DeleteObjects', 'prefix=a&prefix=b',
);

/** A listing of the block S3 clients list (its root, or its path without the slash), with list parameters and the rest of a request. */
const listRequest: fc.Arbitrary<ViewerRequest> = fc
  .tuple(anyRequest, fc.constantFrom(...BLOCKS.filter((b) => b.listObjects).flatMap((b) => [b.path, b.path.slice(0, -1)])), fc.array(listPart, { maxLength: 4 }))
  .map(([r, prefix, list]) => ({ ...r, prefix, rest: [], query: [...list, ...(r.query ?? [])] }));

export const viewerRequest: fc.Arbitrary<ViewerRequest> = fc.oneof(CROSS, { weight: 15, arbitrary: anyRequest }, { weight: 1, arbitrary: listRequest });
