import type { ResolvedBlock } from '../config/types.js';
import { hostMatches } from '../http/host-pattern.js';

export interface Route {
  readonly block: ResolvedBlock;
  /** The raw (still percent-encoded) path after the block prefix. */
  readonly rest: string;
}

/** Routes a request by its Host (lower case, no port; undefined: none sent) and raw path. */
export type Router = (rawPath: string, host?: string) => Route | undefined;

/**
 * Longest configured prefix wins, so a nested block overrides its parent. Prefixes are matched
 * against the raw request path, byte for byte: `/vod/` does not match `/%76od/`, so an encoded
 * prefix cannot reach a block by another spelling (shadowingBlock refuses what would). A block with
 * `hosts` serves only those Host names; among blocks with the same path, one that names the host
 * wins over one that serves any. A block with `listObjects` is also the route of its path without
 * the slash (`/live`: the bucket as botocore names it), before any shorter prefix.
 */
export function createRouter(blocks: readonly ResolvedBlock[]): Router {
  const ordered = [...blocks].sort((a, b) => b.path.length - a.path.length || Number(b.hosts !== undefined) - Number(a.hosts !== undefined));
  const listedRoots = new Set(blocks.filter((b) => b.listObjects).map((b) => b.path.slice(0, -1)));
  const match = (rawPath: string, host?: string): Route | undefined => {
    for (const block of ordered) {
      if (block.hosts && (host === undefined || !block.hosts.some((p) => hostMatches(p, host)))) continue;
      if (rawPath.startsWith(block.path)) return { block, rest: rawPath.slice(block.path.length) };
    }
    return undefined;
  };
  return (rawPath, host) => {
    if (listedRoots.has(rawPath)) {
      const root = match(`${rawPath}/`, host);
      if (root?.block.listObjects && root.rest === '') return root;
    }
    return match(rawPath, host);
  };
}

/**
 * The block a route's path would reach once percent-decoded, when that is another (nested) block:
 * `/media/%70rivate/x` routes to `/media/` byte for byte, but names `/media/private/x`, which
 * `/media/private/` serves under its own access rules. Served by the outer block it would read
 * the nested block's objects past those rules, so forward refuses it.
 */
export function shadowingBlock(route: Router, r: Route, host?: string): ResolvedBlock | undefined {
  if (!r.rest.includes('%')) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(r.rest);
  } catch {
    return undefined; // the key check refuses it
  }
  const other = route(r.block.path + decoded, host)?.block;
  return other !== undefined && other !== r.block ? other : undefined;
}

/** Key prefixes, relative to `block`'s, that nested blocks serve instead: a listing of `block` leaves them out. */
export const nestedPrefixes = (blocks: readonly ResolvedBlock[], block: ResolvedBlock): string[] =>
  blocks.filter((b) => b !== block && b.path.startsWith(block.path)).map((b) => b.path.slice(block.path.length));
