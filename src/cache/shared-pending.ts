/** At most this many invalidations are remembered while the shared tier is away; past it, all of it is purged on return. */
const MAX_PENDING = 10_000;

/**
 * Writes and purges made while the shared tier could not be reached: its entries for those
 * objects must not be served once it is back (another replica would read the old object), so
 * they are replayed when it reconnects. Too many to remember: the whole tier is purged instead.
 */
export class PendingDrops {
  #drops = new Map<string, readonly ['inv' | 'purge', string]>();
  #overflow = false;

  add(kind: 'inv' | 'purge', key: string): void {
    if (this.#overflow) return;
    if (this.#drops.size >= MAX_PENDING) {
      this.#overflow = true;
      this.#drops.clear();
      return;
    }
    this.#drops.set(`${kind}\n${key}`, [kind, key]);
  }

  /** What to replay (and forget): the drops, 'all', or undefined for nothing. */
  take(): Array<readonly ['inv' | 'purge', string]> | 'all' | undefined {
    if (this.#overflow) {
      this.#overflow = false;
      return 'all';
    }
    if (this.#drops.size === 0) return undefined;
    const out = [...this.#drops.values()];
    this.#drops.clear();
    return out;
  }
}
