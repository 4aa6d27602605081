/**
 * Keeps the old generation near its live size while many small requests go through.
 *
 * Why: a young generation of 2 MiB (`bin/origin-signer`) is collected ~150 times a second at
 * 10k requests/s, and each collection promotes the few KiB of request state that happen to be in
 * flight. That garbage piles up in the old generation, which V8 collects only once it has grown
 * by tens of MiB: under a steady 1 KiB load the heap went from 17 to 37 MiB in 5 s. Running a
 * full collection whenever the heap has grown `growthBytes` above the lowest size seen since the
 * last one keeps it within that margin. Measured (8 s of 1 KiB requests at 64 connections, then
 * 100 MiB downloads): peak RSS 87–91 MiB with it, 114–122 without (README "Memory").
 *
 * The cost is a pause: `gc({ execution: 'async' })` runs the collection from a task of its own,
 * but atomically (exposed-gc.ts), ~20 ms on this ~25 MiB heap under load, every few seconds.
 * Node offers no way to start V8's incremental marking. p99 at 16 connections, four interleaved
 * runs: 3.9–5.0 ms with the trim, 3.2–4.6 without — within these machines' noise; one pause
 * delays the ~16 requests in flight out of ~90 000 in a 6 s run.
 *
 * The lowest size seen is the reference, not the size at the last collection: V8's own
 * collections lower it too, and a heap whose live part grows (more connections) moves it up after
 * the next collection, so the trim never fires in a loop. Needs `--expose-gc` like the scavenger.
 */

import { exposedGc, globalGc, MAJOR_IN_TASK, REAL_TIMERS, type IntervalTimers } from './exposed-gc.js';

export interface HeapTrimDeps extends IntervalTimers {
  /** Bytes in use on the V8 heap now. */
  readonly usedHeap: () => number;
  /** Asks for a full collection (it runs from a task, after the current callback). */
  readonly collect: () => void;
  readonly intervalMs: number;
  /** Growth above the lowest size seen that starts a collection. */
  readonly growthBytes: number;
}

export interface HeapTrim {
  stop(): void;
}

/** Checks the heap every `intervalMs` (on an unref-ed timer) and starts a collection when it grew. */
export function startHeapTrim(deps: HeapTrimDeps): HeapTrim {
  let lowest = Number.POSITIVE_INFINITY;
  const timer = deps.setInterval(() => {
    const used = deps.usedHeap();
    if (used < lowest) {
      lowest = used;
    } else if (used - lowest > deps.growthBytes) {
      deps.collect();
      // Until the collection shows its result, the present size is the reference: no second
      // collection is started while this one is still marking.
      lowest = used;
    }
  }, deps.intervalMs);
  // Never keep the process alive (graceful shutdown waits for sockets, not for this).
  timer.unref?.();
  return { stop: () => deps.clearInterval(timer as never) };
}

const NOOP: HeapTrim = { stop: () => {} };

/** The heap trim of this process: one check a second, 8 MiB of growth. A no-op without `--expose-gc`. */
export function processHeapTrim(gc: unknown = globalGc(), usedHeap: () => number = defaultUsedHeap, timers: IntervalTimers = REAL_TIMERS): HeapTrim {
  const run = exposedGc(gc);
  if (!run) return NOOP;
  return startHeapTrim({
    usedHeap,
    collect: () => run(MAJOR_IN_TASK),
    intervalMs: 1000,
    growthBytes: 8 * 1024 * 1024,
    ...timers,
  });
}

function defaultUsedHeap(): number {
  return process.memoryUsage().heapUsed;
}
