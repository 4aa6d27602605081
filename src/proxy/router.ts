import type { ResolvedBlock } from '../config/types.js';

export interface Route {
  readonly block: ResolvedBlock;
  /** The raw (still percent-encoded) path after the block prefix. */
  readonly rest: string;
}

/**
 * Longest configured prefix wins, so a nested block overrides its parent. Prefixes are matched
 * against the raw request path, byte for byte: `/vod/` does not match `/%76od/`, so an encoded
 * prefix cannot reach a block by another spelling.
 */
export function createRouter(blocks: readonly ResolvedBlock[]): (rawPath: string) => Route | undefined {
  const byLength = [...blocks].sort((a, b) => b.path.length - a.path.length);
  return (rawPath) => {
    for (const block of byLength) {
      if (rawPath.startsWith(block.path)) return { block, rest: rawPath.slice(block.path.length) };
    }
    return undefined;
  };
}
