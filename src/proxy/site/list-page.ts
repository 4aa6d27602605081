import type { ResolvedBlock } from '../../config/types.js';
import type { UpstreamTarget } from '../../http/upstream-target.js';
import { compareKeys, decodeListValue, laterKey, listBucketResult } from '../list-xml.js';
import { canonicalQuery } from '../upstream-query.js';

/** One entry of a folder listing, its name relative to the folder. */
export type ListEntry =
  | { readonly kind: 'folder'; readonly name: string }
  | { readonly kind: 'object'; readonly name: string; readonly size: number; readonly lastModified: string; readonly etag: string };

export interface ListPage {
  readonly entries: readonly ListEntry[];
  /** The folder's own marker object (`docs/`, as the S3 console's "Create folder" makes) is on this page. */
  readonly marker: boolean;
  /** The token (V2) or marker (V1) of the next page, or undefined: the last page. */
  readonly next: string | undefined;
}

/**
 * The signed request for one page of a folder: ListObjectsV2 for SigV4(A) blocks, ListObjects (V1)
 * for SigV2 stores, always with `delimiter=/` and `encoding-type=url` (keys with control
 * characters cannot be written in XML otherwise). `prefix` is the folder's whole key, keyPrefix
 * included: nothing above it is asked for.
 */
export function listTarget(block: ResolvedBlock, prefix: string, after: string | undefined, maxKeys = 1000): UpstreamTarget {
  const params: Array<[string, string]> = [
    ['delimiter', '/'],
    ['encoding-type', 'url'],
    ['max-keys', String(maxKeys)],
    ['prefix', prefix],
  ];
  if (block.signing.version !== 'v2') {
    params.push(['list-type', '2']);
    if (after !== undefined) params.push(['continuation-token', after]);
  } else if (after !== undefined) {
    params.push(['marker', after]);
  }
  return { path: block.basePath, query: canonicalQuery(params) };
}

/** One page of ListObjectsV2 / ListObjects XML, names made relative to `prefix`. */
export function readListPage(xml: string, prefix: string): ListPage {
  const r = listBucketResult(xml);
  if (!r) throw new Error('not a ListBucketResult');
  const entries: ListEntry[] = [];
  let last: string | undefined;
  let marker = false;
  for (const cp of (r.CommonPrefixes as Array<{ Prefix?: unknown }> | undefined) ?? []) {
    const full = decodeListValue(cp.Prefix);
    last = laterKey(full, last);
    if (full.startsWith(prefix) && full.length > prefix.length) entries.push({ kind: 'folder', name: full.slice(prefix.length) });
  }
  for (const c of (r.Contents as Array<Record<string, unknown>> | undefined) ?? []) {
    const full = decodeListValue(c.Key);
    last = laterKey(full, last);
    // The folder's own marker object (`docs/`) is not an entry of it, but says the folder exists.
    if (full === prefix) marker = true;
    if (!full.startsWith(prefix) || full.length === prefix.length) continue;
    entries.push({ kind: 'object', name: full.slice(prefix.length), size: Number(c.Size ?? 0), lastModified: String(c.LastModified ?? ''), etag: String(c.ETag ?? '') });
  }
  const truncated = String(r.IsTruncated) === 'true';
  // ListObjects goes on after the page's last entry, not the store's NextMarker: Ceph RGW writes
  // that one unencoded under encoding-type=url, so a key with `+` or `%` would be read wrong.
  const next = !truncated ? undefined : r.NextContinuationToken !== undefined ? String(r.NextContinuationToken) : last;
  // S3 lists CommonPrefixes and Contents each sorted; together, in its key order: UTF-8 bytes
  // (JavaScript's < compares UTF-16 units, which puts an emoji before U+FF46, and disagrees with the page order).
  entries.sort((a, b) => compareKeys(a.name, b.name));
  return { entries, marker, next };
}
