import type { ResolvedBlock } from '../config/types.js';
import { uriEncodePath } from '../signing/uri-encode.js';

/**
 * What, besides its path and the object's upstream path, decides which bytes a block's key holds:
 * the store dialled and the Host signed (two access points behind one endpoint share the first),
 * the viewer hosts it serves (same-path blocks split by `hosts`), and the slice size (slice `i`
 * of another size is other bytes; a sliced object's entry holds no body). A reload that changes
 * any of them changes the block's keys (`retainBlocks` drops the old ones); so does a disk or
 * shared tier shared with another configuration. Computed once per block.
 */
const scopes = new WeakMap<ResolvedBlock, string>();
function scopeOf(block: ResolvedBlock): string {
  let s = scopes.get(block);
  if (s === undefined) {
    s = `${block.origin}|${block.host}|${block.hosts?.join(',') ?? '*'}|${block.cache?.sliceBytes ?? 0}|`;
    scopes.set(block, s);
  }
  return s;
}

/**
 * Cache keys: the block, its scope (above), the object's upstream path, and the forwarded query
 * parameters the block lists in `key.query` — never signatures, viewer tokens or viewer headers,
 * which the upstream path and query do not hold. A slice adds the object's ETag, so slices of two
 * versions can never be stitched together. Neither the block path nor the scope holds `?` or a
 * newline (baseOfKey relies on it).
 */
export function objectBase(block: ResolvedBlock, upstreamPath: string): string {
  return `${block.path}\n${scopeOf(block)}${upstreamPath}`;
}

/** The key of a read, or undefined when it forwards a parameter that is not part of the key (then it is not cached). */
export function cacheKeyOf(block: ResolvedBlock, upstreamPath: string, query: string, keyQuery: ReadonlySet<string>): string | undefined {
  if (query !== '') {
    for (const part of query.split('&')) {
      const eq = part.indexOf('=');
      if (!keyQuery.has(eq === -1 ? part : part.slice(0, eq))) return undefined;
    }
    return `${objectBase(block, upstreamPath)}?${query}`;
  }
  return objectBase(block, upstreamPath);
}

export const sliceKey = (objectKey: string, etag: string, index: number): string => `${objectKey}\n#${etag}#${index}`;

/** The collapse key of the request that learns a sliced object's headers and size (fetching one slice on the way). */
export const probeKey = (objectKey: string): string => `${objectKey}\n#probe`;

/** Whether `key` is the object `base` itself: any query variant or slice of it. */
export function belongsTo(key: string, base: string): boolean {
  return key.startsWith(base) && (key.length === base.length || key[base.length] === '?' || key[base.length] === '\n');
}

/** The base of every object under `prefix` (a key relative to the block, as the viewer writes it). */
export function prefixBase(block: ResolvedBlock, prefix: string): string {
  return objectBase(block, `${block.basePath}${uriEncodePath(block.keyPrefix + prefix)}`);
}

/**
 * The object base of any key (the inverse of the builders above): the key without its query and
 * slice suffix. Block paths hold neither `?` nor a newline, and upstream paths are URI-encoded, so
 * the first `?` or the second newline ends the base.
 */
export function baseOfKey(key: string): string {
  const first = key.indexOf('\n');
  if (first === -1) return key;
  let end = key.length;
  const q = key.indexOf('?', first + 1);
  if (q !== -1) end = q;
  const second = key.indexOf('\n', first + 1);
  if (second !== -1 && second < end) end = second;
  return key.slice(0, end);
}
