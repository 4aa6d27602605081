/**
 * At most `limit` requests in flight on one upstream pool; the rest wait in order, each for at most
 * its own timeout. Why not undici's own queue: it has no timeout, and aborting a request that is
 * still queued there destroys the connection it is later given (undici client-h1 `abort`), so a
 * waiting request could be neither bounded nor cancelled cleanly.
 */
export class Admission {
  readonly #limit: number;
  #running = 0;
  readonly #waiting = new Set<Waiter>();

  constructor(limit: number) {
    this.#limit = limit;
  }

  get running(): number {
    return this.#running;
  }

  /** Whether a request entering now would wait. */
  get full(): boolean {
    return this.#running >= this.#limit || this.#waiting.size > 0;
  }

  get queued(): number {
    return this.#waiting.size;
  }

  /**
   * Runs `start` now if a slot is free, else when one frees within `timeoutMs`; otherwise calls
   * `expired`. The caller calls `release()` once for every `start`.
   */
  enter(timeoutMs: number, start: () => void, expired: () => void): void {
    if (!this.full) {
      this.#running++;
      start();
      return;
    }
    const w: Waiter = { start, timer: undefined };
    w.timer = setTimeout(() => {
      this.#waiting.delete(w);
      expired();
    }, timeoutMs);
    w.timer.unref();
    this.#waiting.add(w);
  }

  release(): void {
    this.#running--;
    // A Set iterates in insertion order: the longest-waiting request goes first.
    for (const w of this.#waiting) {
      if (this.#running >= this.#limit) return;
      this.#waiting.delete(w);
      clearTimeout(w.timer);
      this.#running++;
      w.start();
    }
  }
}

interface Waiter {
  readonly start: () => void;
  timer: NodeJS.Timeout | undefined;
}
