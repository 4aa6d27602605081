import { compareKeys, decodeListValue, laterKey, listBucketResult } from '../list-xml.js';
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

/** One entry of a store's page in the block: a key (with the fields shown of it) or a common prefix, relative to keyPrefix. */
export interface PageEntry {
  readonly rel: string;
  readonly prefix: boolean;
  readonly fields?: Readonly<Record<string, unknown>>;
}

/** What of a store's page a viewer may be shown. */
export interface StorePage {
  /** The entries before the first hidden one, Contents then CommonPrefixes as the store wrote them. */
  readonly entries: readonly PageEntry[];
  /** The first entry a nested block hides, in S3's order: the page was cut there. */
  readonly hiddenAt: string | undefined;
  /** The store said there is more. */
  readonly truncated: boolean;
}

/**
 * The store's answer (asked with `encoding-type=url`, keys under keyPrefix) → the entries a viewer
 * may see, relative to keyPrefix. Left out: a key the store lists outside keyPrefix (a broken
 * store), keyPrefix's own folder marker (no key in the block), and — from the first entry a nested
 * block serves (`hidden`: key prefixes relative to keyPrefix, router.ts nestedPrefixes) on — the
 * rest of the page: what follows a hidden name on the store's page, and whether its page was full,
 * depend on how many names the nested block holds and what they are (a delimiter collapsing some
 * of them, say). The listing goes on past the hidden prefix with another request (answer-list.ts).
 */
export function readStorePage(storeXml: string, keyPrefix: string, hidden: readonly string[] = []): StorePage {
  const r = listBucketResult(storeXml);
  if (!r) throw new Error('the store answered a listing with something else than a ListBucketResult');
  const all: PageEntry[] = [];
  const inBlock = (full: string): string | undefined => (!full.startsWith(keyPrefix) || full === keyPrefix ? undefined : full.slice(keyPrefix.length));
  for (const c of (r.Contents as Array<Record<string, unknown>> | undefined) ?? []) {
    const rel = inBlock(decodeListValue(c.Key));
    if (rel !== undefined) all.push({ rel, prefix: false, fields: c });
  }
  for (const cp of (r.CommonPrefixes as Array<{ Prefix?: unknown }> | undefined) ?? []) {
    const rel = inBlock(decodeListValue(cp.Prefix));
    if (rel !== undefined) all.push({ rel, prefix: true });
  }
  let hiddenAt: string | undefined;
  for (const e of all) if (hidden.some((h) => e.rel.startsWith(h)) && (hiddenAt === undefined || compareKeys(e.rel, hiddenAt) < 0)) hiddenAt = e.rel;
  const entries = hiddenAt === undefined ? all : all.filter((e) => compareKeys(e.rel, hiddenAt!) < 0);
  return { entries, hiddenAt, truncated: String(r.IsTruncated) === 'true' };
}

/** Where a listing cut at a hidden entry goes on: past that entry's hidden prefix. */
export const pastHiddenEntry = (at: string, hidden: readonly string[]): ResumePoint => pastHidden({ after: at, past: true }, hidden);

/** A viewer's listing answered from one store page (readStorePage, then listResultXml). */
export function viewerListXml(storeXml: string, ask: ListAsk, keyPrefix: string, name: string, hidden: readonly string[] = []): string {
  const page = readStorePage(storeXml, keyPrefix, hidden);
  const cut = page.hiddenAt === undefined ? undefined : pastHiddenEntry(page.hiddenAt, hidden);
  return listResultXml(page.entries, page.truncated || cut !== undefined, ask, name, hidden, cut);
}

/**
 * The viewer's ListBucketResult, as S3 would answer a bucket holding only the block: `entries`
 * (readStorePage's, of one or more store pages) without keyPrefix, in the encoding the viewer asked
 * for; the bucket's name is the block's. A truncated page goes on after its last entry, or from
 * `resume` when given (past the hidden prefix it was cut at; where its last store request started).
 */
export function listResultXml(entries: readonly PageEntry[], truncated: boolean, ask: ListAsk, name: string, hidden: readonly string[] = [], resume?: ResumePoint): string {
  const enc = ask.encodingUrl ? encodeListValue : (s: string): string => s;
  // The page's last entry, in S3's order (UTF-8 bytes): where ListObjects goes on.
  let last: string | undefined;
  let lastIsPrefix = false;
  let contents = '';
  let prefixes = '';
  for (const e of entries) {
    const later = laterKey(e.rel, last);
    if (later !== last) lastIsPrefix = e.prefix;
    last = later;
    if (e.prefix) {
      prefixes += `<CommonPrefixes>${el('Prefix', enc(e.rel))}</CommonPrefixes>`;
      continue;
    }
    contents += `<Contents>${el('Key', enc(e.rel))}`;
    for (const f of CONTENT_FIELDS) {
      const v = e.fields?.[f];
      const values = v === undefined ? [] : Array.isArray(v) ? (v as unknown[]) : [v];
      for (const one of values) contents += el(f, String(one));
    }
    contents += '</Contents>';
  }
  contents += prefixes;
  const count = entries.length;
  const next = !truncated ? undefined : (resume ?? resumeAfter(last, lastIsPrefix, ask.version, hidden));
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
