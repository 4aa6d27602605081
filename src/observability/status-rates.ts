/**
 * Request rates for the status page: each look at the page adds a sample of the per-block request
 * totals (at most one a second), and the rate is the change since the oldest sample kept (up to a
 * minute back). No timer: an admin listener nobody looks at does no work.
 */
export class RateWindow {
  readonly #samples: Array<{ atMs: number; totals: ReadonlyMap<string, number> }> = [];

  constructor(private readonly windowMs = 60_000) {}

  /** Adds `totals` taken at `atMs`; returns per-key rates per second and the seconds they cover (0: none yet). */
  observe(atMs: number, totals: ReadonlyMap<string, number>): { rates: Map<string, number>; seconds: number } {
    const last = this.#samples.at(-1);
    if (!last || atMs - last.atMs >= 1000) this.#samples.push({ atMs, totals });
    while (this.#samples.length > 2 && atMs - this.#samples[1]!.atMs >= this.windowMs) this.#samples.shift();
    const first = this.#samples[0]!;
    const seconds = (atMs - first.atMs) / 1000;
    const rates = new Map<string, number>();
    if (seconds < 1) return { rates, seconds: 0 };
    // A counter that went down was reset (a worker restarted): count from zero, as rate() does.
    for (const [k, v] of totals) {
      const before = first.totals.get(k) ?? 0;
      rates.set(k, (v >= before ? v - before : v) / seconds);
    }
    return { rates, seconds };
  }
}
