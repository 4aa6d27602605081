import { objectBase } from '../cache/cache-key.js';
import type { EntryStore } from '../cache/entry.js';
import type { SharedOp } from '../cache/shared-health.js';
import type { SharedTier } from '../cache/shared-tier.js';
import { Shield } from '../cache/shield.js';
import type { CacheStores, ResolvedBlock, ResolvedConfig, SharedStore } from '../config/types.js';
import type { Logger } from '../log/logger.js';

export interface ShieldLifecycleDeps {
  readonly clock: () => number;
  readonly log: Logger;
  readonly onEvict: (store: 'memory' | 'disk', n?: number) => void;
  /** The shared tier's events, for metrics. */
  readonly onSharedError?: (op: SharedOp) => void;
  readonly onSharedRead?: (hit: boolean) => void;
}

/**
 * The shield for a config's stores: the one already open when its stores are unchanged (a reload
 * keeps the entries), a new one otherwise, none without `cache:`. The previous one is left open:
 * it serves until the new config is swapped in, and a reload that fails on the way keeps it
 * (the caller closes whichever it no longer uses).
 */
export async function openShield(stores: CacheStores | undefined, previous: Shield | undefined, deps: ShieldLifecycleDeps): Promise<Shield | undefined> {
  if (previous && stores && JSON.stringify(previous.stores) === JSON.stringify(stores)) return previous;
  return stores ? newShield(stores, deps) : undefined;
}

async function newShield(stores: CacheStores, deps: ShieldLifecycleDeps): Promise<Shield> {
  const disk = stores.disk ? await openDisk(stores.disk, deps) : undefined;
  const shared = stores.shared ? await openSharedTier(stores.shared, deps).catch(async (err: unknown) => {
    await disk?.close();
    throw err;
  }) : undefined;
  return new Shield(stores, { clock: deps.clock, log: deps.log, onEvict: deps.onEvict, ...(disk ? { disk } : {}), ...(shared ? { shared } : {}) });
}

/** The disk tier, loaded only when configured: a proxy without it never loads cacache. */
async function openDisk(disk: NonNullable<CacheStores['disk']>, deps: ShieldLifecycleDeps): Promise<EntryStore> {
  const { openDiskStore } = await import('../cache/disk-store.js');
  return openDiskStore({ path: disk.path, maxBytes: disk.maxBytes, log: deps.log, clock: deps.clock, onEvict: (n) => deps.onEvict('disk', n) });
}

/**
 * The shared tier (Redis), loaded only when configured: a proxy without it never loads ioredis. It
 * connects in the background: the proxy starts and serves whether or not Redis answers.
 */
async function openSharedTier(store: SharedStore, deps: ShieldLifecycleDeps): Promise<SharedTier> {
  const { SharedTier } = await import('../cache/shared-tier.js');
  return new SharedTier({ store, log: deps.log, ...(deps.onSharedError ? { onError: deps.onSharedError } : {}), ...(deps.onSharedRead ? { onRead: deps.onSharedRead } : {}) });
}

/** The block's identity in cache keys: its path and the store and prefix it reads. */
const identity = (b: ResolvedBlock): string => objectBase(b, `${b.basePath}${b.keyPrefix}`);

/** After a reload: drops the entries of blocks that are gone, stopped caching, or read elsewhere now. */
export async function retainBlocks(shield: Shield, before: ResolvedConfig, after: ResolvedConfig): Promise<void> {
  const kept = new Set(after.proxies.filter((b) => b.cache).map(identity));
  // This replica's own copies only: other replicas may still serve those blocks (a rolling update).
  for (const b of before.proxies) if (b.cache && !kept.has(identity(b))) await shield.purgePrefix(`${b.path}\n`, { local: true });
}
