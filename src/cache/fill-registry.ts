import type { InFlight } from './fill-outcome.js';
import type { FleetLock } from './shared-tier.js';

/** A fill as the shield tracks it: the fleet lock it holds, and its shared puts, sent when it ends. */
export interface Running extends InFlight {
  readonly sharedKey: string;
  lock: FleetLock | undefined;
  /** A shared entry under sharedKey was sent: the replicas waiting for it read it. */
  kept: boolean;
  readonly puts: Array<() => void>;
}

/**
 * One shield's fills: those a request may join, by collapse key; those detached by an invalidation
 * or a purge, still reading from the store; and those that ended and whose shared puts go out on
 * the next turn. A dropped object reaches all three.
 */
export class FillRegistry {
  readonly #joinable = new Map<string, Running>();
  readonly #detached = new Set<Running>();
  readonly #flushing = new Set<Running>();

  /** `release`: the shared tier's, for a fleet lock a fill holds. */
  constructor(private readonly release: (lock: FleetLock, kept: boolean) => void) {}

  get(collapseKey: string): Running | undefined {
    return this.#joinable.get(collapseKey);
  }

  add(run: Running): void {
    this.#joinable.set(run.collapseKey, run);
  }

  /** Fills still reading from the store, detached ones included. */
  get size(): number {
    return this.#joinable.size + this.#detached.size;
  }

  /** A fill ended: its shared puts go out, then its lock is released (Redis runs them in that order). */
  ended(run: Running): void {
    if (this.#joinable.get(run.collapseKey) === run) this.#joinable.delete(run.collapseKey);
    this.#detached.delete(run);
    this.#flushing.add(run);
    // After the callers' own reactions to the outcome (a probe keeps the object's entry there).
    setImmediate(() => {
      this.#flushing.delete(run);
      for (const put of run.puts) put();
      run.puts.length = 0;
      if (run.lock) this.release(run.lock, run.kept);
    });
  }

  /**
   * The fills of a dropped object (`dropped(collapseKey)`). One begun before stores nothing, and
   * no later request joins it: it may be bringing the old version (a viewer that saw the object
   * change would be handed it again). Nor does it share what it kept (the old object's entry), and
   * its fleet lock goes now: whoever waits for it, this replica's next fill included, fetches
   * afresh. A fill that ended this turn shares nothing either.
   */
  detach(dropped: (collapseKey: string) => boolean): void {
    for (const [key, f] of this.#joinable) {
      if (!dropped(key)) continue;
      f.noStore = true;
      this.#joinable.delete(key);
      this.#detached.add(f);
      unshare(f);
      this.releaseNow(f);
    }
    for (const f of this.#flushing) if (dropped(f.collapseKey)) unshare(f);
  }

  /** A detached fill's lock, taken or still held: it goes at once, as "nothing kept". */
  releaseNow(f: Running): void {
    if (!f.lock) return;
    this.release(f.lock, false);
    f.lock = undefined;
  }
}

/** What a fill was to share when it ends is not shared; its lock goes as "nothing kept". */
function unshare(f: Running): void {
  f.puts.length = 0;
  f.kept = false;
}
