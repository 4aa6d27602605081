import type { Entry } from './entry.js';
import type { FleetLock, SharedTier } from './shared-tier.js';

/** How a fill goes once the shared tier was asked (README "Shield cache → Shared tier"). */
export type FleetStart =
  /** Another replica's entry, fresh: served, no request to the store. `waited`: it was filled while this replica waited. */
  | { readonly kind: 'entry'; readonly entry: Entry; readonly waited: boolean }
  /** Fetch from the store; with the lock when this replica holds it (released when the fill ends). */
  | { readonly kind: 'fetch'; readonly lock?: FleetLock };

export interface FleetFillRequest {
  readonly collapseKey: string;
  /** The entry other replicas' fills of this collapse key leave in the tier. */
  readonly sharedKey: string;
  /** Whether an entry found may be served now (fresh by the shield's clock). */
  readonly usable: (e: Entry) => boolean;
  /** A write or purge dropped the key meanwhile: fetch the new object, never serve what the tier had. */
  readonly dropped: () => boolean;
}

/**
 * Before a fill reaches the store: the tier's entry for it if another replica left a fresh one;
 * else the fleet lock (`SET NX PX`), so that of the replicas missing it at once only one fetches;
 * while another replica holds it, wait for that fill to end (or the lock to lapse) and read the
 * tier then. Whatever Redis does, this ends within lock + timeout: past that, fetch.
 */
export async function fleetStart(tier: SharedTier, r: FleetFillRequest): Promise<FleetStart> {
  const deadline = Date.now() + tier.lockMs + tier.timeoutMs;
  const watch = tier.watch(r.collapseKey);
  try {
    let look = true;
    let waited = false;
    for (;;) {
      // A dropped fill never takes the lock: the replicas waiting for it would wait for the old object.
      if (r.dropped()) return { kind: 'fetch' };
      const c = await tier.claim(r.collapseKey, r.sharedKey, look);
      if (c.kind === 'off') return { kind: 'fetch' };
      if (c.kind === 'lock') return { kind: 'fetch', lock: c.lock };
      if (c.kind === 'entry') {
        if (r.usable(c.entry) && !r.dropped()) return { kind: 'entry', entry: c.entry, waited };
        // Stale there too: this replica takes the lock and refreshes it (dropped: see the loop's top).
        look = false;
        continue;
      }
      const left = deadline - Date.now();
      if (left <= 0 || r.dropped()) return { kind: 'fetch' };
      const ended = await watch.next(Math.min(c.ms + 5, left));
      // The holder kept nothing (an error, no-store, too large to share): every waiter fetches now.
      if (ended === 'none') return { kind: 'fetch' };
      waited = true;
      look = true;
    }
  } finally {
    watch.close();
  }
}
