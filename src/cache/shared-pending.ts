/** At most this many invalidations are remembered while the shared tier is away; past it, all of it is purged on return. */
const MAX_PENDING = 10_000;

/**
 * Writes and purges made while the shared tier could not be reached: its entries for those
 * objects must not be served once it is back (another replica would read the old object), so
 * they are replayed when it answers again ({@link DropReplay}). Too many to remember: the whole
 * tier is purged instead.
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

  /** Whether anything waits to be replayed. */
  get waiting(): boolean {
    return this.#overflow || this.#drops.size > 0;
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

/** What {@link DropReplay} needs of the tier. */
export interface ReplayTarget {
  /** Whether a drop may be sent now (connected, not set aside). */
  usable(): boolean;
  /** Whether the connection is up: when it is not, the tier's 'ready' calls replay() itself. */
  connected(): boolean;
  /** How long the tier is still set aside for. */
  setAsideMs(): number;
  /** Sends one drop; one that fails again is handed back to queue(). */
  send(kind: 'inv' | 'purge', key: string): Promise<unknown>;
  /** Sends the purge of everything, after too many drops to remember. */
  sendAll(): Promise<unknown>;
}

/**
 * The queued drops and when they are sent. A command that timed out sets the tier aside with the
 * connection still up, so 'ready' never fires again: a timer replays the drops once the set-aside
 * time is over. Until they are sent, `settled` is false: the tier may still hold the entries they
 * drop, and this replica would read back the very object it was told had changed.
 */
export class DropReplay {
  readonly #pending = new PendingDrops();
  readonly #t: ReplayTarget;
  #timer: NodeJS.Timeout | undefined;
  #replaying = false;
  #closed = false;

  constructor(t: ReplayTarget) {
    this.#t = t;
  }

  get settled(): boolean {
    return !this.#replaying && !this.#pending.waiting;
  }

  queue(kind: 'inv' | 'purge', key: string): void {
    this.#pending.add(kind, key);
    this.#schedule();
  }

  /** Sends what is queued, now if the tier is usable, else once it is. */
  async replay(): Promise<void> {
    if (this.#closed || this.#replaying) return;
    if (!this.#t.usable()) return this.#schedule();
    const drops = this.#pending.take();
    if (!drops) return;
    this.#replaying = true;
    try {
      if (drops === 'all') await this.#t.sendAll();
      else for (const [kind, k] of drops) await this.#t.send(kind, k);
    } finally {
      this.#replaying = false;
    }
    // Queued meanwhile (or sent and failed again): their turn.
    if (this.#pending.waiting) this.#schedule();
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
  }

  #schedule(): void {
    if (this.#closed || this.#timer || this.#replaying || !this.#t.connected()) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.replay();
    }, Math.max(10, this.#t.setAsideMs()));
    this.#timer.unref();
  }
}
