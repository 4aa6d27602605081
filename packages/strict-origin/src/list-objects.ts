/**
 * ListObjectsV2 (and the older ListObjects) over a sorted key list.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
 *
 *  - keys come in UTF-8 binary order;
 *  - with a delimiter, keys sharing `prefix + … + delimiter` roll up into one
 *    CommonPrefixes entry, which counts once against max-keys;
 *  - max-keys defaults to (and is capped at) 1000;
 *  - the continuation token is opaque to clients; here it is the last key or
 *    common prefix returned, base64url-encoded;
 *  - encoding-type=url encodes Key, Prefix, Delimiter, StartAfter and
 *    CommonPrefixes/Prefix. SDKs decode these with a form decoder
 *    (botocore: `unquote_plus`), so spaces are written as `+`; here
 *    `A-Za-z0-9-_.~/` are kept and every other byte is `%XX`.
 */
import { isoDate } from './dates.js';
import type { QueryParam } from './query.js';
import { queryGet } from './query.js';
import { invalidArgument, xmlEscape } from './s3-errors.js';
import { compareUtf8, type ObjectMeta } from './store.js';

export interface ListParams {
  prefix: string;
  delimiter: string;
  maxKeys: number;
  /** Start strictly after this key/common prefix (decoded token, start-after or marker). */
  after: string | undefined;
  encodingUrl: boolean;
}

export interface ListEntry {
  contents: ObjectMeta[];
  commonPrefixes: string[];
  isTruncated: boolean;
  /** Last key or common prefix returned (for the next token / NextMarker). */
  last: string | undefined;
}

export const MAX_KEYS = 1000;

export function encodeToken(last: string): string {
  return Buffer.from('v1:' + last, 'utf8').toString('base64url');
}

export function decodeToken(token: string): string {
  const raw = /^[A-Za-z0-9_-]+$/.test(token) ? Buffer.from(token, 'base64url').toString('utf8') : '';
  if (!raw.startsWith('v1:')) throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', token);
  return raw.slice(3);
}

/** `encoding-type=url` encoding (see the module comment). */
export function urlEncodeListValue(s: string): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const ch = String.fromCharCode(byte);
    if (byte === 0x20) out += '+';
    else if (byte < 0x80 && /[A-Za-z0-9\-_.~/]/.test(ch)) out += ch;
    else out += '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

function parseMaxKeys(v: string | undefined): number {
  if (v === undefined) return MAX_KEYS;
  if (!/^\d{1,10}$/.test(v) || Number(v) > 2147483647) {
    throw invalidArgument('Provided max-keys not an integer or within integer range', 'max-keys', v);
  }
  return Math.min(Number(v), MAX_KEYS);
}

function parseEncoding(v: string | undefined): boolean {
  if (v === undefined) return false;
  if (v !== 'url') throw invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', v);
  return true;
}

export interface ListV2Request extends ListParams {
  continuationToken: string | undefined;
  startAfter: string | undefined;
  fetchOwner: boolean;
}

export function parseListV2(params: readonly QueryParam[]): ListV2Request {
  const continuationToken = queryGet(params, 'continuation-token');
  const startAfter = queryGet(params, 'start-after');
  return {
    prefix: queryGet(params, 'prefix') ?? '',
    delimiter: queryGet(params, 'delimiter') ?? '',
    maxKeys: parseMaxKeys(queryGet(params, 'max-keys')),
    encodingUrl: parseEncoding(queryGet(params, 'encoding-type')),
    continuationToken,
    startAfter,
    fetchOwner: queryGet(params, 'fetch-owner') === 'true',
    // A continuation token takes precedence over start-after.
    after: continuationToken !== undefined ? decodeToken(continuationToken) : startAfter || undefined,
  };
}

export interface ListV1Request extends ListParams {
  marker: string | undefined;
}

export function parseListV1(params: readonly QueryParam[]): ListV1Request {
  const marker = queryGet(params, 'marker');
  return {
    prefix: queryGet(params, 'prefix') ?? '',
    delimiter: queryGet(params, 'delimiter') ?? '',
    maxKeys: parseMaxKeys(queryGet(params, 'max-keys')),
    encodingUrl: parseEncoding(queryGet(params, 'encoding-type')),
    marker,
    after: marker || undefined,
  };
}

/** The core listing walk over keys sorted in UTF-8 binary order. */
export function listKeys(sorted: readonly ObjectMeta[], p: ListParams): ListEntry {
  const contents: ObjectMeta[] = [];
  const commonPrefixes: string[] = [];
  let last: string | undefined;
  let isTruncated = false;
  let count = 0;
  for (const obj of sorted) {
    const key = obj.key;
    if (p.after !== undefined && compareUtf8(key, p.after) <= 0) continue;
    if (!key.startsWith(p.prefix)) continue;
    let item: { cp: string } | { obj: ObjectMeta } = { obj };
    if (p.delimiter !== '') {
      const idx = key.indexOf(p.delimiter, p.prefix.length);
      if (idx >= 0) {
        const cp = key.slice(0, idx + p.delimiter.length);
        // Already returned (or resumed after) this common prefix.
        if (cp === last || cp === p.after) continue;
        item = { cp };
      }
    }
    if (count >= p.maxKeys) {
      isTruncated = p.maxKeys > 0;
      break;
    }
    count++;
    if ('cp' in item) {
      commonPrefixes.push(item.cp);
      last = item.cp;
    } else {
      contents.push(item.obj);
      last = item.obj.key;
    }
  }
  return { contents, commonPrefixes, isTruncated, last };
}

const el = (name: string, value: string): string => `<${name}>${xmlEscape(value)}</${name}>`;

function contentsXml(list: ListEntry, enc: (s: string) => string, owner: boolean): string {
  let out = '';
  for (const o of list.contents) {
    out +=
      '<Contents>' +
      el('Key', enc(o.key)) +
      el('LastModified', isoDate(o.lastModified)) +
      el('ETag', o.etag) +
      el('Size', String(o.size)) +
      (owner ? '<Owner><ID>strict-origin</ID><DisplayName>strict-origin</DisplayName></Owner>' : '') +
      el('StorageClass', 'STANDARD') +
      '</Contents>';
  }
  for (const cp of list.commonPrefixes) out += `<CommonPrefixes>${el('Prefix', enc(cp))}</CommonPrefixes>`;
  return out;
}

export function listV2Xml(bucket: string, r: ListV2Request, list: ListEntry): string {
  const enc = r.encodingUrl ? urlEncodeListValue : (s: string): string => s;
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
    el('Name', bucket) +
    el('Prefix', enc(r.prefix)) +
    (r.delimiter !== '' ? el('Delimiter', enc(r.delimiter)) : '') +
    el('MaxKeys', String(r.maxKeys)) +
    (r.encodingUrl ? el('EncodingType', 'url') : '') +
    el('KeyCount', String(list.contents.length + list.commonPrefixes.length)) +
    el('IsTruncated', String(list.isTruncated)) +
    (r.continuationToken !== undefined ? el('ContinuationToken', r.continuationToken) : '') +
    (list.isTruncated && list.last !== undefined ? el('NextContinuationToken', encodeToken(list.last)) : '') +
    (r.startAfter !== undefined ? el('StartAfter', enc(r.startAfter)) : '') +
    contentsXml(list, enc, r.fetchOwner) +
    '</ListBucketResult>'
  );
}

export function listV1Xml(bucket: string, r: ListV1Request, list: ListEntry): string {
  const enc = r.encodingUrl ? urlEncodeListValue : (s: string): string => s;
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
    el('Name', bucket) +
    el('Prefix', enc(r.prefix)) +
    el('Marker', enc(r.marker ?? '')) +
    // S3 returns NextMarker only when a delimiter was given.
    (list.isTruncated && r.delimiter !== '' && list.last !== undefined ? el('NextMarker', enc(list.last)) : '') +
    el('MaxKeys', String(r.maxKeys)) +
    (r.delimiter !== '' ? el('Delimiter', enc(r.delimiter)) : '') +
    (r.encodingUrl ? el('EncodingType', 'url') : '') +
    el('IsTruncated', String(list.isTruncated)) +
    contentsXml(list, enc, true) +
    '</ListBucketResult>'
  );
}

