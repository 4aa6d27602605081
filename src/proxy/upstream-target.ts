import { SIGNED_URL_PARAMS } from '../access/access-check.js';
import type { ResolvedBlock } from '../config/types.js';
import type { ErrorCode } from '../errors.js';
import type { UpstreamTarget } from '../http/upstream-target.js';
import { uriEncode, uriEncodePath } from '../signing/uri-encode.js';
import { decodeObjectKey } from './object-key.js';
import { listQuery, MEDIASTORE_LIST_PARAMS, upstreamQuery } from './upstream-query.js';

export type TargetResult = UpstreamTarget | { readonly error: ErrorCode; readonly detail: string };

const NONE: ReadonlySet<string> = new Set();

/**
 * The upstream path and query for one request: the block's base path and the canonical encoding
 * of `keyPrefix + key` (so the bytes sent are the bytes signed), the query as the method's table
 * allows it (upstream-query.ts), or — a GET on a folder of a MediaStore block — a ListItems
 * request for that folder.
 */
export function upstreamTarget(block: ResolvedBlock, method: string, rest: string, rawQuery: string): TargetResult {
  const listing = block.type === 'mediastore' && (method === 'GET' || method === 'HEAD') && (rest === '' || rest.endsWith('/'));
  if (listing) {
    const folder = rest === '' ? { key: block.keyPrefix } : decodeObjectKey(rest, block.keyPrefix);
    if ('error' in folder) return folder;
    const query = listQuery(rawQuery, MEDIASTORE_LIST_PARAMS);
    if ('error' in query) return { error: 'OS_ERR_BAD_REQUEST', detail: query.error };
    const path = folder.key.replace(/\/+$/, '');
    const params = [...(path === '' ? [] : [`Path=${uriEncode(path)}`]), ...(query.query === '' ? [] : [query.query])].sort();
    return { path: '/', query: params.join('&') };
  }
  const key = decodeObjectKey(rest, block.keyPrefix);
  if ('error' in key) return key;
  const writes = block.methods.includes('PUT') || block.methods.includes('POST');
  const query = upstreamQuery(method, rawQuery, block.access?.signedUrls ? SIGNED_URL_PARAMS : NONE, writes, block.readQuery, block.type);
  if ('error' in query) return { error: query.refused ? 'OS_ERR_SUBRESOURCE_REFUSED' : 'OS_ERR_BAD_REQUEST', detail: query.error };
  return { path: `${block.basePath}${uriEncodePath(key.key)}`, query: query.query };
}
