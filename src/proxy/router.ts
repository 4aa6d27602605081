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
 * prefix cannot reach a block by another spelling. A block with `hosts` serves only those Host
 * names; among blocks with the same path, one that names the host wins over one that serves any.
 */
export function createRouter(blocks: readonly ResolvedBlock[]): Router {
  const ordered = [...blocks].sort((a, b) => b.path.length - a.path.length || Number(b.hosts !== undefined) - Number(a.hosts !== undefined));
  return (rawPath, host) => {
    for (const block of ordered) {
      if (block.hosts && (host === undefined || !block.hosts.some((p) => hostMatches(p, host)))) continue;
      if (rawPath.startsWith(block.path)) return { block, rest: rawPath.slice(block.path.length) };
    }
    return undefined;
  };
}
