// The request-path property's invariants I1–I3 on each request that reached the origin (the property's test file says what each one is).
import { MEDIASTORE_BUCKET, isDirectoryBucket, parseQuery, resolveMediaStoreKey, resolveS3Target, splitTarget, type RecordedRequest } from '@origin-signer/strict-origin';
import { ACCESS_POINTS, BLOCKS, CREDS, SITE, type Block } from './fixture.js';
import type { ViewerRequest } from './arbitraries.js';
import { declaredLength, seenTarget } from './wire.js';
import { checkCredentials, type Add } from './credential-checks.js';
import { AUTH_PARAM_NAMES, BUCKET_LIST_PARAMS, LIST_PARAMS, OP_PARAMS, SDK_OPERATION_IDS, SIGNING_HEADERS, WRITE, family, keyOf, proxyAuthOf, route, siteKeys, viewerNeedles, viewerParams, type Session } from './model.js';

export interface Violation {
  /** `I<n>:<class>`: what a survey groups by and PROPERTY_FOCUS selects on. */
  readonly kind: string;
  readonly detail: string;
}

const safeDecode = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};


/** What makes a PUT a copy, a part copy or a rename (S3 API Reference). */
const SOURCE_HEADERS: ReadonlySet<string> = new Set(['x-amz-copy-source', 'x-amz-rename-source']);
/** Write headers asking the store for encryption or an object lock (README "What reaches the bucket"). */
const PROTECTION = /^x-amz-(server-side-encryption|object-lock-)/i;

/** Which origin a request reached: the S3 one, or the MediaStore container. */
export type Store = 's3' | 'mediastore';

/** The bucket and key the origin resolves `o` to (its host, `path`), or undefined — flagged — when it cannot decode the path. */
function targetOf(o: RecordedRequest, path: string, what: string, add: Add, store: Store = 's3'): { bucket: string | undefined; key: string | undefined } | undefined {
  try {
    if (store === 'mediastore') return { bucket: MEDIASTORE_BUCKET, key: resolveMediaStoreKey(path) || undefined };
    return resolveS3Target(String(o.headers.host ?? ''), path, 'localhost', ACCESS_POINTS);
  } catch {
    add('I1:unparsable-upstream-path', `the origin could not decode the ${what}`);
    return undefined;
  }
}

/** Cookies, proxy credentials and x-amz-* headers but `own` on a bucket-level request: none is the proxy's to send. */
function flagForeignHeaders(o: RecordedRequest, own: ReadonlySet<string>, what: string, add: Add): void {
  for (const name of Object.keys(o.headers)) if (name === 'cookie' || name === 'proxy-authorization' || (name.startsWith('x-amz-') && !own.has(name))) add('I3:control-header-forwarded', `${name} on ${what}`);
}

/** I3: no viewer credential or control value anywhere in what reached the origin. */
function flagViewerValues(o: RecordedRequest, rendered: string, add: Add): void {
  const wire = `${o.url}\n${safeDecode(o.url)}\n${JSON.stringify(o.headers)}`;
  for (const needle of viewerNeedles(rendered)) if (wire.includes(needle)) add('I3:viewer-value-forwarded', JSON.stringify(needle));
}

/** I1–I3 for a site block's list request: its bucket, a prefix under keyPrefix, only list parameters, the proxy's own signature. */
function checkListRequest(block: Block, oPath: string, oQuery: string, o: RecordedRequest, add: Add): void {
  const where = targetOf(o, oPath, 'list path', add);
  if (!where) return;
  if (where.bucket !== block.bucket) add('I1:other-bucket', `list of bucket ${String(where.bucket)} instead of ${block.bucket}`);
  if (where.key !== undefined) add('I2:list-with-key', `a list request names key ${JSON.stringify(where.key.slice(0, 80))}`);
  const params = parseQuery(oQuery) ?? [];
  for (const p of params) if (!(block.listObjects ? BUCKET_LIST_PARAMS : LIST_PARAMS).has(p.key)) add(`I2:list-param(${family(p)})`, `${p.key} on a listing`);
  const prefix = params.find((p) => p.key === 'prefix')?.value;
  if (prefix === undefined || !prefix.startsWith(block.keyPrefix)) add('I1:list-outside-key-prefix', `prefix ${JSON.stringify(String(prefix).slice(0, 80))} outside ${block.keyPrefix}`);
  // A site lists one folder; an S3 client's listing may list every key under keyPrefix, and where it starts is under it too.
  if (!block.listObjects && params.find((p) => p.key === 'delimiter')?.value !== '/') add('I2:list-without-delimiter', 'a listing lists one folder');
  for (const p of params) if ((p.key === 'start-after' || p.key === 'marker') && !p.value.startsWith(block.keyPrefix)) add('I1:list-outside-key-prefix', `${p.key} ${JSON.stringify(p.value.slice(0, 80))} outside ${block.keyPrefix}`);
  const auth = o.headers.authorization;
  if (typeof auth !== 'string' || !auth.startsWith(`AWS4-HMAC-SHA256 Credential=${CREDS.accessKeyId}/`)) add('I3:viewer-credential-forwarded', `authorization ${JSON.stringify(String(auth).slice(0, 60))}`);
  if (o.headers['x-amz-security-token'] !== CREDS.sessionToken) add('I3:viewer-credential-forwarded', 'x-amz-security-token is not the proxy\'s');
  flagForeignHeaders(o, SIGNING_HEADERS, 'a listing', add);
}

/**
 * I2 for an upload a viewer framed as aws-chunked: the store gets the object, never the framing
 * (only a `payload: streaming` block frames it again, its own way, of the decoded length), and
 * keeps nothing of an upload whose checksum or length is wrong.
 */
function checkViewerFraming(r: ViewerRequest, block: Block, o: RecordedRequest, add: Add): void {
  const aws = r.body.aws;
  if (!aws || (r.method !== 'PUT' && r.method !== 'POST')) return;
  // Only a PutObject or UploadPart body: a POST goes UNSIGNED-PAYLOAD, as it came.
  const reframed = block.payload === 'streaming' && block.mode === 'header' && block.version !== 'v2' && r.method === 'PUT';
  const encoding = String(o.headers['content-encoding'] ?? '');
  if (!reframed && /aws-chunked/i.test(encoding)) add('I2:viewer-framing-forwarded', `content-encoding ${encoding}`);
  if (reframed && o.headers['x-amz-decoded-content-length'] !== undefined && o.headers['x-amz-decoded-content-length'] !== String(r.body.bytes.length)) {
    add('I2:viewer-framing-forwarded', `x-amz-decoded-content-length ${String(o.headers['x-amz-decoded-content-length'])}, the object has ${r.body.bytes.length} bytes`);
  }
  if (o.method !== 'PUT' || o.status !== 200) return;
  if (aws.trailer === 'wrong' || declaredLength(r.body.bytes.length, aws) !== r.body.bytes.length) add('I2:bad-upload-stored', `trailer ${aws.trailer}, declared length ${aws.declared}: the store kept it`);
  else if (!reframed && o.bytesIn !== r.body.bytes.length) add('I2:viewer-framing-forwarded', `the store took ${o.bytesIn} bytes for an object of ${r.body.bytes.length}`);
}

/** What CreateSession may carry besides the signing headers: the session mode it asks for. */
const CREATE_SESSION_HEADERS: ReadonlySet<string> = new Set([...SIGNING_HEADERS, 'x-amz-create-session-mode']);

/** I1–I3 for a directory bucket's CreateSession: a bucket-level `GET ?session` of its bucket, signed with the proxy's own keys for s3express. */
function checkCreateSession(block: Block, path: string, query: string, o: RecordedRequest, rendered: string, add: Add): void {
  const where = targetOf(o, path, 'CreateSession path', add);
  if (!where) return;
  if (where.bucket !== block.bucket) add('I1:other-bucket', `CreateSession of bucket ${String(where.bucket)} instead of ${block.bucket}`);
  if (where.key !== undefined || query !== 'session') add('I2:create-session-shape', `CreateSession names key ${JSON.stringify(String(where.key))} with query ${JSON.stringify(query)}`);
  const auth = String(o.headers.authorization ?? '');
  if (!auth.startsWith(`AWS4-HMAC-SHA256 Credential=${CREDS.accessKeyId}/`) || !auth.includes('/s3express/aws4_request')) add('I3:viewer-credential-forwarded', `CreateSession authorization ${JSON.stringify(auth.slice(0, 60))}`);
  flagForeignHeaders(o, CREATE_SESSION_HEADERS, 'CreateSession', add);
  flagViewerValues(o, rendered, add);
}

/** MediaStore ListItems parameters: the folder, and the viewer's paging. */
const MEDIASTORE_LIST = new Set(['Path', 'MaxResults', 'NextToken']);

/** I1–I2 for a MediaStore block's folder listing (`GET /?Path=…`): a read of a folder the viewer named, under keyPrefix. */
function checkMediaStoreListing(r: ViewerRequest, block: Block, rest: string, opParams: ReadonlyArray<{ key: string; value: string }>, vQuery: string, o: RecordedRequest, add: Add): void {
  if (WRITE.has(r.method) || o.method !== r.method) add('I2:method-changed', `viewer ${r.method}, a MediaStore listing`);
  if (rest !== '' && !rest.endsWith('/')) add('I2:object-read-became-listing', JSON.stringify(rest.slice(0, 80)));
  const folder = rest === '' ? { key: block.keyPrefix } : keyOf(rest, block.keyPrefix);
  if ('refuse' in folder) add('I1:refusable-key-forwarded', `${folder.refuse}: ${JSON.stringify(rest.slice(0, 80))}`);
  // One Path, the folder's; none only for the container's root (a block without keyPrefix).
  const paths = opParams.filter((p) => p.key === 'Path');
  if (paths.length > 1) add('I2:ambiguous-param', `Path ${paths.length} times on a MediaStore listing`);
  const path = paths[0]?.value ?? '';
  const outside = paths.find((p) => !`${p.value}/`.startsWith(block.keyPrefix)) ?? (paths.length === 0 && block.keyPrefix !== '' ? { value: '' } : undefined);
  if (outside) add('I1:list-outside-key-prefix', `Path ${JSON.stringify(outside.value.slice(0, 80))} outside ${block.keyPrefix}`);
  else if ('key' in folder && path !== folder.key.replace(/\/+$/, '')) add('I2:wrong-key', `Path ${JSON.stringify(path.slice(0, 80))} for the folder ${JSON.stringify(folder.key.slice(0, 80))}`);
  const vParams = viewerParams(vQuery);
  for (const k of new Set(opParams.map((p) => p.key))) if (k !== 'Path' && opParams.filter((p) => p.key === k).length > 1) add('I2:ambiguous-param', k);
  for (const p of opParams) {
    if (!MEDIASTORE_LIST.has(p.key)) add(`I2:list-param(${family(p)})`, `${p.key} on a MediaStore listing`);
    else if (p.key !== 'Path' && !vParams.some((q) => q.decodable && q.key === p.key && q.value === p.value)) add('I2:param-not-from-viewer', `${p.key}=${JSON.stringify(p.value)}`);
  }
}

/** I1–I3 for one origin request `o` caused by viewer request `r`; `sessions`: the directory bucket sessions the origin issued; `store`: the origin it reached. */
export function checkOriginRequest(r: ViewerRequest, rendered: string, o: RecordedRequest, sessions: readonly Session[] = [], store: Store = 's3'): Violation[] {
  const v: Violation[] = [];
  // The presigned parameters (checked below) are left out of the message: they only hide the rest.
  const shown = o.url.replace(/[?&]X-Amz-(?:Algorithm|Credential|Date|Expires|SignedHeaders|Security-Token|Signature)=[^&]*/g, '').slice(0, 300);
  const add: Add = (kind, detail) => void v.push({ kind, detail: `${detail} — origin saw ${o.method} ${shown}` });
  const { path: vPath, query: vQuery } = splitTarget(seenTarget(r));
  const routed = route(vPath);
  if (!routed) {
    add('I1:no-route-forwarded', `no block serves ${JSON.stringify(vPath.slice(0, 80))}`);
    return v;
  }
  const { block } = routed;
  if (!!block.mediastore !== (store === 'mediastore')) {
    add('I1:other-store', `${block.path} is ${block.mediastore ? 'a MediaStore block' : 'an S3 block'}; the request reached the ${store} origin`);
    return v;
  }
  const auth = proxyAuthOf(block, CREDS, sessions);
  const { path: oPath, query: oQuery } = splitTarget(o.url);
  if (isDirectoryBucket(block.bucket) && o.method === 'GET' && /(^|&)session(=|&|$)/.test(oQuery)) {
    checkCreateSession(block, oPath, oQuery, o, rendered, add);
    return v;
  }
  if (!block.methods.includes(r.method)) add('I2:method-not-allowed-forwarded', `${r.method} is not allowed on ${block.path}`);
  // A copy or rename reaching the store at all is a write of the viewer's choice of source, or —
  // its header dropped — an empty PutObject over the key: neither is the operation asked for.
  const source = (r.method === 'PUT' || r.method === 'POST') && r.headers.find((h) => SOURCE_HEADERS.has(h.name.toLowerCase()));
  if (source) add('I2:copy-became-write', `viewer ${r.method} with ${source.name}`);
  // Encryption or a lock asked for on a write: no block here forwards those headers or encrypts on
  // its own, so a write that reached the store stored the object without what the viewer asked for.
  // SSE-S3 (AES256) alone is forwarded as asked: what reached the store is what was asked for.
  // A field value's leading and trailing spaces and tabs are not part of it (RFC 9110 §5.5).
  const sseS3Only = r.headers.filter((h) => PROTECTION.test(h.name)).every((h) => h.name.toLowerCase() === 'x-amz-server-side-encryption' && h.value.replace(/^[ \t]+|[ \t]+$/g, '') === 'AES256');
  const asked = (r.method === 'PUT' || r.method === 'POST') && r.headers.find((h) => PROTECTION.test(h.name));
  const storeSse = o.headers['x-amz-server-side-encryption'];
  if (asked && (!sseS3Only || storeSse !== 'AES256')) add('I2:protection-dropped', `viewer ${r.method} with ${asked.name}; the store got x-amz-server-side-encryption ${JSON.stringify(storeSse)}`);
  // A site block lists a folder (for its listing, or appendSlash's probe): a bucket-level GET whose
  // query is ListObjectsV2's and whose prefix stays under keyPrefix — still a read, in the block.
  // A listObjects block's root is also a listing: ListObjectsV2 or ListObjects (no list-type), still bucket-level and in the block.
  const listing = !WRITE.has(r.method) && o.method === 'GET' && ((!!block.site && /(^|&)list-type=2(&|$)/.test(oQuery)) || (!!block.listObjects && routed.rest === '' && /(^|&)prefix=/.test(oQuery)));
  if (listing) {
    checkListRequest(block, oPath, oQuery, o, add);
    return v;
  }
  const presigned = block.mode !== 'header'; // query mode, or the URL a redirect hands the viewer
  if (block.mediastore && (o.method === 'GET' || o.method === 'HEAD') && oPath === '/') {
    const params = parseQuery(oQuery);
    if (!params) add('I2:unparsable-upstream-query', 'the origin could not parse the query');
    else {
      checkMediaStoreListing(r, block, routed.rest, params.filter((p) => !AUTH_PARAM_NAMES.has(p.key.toLowerCase())), vQuery, o, add);
      checkCredentials(r, block, o, params, auth, presigned, add);
    }
    flagViewerValues(o, rendered, add);
    return v;
  }
  // A cached block fills a HEAD with a GET (the body is kept for the next viewer): still a read of the key.
  if (o.method !== r.method && !(block.cache && r.method === 'HEAD' && o.method === 'GET')) add('I2:method-changed', `viewer ${r.method}`);

  // I1: the bucket and key the origin resolved, against the block's.
  const where = targetOf(o, oPath, 'path', add, store);
  if (!where) return v;
  if (where.bucket !== block.bucket) add('I1:other-bucket', `bucket ${String(where.bucket)} instead of ${block.bucket}`);
  if (where.key === undefined) add('I1:bucket-level-request', 'no object key');
  else if (!where.key.startsWith(block.keyPrefix)) add('I1:outside-key-prefix', `key ${JSON.stringify(where.key.slice(0, 80))} outside ${block.keyPrefix}`);
  else {
    // A nested block's keys only through that block: the parent reached them by another spelling of its prefix.
    const nested = BLOCKS.find((n) => n !== block && n.path.startsWith(block.path) && n.bucket === block.bucket && where.key!.startsWith(n.keyPrefix));
    if (nested) add('I1:nested-block-bypassed', `key ${JSON.stringify(where.key.slice(0, 80))} of ${nested.path} through ${block.path}`);
  }
  const expected = keyOf(routed.rest, block.keyPrefix);
  // A site read may read what the site's rules name instead: the folder's index document, the SPA
  // fallback, the 404 page — each under keyPrefix (checked above), none the viewer's choice of key.
  const siteKey = !!block.site && where.key !== undefined && siteKeys(block, routed.rest, expected).has(where.key);
  if (siteKey) {
    // the site's own object: neither refusable nor another key than the rules name
  } else if ('refuse' in expected) add('I1:refusable-key-forwarded', `${expected.refuse}: ${JSON.stringify(routed.rest.slice(0, 80))}`);
  else if (where.key !== undefined && where.key !== expected.key) add('I2:wrong-key', `key ${JSON.stringify(where.key.slice(0, 80))} instead of ${JSON.stringify(expected.key.slice(0, 80))}`);

  // I2: the operation, from the method and the query the origin parsed.
  const oParams = parseQuery(oQuery);
  if (!oParams) {
    add('I2:unparsable-upstream-query', 'the origin could not parse the query');
    return v;
  }
  const vParams = viewerParams(vQuery);
  // ListParts (GET ?uploadId) reads the parts of an upload of this key: only on blocks that write.
  const writes = block.methods.includes('PUT') || block.methods.includes('POST');
  // MediaStore's object operations take no parameter: any forwarded one ran another operation than the viewer's.
  const opAllowed = block.mediastore ? new Set<string>() : o.method === 'GET' && writes ? new Set([...OP_PARAMS.GET!, 'uploadId']) : (OP_PARAMS[o.method] ?? new Set<string>());
  // A cached block's key.query names other renderings of the object: forwarded on its reads.
  const allowed = block.cache && !WRITE.has(r.method) ? new Set([...opAllowed, ...block.cache.keyQuery]) : opAllowed;
  const opParams = oParams.filter((p) => !(presigned && auth.query.includes(p.key)));
  for (const p of opParams) {
    if (AUTH_PARAM_NAMES.has(p.key.toLowerCase())) continue; // I3's
    if (!allowed.has(p.key)) add(`I2:forwarded-param(${family(p)} on ${o.method})`, `${p.key} on ${o.method}`);
    else if (!vParams.some((q) => q.decodable && q.key === p.key && q.value === p.value)) add('I2:param-not-from-viewer', `${p.key}=${JSON.stringify(p.value)}`);
  }
  // The same parameter twice with different values: which one the store uses is anyone's guess.
  for (const k of new Set(opParams.map((p) => p.key))) if (new Set(opParams.filter((p) => p.key === k).map((p) => p.value)).size > 1) add('I2:ambiguous-param', k);
  const has = (k: string): boolean => opParams.some((p) => p.key === k);
  if (o.method === 'PUT' && has('uploadId') !== has('partNumber')) add('I2:multipart-shape', 'PUT with only one of uploadId and partNumber');
  if (o.method === 'POST' && has('uploads') === has('uploadId')) add('I2:post-not-multipart', 'POST without exactly one of uploads and uploadId');
  if (WRITE.has(r.method)) {
    // "never silently stripped on a write": a parameter the write did not carry is a refusal.
    for (const q of vParams) {
      if (q.decodable && q.key === 'x-id' && SDK_OPERATION_IDS[r.method]?.has(q.value)) continue;
      if (!(q.decodable && opParams.some((p) => p.key === q.key && p.value === q.value))) add(`I2:write-param-dropped(${family(q)})`, `viewer ${q.key}${q.decodable ? `=${JSON.stringify(q.value)}` : ' (undecodable)'} on ${r.method}`);
    }
  } else {
    // A read for a version reads a version the viewer named, or nothing: versionId is never dropped.
    const asked = vParams.filter((q) => q.key === 'versionId');
    const sent = opParams.filter((p) => p.key === 'versionId');
    // The fallback and the error page are other objects: the viewer's version is not theirs.
    const chosenBySite = siteKey && where.key !== ('key' in expected ? expected.key : undefined) && !where.key!.endsWith(`/${SITE.index}`) && where.key !== block.keyPrefix + SITE.index;
    if (asked.length > 0 && sent.length === 0 && !chosenBySite) add('I2:versionId-dropped', `viewer asked ${asked.map((q) => `${q.rawKey}=${q.decodable ? JSON.stringify(q.value) : '(undecodable)'}`).join(', ')}`);
  }

  checkViewerFraming(r, block, o, add);

  checkCredentials(r, block, o, oParams, auth, presigned, add);
  flagViewerValues(o, rendered, add);
  return v;
}
