/**
 * What the scavenger (scavenger.ts) and the heap trim (heap-trim.ts) share: V8's `gc()`, which
 * `--expose-gc` (passed by `bin/origin-signer`) puts on globalThis, and the interval timers they
 * run on, injectable so tests drive them by hand.
 */

/** `globalThis.gc` as Node's `--expose-gc` defines it. */
export type GcFunction = (options?: { type?: 'major' | 'minor'; execution?: 'sync' | 'async' }) => void;

/**
 * A full collection run from a task of its own: `gc()` returns at once and the collection runs
 * after the current callback. It is still atomic (V8's gc extension calls PreciseCollectAllGarbage
 * from that task, src/extensions/gc-extension.cc): a pause of a few ms, ~20 ms on a 25 MiB heap
 * under load — not the incremental marking V8 uses for its own full collections.
 */
export const MAJOR_IN_TASK = { type: 'major', execution: 'async' } as const;

/** What `--expose-gc` put on globalThis, if anything. */
export const globalGc = (): unknown => (globalThis as { gc?: unknown }).gc;

/** `gc` as a GcFunction, or undefined when Node runs without `--expose-gc` (it is not a function). */
export function exposedGc(gc: unknown): GcFunction | undefined {
  return typeof gc === 'function' ? (gc as GcFunction) : undefined;
}

export interface IntervalTimers {
  readonly setInterval: (fn: () => void, ms: number) => { unref?: () => unknown };
  readonly clearInterval: (timer: never) => void;
}

export const REAL_TIMERS: IntervalTimers = {
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (t) => clearInterval(t),
};
