import type { IntervalTimers } from '../../src/proxy/exposed-gc.js';

/** Hand-driven interval timers: `tick()` runs every live callback once, as the timers would. */
export function fakeTimers(): IntervalTimers & { live: Set<{ fn: () => void; ms: number; unrefd: boolean }>; tick: () => void } {
  const live = new Set<{ fn: () => void; ms: number; unrefd: boolean }>();
  return {
    live,
    setInterval: (fn: () => void, ms: number) => {
      const t = { fn, ms, unrefd: false, unref: () => (t.unrefd = true) };
      live.add(t);
      return t;
    },
    clearInterval: (t: never) => void live.delete(t),
    tick: () => [...live].forEach((t) => t.fn()),
  };
}
