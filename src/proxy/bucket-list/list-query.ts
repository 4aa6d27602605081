import { SIGNED_URL_PARAMS } from '../../access/access-check.js';
import type { ResolvedBlock } from '../../config/types.js';
import type { ErrorCode } from '../../errors.js';
import type { UpstreamTarget } from '../../http/upstream-target.js';
import { decodeForm } from '../../http/form-decode.js';
import { listingOperationIdVerdict } from '../sdk-operation-id.js';
import { canonicalQuery, SUBRESOURCES } from '../upstream-query.js';
import { resumeOf, storeStartAfter, type ResumePoint } from './list-token.js';

/** What a viewer's ListObjectsV2 / ListObjects asks for, keys relative to the block (README "Listing a block like a bucket"). */
export interface ListAsk {
  readonly version: 1 | 2;
  readonly prefix: string;
  readonly delimiter: string | undefined;
  readonly maxKeys: number;
  /** The viewer asked for `encoding-type=url`: its answer's keys come encoded. */
  readonly encodingUrl: boolean;
  readonly startAfter: string | undefined;
  readonly continuationToken: string | undefined;
  readonly marker: string | undefined;
}

export type ListPlan = { readonly ask: ListAsk; readonly target: UpstreamTarget } | { readonly error: ErrorCode; readonly detail: string };

/** S3 answers at most 1,000 keys a page, and so does the proxy. */
const MAX_KEYS = 1000;

/** The parameters of ListObjectsV2 and ListObjects forwarded; `fetch-owner` is dropped with the rest (the store's owner ids are not the viewer's business). */
export const LIST_PARAMS: ReadonlySet<string> = new Set(['list-type', 'prefix', 'delimiter', 'max-keys', 'encoding-type', 'start-after', 'continuation-token', 'marker']);

/** The query names one of S3's list parameters (as sent, undecoded): on a site block's root, a listing rather than the index document. */
export const namesListing = (rawQuery: string): boolean => rawQuery.split('&').some((part) => LIST_PARAMS.has(part.split('=', 1)[0]!));

const refused = (detail: string): ListPlan => ({ error: 'OS_ERR_SUBRESOURCE_REFUSED', detail });
const bad = (detail: string): ListPlan => ({ error: 'OS_ERR_BAD_REQUEST', detail });

/** The viewer's list parameters, decoded (form encoding); anything else S3 would read as another operation is refused. */
function readParams(block: ResolvedBlock, rawQuery: string): Map<string, string> | ListPlan {
  const params = new Map<string, string>();
  const consumed = block.access?.signedUrls ? SIGNED_URL_PARAMS : undefined;
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    let name: string;
    let value: string;
    try {
      name = decodeForm(eq === -1 ? part : part.slice(0, eq));
      value = eq === -1 ? '' : decodeForm(part.slice(eq + 1));
    } catch {
      return bad('a query parameter has invalid percent-encoding');
    }
    if (name === 'x-id') {
      if (listingOperationIdVerdict(value) === 'refuse') return refused(`x-id=${value.slice(0, 64)} names another operation than a listing`);
      continue;
    }
    if (LIST_PARAMS.has(name)) {
      if (params.has(name)) return refused(`the query parameter "${name}" is given twice`);
      params.set(name, value);
    } else if (SUBRESOURCES.has(name) && !consumed?.has(name)) {
      // ?versions, ?uploads, ?location, ?acl …: another bucket operation, not served.
      return refused(`the query parameter "${name.slice(0, 64)}" names a bucket operation other than a listing`);
    }
    // Anything else (a cache-buster, fetch-owner, a signed URL's own parameters) is dropped.
  }
  return params;
}

/**
 * A viewer's listing of the block → the store's listing of `keyPrefix + prefix`: nothing above
 * keyPrefix is asked for, start-after and marker are moved under it too, and the store is asked
 * for `encoding-type=url` whatever the viewer said (a key with a control character cannot be
 * written in XML otherwise). The continuation token is the proxy's own (list-token.ts): the store
 * is asked to start after the key it names. Where the listing starts is moved past any prefix a
 * nested block serves (`hidden`, relative to keyPrefix).
 */
export function planList(block: ResolvedBlock, rawQuery: string, hidden: readonly string[] = []): ListPlan {
  const p = readParams(block, rawQuery);
  if (!(p instanceof Map)) return p;
  const listType = p.get('list-type');
  if (listType !== undefined && listType !== '2') return bad(`list-type=${listType.slice(0, 16)} is not a listing S3 has (2, or none for ListObjects)`);
  const version = listType === '2' ? 2 : 1;
  const encoding = p.get('encoding-type');
  if (encoding !== undefined && encoding !== 'url') return bad('encoding-type can only be url');
  const max = p.get('max-keys');
  if (max !== undefined && !/^\d{1,9}$/.test(max)) return bad('max-keys is not a whole number');
  // eslint-disable-next-line no-control-regex
  if ([...p.values()].some((v) => /[\u0000-\u001f\u007f]/.test(v))) return bad('a listing parameter has a control character in its value');
  const token = version === 2 ? p.get('continuation-token') || undefined : undefined;
  const resume = token === undefined ? undefined : resumeOf(token);
  if (token !== undefined && resume === undefined) return bad('the continuation-token is not one this proxy gave');
  const ask: ListAsk = {
    version,
    prefix: p.get('prefix') ?? '',
    delimiter: p.get('delimiter') || undefined,
    maxKeys: Math.min(MAX_KEYS, max === undefined ? MAX_KEYS : Number(max)),
    encodingUrl: encoding === 'url',
    startAfter: version === 2 ? p.get('start-after') || undefined : undefined,
    continuationToken: token,
    marker: version === 1 ? p.get('marker') || undefined : undefined,
  };
  // A token goes on where its page ended, whatever start-after says (S3: the token wins).
  const v2From = resume ?? (ask.startAfter === undefined ? undefined : { after: ask.startAfter, past: false });
  const from = version === 2 ? v2From : ask.marker === undefined ? undefined : { after: ask.marker, past: false };
  return { ask, target: storeListTarget(block, ask, from, ask.maxKeys, hidden) };
}

/**
 * The store's listing for `ask`, of at most `maxKeys`, starting after `from` (relative to the
 * block: ListObjectsV2's start-after, ListObjects' marker), moved under keyPrefix and past hidden
 * prefixes.
 */
export function storeListTarget(block: ResolvedBlock, ask: ListAsk, from: ResumePoint | undefined, maxKeys: number, hidden: readonly string[]): UpstreamTarget {
  const params: Array<[string, string]> = [
    ['encoding-type', 'url'],
    ['max-keys', String(maxKeys)],
    ['prefix', block.keyPrefix + ask.prefix],
  ];
  if (ask.delimiter !== undefined) params.push(['delimiter', ask.delimiter]);
  if (ask.version === 2) params.push(['list-type', '2']);
  if (from !== undefined) params.push([ask.version === 2 ? 'start-after' : 'marker', storeStartAfter(from, block.keyPrefix, hidden)]);
  return { path: block.basePath, query: canonicalQuery(params) };
}
