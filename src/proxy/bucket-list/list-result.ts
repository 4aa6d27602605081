import { decodeListValue, laterKey, listBucketResult } from '../list-xml.js';
import { escapeXml } from '../s3-error.js';
import type { ListAsk } from './list-query.js';
import { continuationToken, pastHidden, type ResumePoint } from './list-token.js';

/** `encoding-type=url` as S3 writes it and SDKs read it (botocore `unquote_plus`): `A-Za-z0-9-_.~/` kept, a space `+`, every other byte `%XX`. */
export function encodeListValue(s: string): string {
  return encodeURIComponent(s).replace(/%2F/g, '/').replace(/%20/g, '+').replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

// eslint-disable-next-line no-control-regex
const text = (s: string): string => escapeXml(s).replace(/[\u0000-\u001f\u007f]/g, (c) => `&#${c.charCodeAt(0)};`);
const el = (name: string, value: string): string => `<${name}>${text(value)}</${name}>`;

/** The fields of one stored object a viewer's listing shows; the store's `Owner` is left out. */
const CONTENT_FIELDS = ['LastModified', 'ETag', 'ChecksumAlgorithm', 'ChecksumType', 'Size', 'StorageClass'] as const;

/**
 * Where the next page starts after a page whose last entry in the block is `last`: ListObjects'
 * NextMarker, and what ListObjectsV2's token names. Not the store's NextMarker (Ceph RGW writes it
 * unencoded under encoding-type=url, where S3 encodes it) nor its token. Given on every truncated
 * page (S3 gives NextMarker only with a delimiter), so a client pages past entries left out. After
 * a hidden entry, past its hidden prefix (pastHidden): no hidden name shown. After a common prefix
 * of a V2 listing, past every key under it, or the next page would roll it up again.
 */
function resumeAfter(last: string | undefined, lastIsPrefix: boolean, version: 1 | 2, hidden: readonly string[]): ResumePoint | undefined {
  return last === undefined ? undefined : pastHidden({ after: last, past: lastIsPrefix && version === 2 }, hidden);
}

/**
 * The store's answer (asked with `encoding-type=url`, keys under keyPrefix) → the viewer's, as S3
 * would answer a bucket holding only the block: keys, prefixes and markers without keyPrefix, in
 * the encoding the viewer asked for; the bucket's name is the block's. Left out: a key the store
 * lists outside keyPrefix (a broken store), keyPrefix's own folder marker (no key in the block), and
 * what a nested block serves (`hidden`: key prefixes relative to keyPrefix, router.ts nestedPrefixes).
 */
export function viewerListXml(storeXml: string, ask: ListAsk, keyPrefix: string, name: string, hidden: readonly string[] = []): string {
  const r = listBucketResult(storeXml);
  if (!r) throw new Error('the store answered a listing with something else than a ListBucketResult');
  const enc = ask.encodingUrl ? encodeListValue : (s: string): string => s;
  // The page's last entry in the block, shown or hidden, in S3's order (UTF-8 bytes): where ListObjects goes on.
  let last: string | undefined;
  let lastIsPrefix = false;
  const inBlock = (full: string, isPrefix = false): string | undefined => {
    if (!full.startsWith(keyPrefix) || full === keyPrefix) return undefined;
    const rel = full.slice(keyPrefix.length);
    const later = laterKey(rel, last);
    if (later !== last) lastIsPrefix = isPrefix;
    last = later;
    return hidden.some((h) => rel.startsWith(h)) ? undefined : rel;
  };
  let contents = '';
  let count = 0;
  for (const c of (r.Contents as Array<Record<string, unknown>> | undefined) ?? []) {
    const key = inBlock(decodeListValue(c.Key));
    if (key === undefined) continue;
    count++;
    contents += `<Contents>${el('Key', enc(key))}`;
    for (const f of CONTENT_FIELDS) {
      const values = c[f] === undefined ? [] : Array.isArray(c[f]) ? (c[f] as unknown[]) : [c[f]];
      for (const v of values) contents += el(f, String(v));
    }
    contents += '</Contents>';
  }
  for (const cp of (r.CommonPrefixes as Array<{ Prefix?: unknown }> | undefined) ?? []) {
    const prefix = inBlock(decodeListValue(cp.Prefix), true);
    if (prefix === undefined) continue;
    count++;
    contents += `<CommonPrefixes>${el('Prefix', enc(prefix))}</CommonPrefixes>`;
  }
  const truncated = String(r.IsTruncated) === 'true';
  const next = truncated ? resumeAfter(last, lastIsPrefix, ask.version, hidden) : undefined;
  // ListObjects' marker is shown as a key: past a hidden prefix, the prefix and U+10FFFF (planList moves it past the whole prefix).
  const nextMarker = next === undefined ? undefined : next.past ? `${next.after}\u{10FFFF}` : next.after;
  const opt = (field: string, v: string | undefined): string => (v === undefined ? '' : el(field, v));
  const head =
    el('Name', name) +
    el('Prefix', enc(ask.prefix)) +
    (ask.version === 1 ? el('Marker', enc(ask.marker ?? '')) + opt('NextMarker', nextMarker === undefined ? undefined : enc(nextMarker)) : '') +
    el('MaxKeys', String(ask.maxKeys)) +
    opt('Delimiter', ask.delimiter === undefined ? undefined : enc(ask.delimiter)) +
    (ask.encodingUrl ? el('EncodingType', 'url') : '') +
    (ask.version === 2 ? el('KeyCount', String(count)) : '') +
    el('IsTruncated', String(truncated)) +
    (ask.version === 2
      ? opt('ContinuationToken', ask.continuationToken) +
        // A page of nothing in the block (keyPrefix's own folder marker) goes on after keyPrefix itself.
        opt('NextContinuationToken', truncated ? continuationToken(next ?? { after: '', past: false }) : undefined) +
        opt('StartAfter', ask.startAfter === undefined ? undefined : enc(ask.startAfter))
      : '');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${head}${contents}</ListBucketResult>`;
}
