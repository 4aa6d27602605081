import type { ResolvedBlock, ResolvedConfig } from '../config/types.js';
import { hostMatches, hostOf } from '../http/host-pattern.js';

/** The cached blocks a purge names, or why it names none. */
export type PurgeTarget = { readonly blocks: readonly ResolvedBlock[] } | { readonly error: string };

/**
 * Blocks may share a path when `hosts` tells them apart (README "Hosts"), so a path alone may name
 * several. With `host`, the block the router would serve that Host from (one naming it, else one
 * without `hosts`); without it, every cached block at the path.
 */
export function purgeTarget(config: ResolvedConfig, path: string, host: string | undefined): PurgeTarget {
  const samePath = config.proxies.filter((b) => b.path === path);
  const cached = samePath.filter((b) => b.cache);
  const shown = path.slice(0, 200);
  if (host === undefined) return cached.length ? { blocks: cached } : { error: `no block with cache: at ${shown}` };
  const h = hostOf(host);
  const block = h === undefined ? undefined : (samePath.find((b) => b.hosts?.some((p) => hostMatches(p, h))) ?? samePath.find((b) => !b.hosts));
  if (!block?.cache) return { error: `no block with cache: at ${shown} for host ${host.slice(0, 200)}` };
  return { blocks: [block] };
}
