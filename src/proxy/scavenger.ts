/**
 * Young-generation collections while large bodies stream, to hand freed socket buffers back.
 *
 * Why: each chunk read from a socket is a 64 KiB buffer in malloc'd (off-heap) memory, owned by a
 * small JS object. Once written to the other socket the buffer is garbage, but malloc only gets it
 * back when a scavenge (V8's minor GC) finds the JS object dead — and a streaming proxy makes so
 * little JS garbage per chunk that a scavenge comes every ~1000 chunks. Meanwhile glibc keeps the
 * freed-late buffers in its free lists and RSS climbs 50–60 MiB above idle on a 1 GiB transfer
 * (V8 heap flat, `external` memory 8–24 MiB). A scavenge every 5 ms while a large body is in
 * flight (10 ms on Node 24: `scavengeTiming`) keeps that garbage to a few MiB: the peak of 8 s of 100 MiB downloads at four
 * connections is 98–102 MiB (20 ms: 119–123), at the same throughput and CPU — a scavenge of a
 * nearly empty young generation takes well under a millisecond. See README "Memory". It needs
 * `--expose-gc`, which `bin/origin-signer` passes; without it this is a no-op.
 *
 * Every `majorEvery`-th tick (2 s) it starts a full collection instead, incremental (`execution:
 * 'async'`): wrappers of chunks still in a stream's queue at two scavenges get promoted to the old
 * generation, and their buffers then wait for a mark-compact that V8 starts only after tens of MiB.
 * On Node 24 that took a 1 GiB sha256 upload's peak from 141 to 120–129 MiB at the same CPU.
 * (Scavenging every 5 or 10 ms was tried before and raised the peak of the e2e upload test to
 * 155–163 MiB; that was with TurboFan still recompiling llhttp, a ~30 MiB spike of its own that
 * `--liftoff-only` now avoids. With it the same tests peak at 84–122 MiB.)
 */

import { exposedGc, globalGc, INCREMENTAL_MAJOR, REAL_TIMERS, type IntervalTimers } from './exposed-gc.js';

/** Bodies above this size (bytes) count as large: below it a transfer ends before it matters. */
export const LARGE_BODY_BYTES = 1024 * 1024;

export interface ScavengerDeps extends IntervalTimers {
  /** Runs one young-generation collection, or (`'major'`) starts a full one. */
  readonly collect: (kind: 'minor' | 'major') => void;
  readonly intervalMs: number;
  /** Every this many ticks, a major collection instead of a minor one (0: never). */
  readonly majorEvery: number;
}

export interface Scavenger {
  /** Marks one large transfer as started; call the returned function (once or more) when it ends. */
  hold(): () => void;
  /** Transfers currently held, for tests and metrics. */
  readonly holding: number;
}

/** A timer that runs `collect` every `intervalMs` while at least one transfer is held, and not otherwise. */
export function createScavenger(deps: ScavengerDeps): Scavenger {
  let holding = 0;
  let timer: ReturnType<ScavengerDeps['setInterval']> | undefined;
  let ticks = 0;
  const tick = (): void => {
    ticks += 1;
    deps.collect(deps.majorEvery > 0 && ticks % deps.majorEvery === 0 ? 'major' : 'minor');
  };
  const release = (): void => {
    holding -= 1;
    if (holding === 0 && timer !== undefined) {
      deps.clearInterval(timer as never);
      timer = undefined;
    }
  };
  return {
    hold() {
      holding += 1;
      if (timer === undefined) {
        ticks = 0;
        timer = deps.setInterval(tick, deps.intervalMs);
        // Never keep the process alive (graceful shutdown waits for sockets, not for this).
        timer.unref?.();
      }
      let done = false;
      return () => {
        if (done) return;
        done = true;
        release();
      };
    },
    get holding() {
      return holding;
    },
  };
}

const NOOP_RELEASE = (): void => {};
const NOOP: Scavenger = { hold: () => NOOP_RELEASE, holding: 0 };

/**
 * How often to collect, by Node major version; a full collection every 2 s either way.
 *
 * Node 20: a minor GC every 5 ms (100 MiB downloads peak 96–102 MiB; 20 ms: 119–123). Node 24
 * runs with --no-incremental-marking (`bin/origin-signer`), and there a minor GC every 5 ms with
 * the full one every 2 s let a 1 GiB aws-chunked upload peak at 151–159 MiB (e2e test, budget 150):
 * every 10 ms it peaks at 110 MiB, downloads at 117. A full GC every 0.5 s would have suited both
 * uploads, but cost Node 20 10–15 % of its download throughput.
 */
export function scavengeTiming(nodeMajor: number): { intervalMs: number; majorEvery: number } {
  return nodeMajor >= 24 ? { intervalMs: 10, majorEvery: 200 } : { intervalMs: 5, majorEvery: 400 };
}

/** The process-wide scavenger: the heap is per process, so is this. A no-op without `--expose-gc`. */
export function processScavenger(gc: unknown = globalGc(), nodeMajor = Number(process.versions.node.split('.')[0]), timers: IntervalTimers = REAL_TIMERS): Scavenger {
  const run = exposedGc(gc);
  if (!run) return NOOP;
  return createScavenger({
    collect: (kind) => run(kind === 'minor' ? { type: 'minor' } : INCREMENTAL_MAJOR),
    ...scavengeTiming(nodeMajor),
    ...timers,
  });
}

/**
 * Whether a body of this declared length should be held: unknown lengths (chunked) may be any size.
 * `undefined` means no length was given.
 */
export function isLargeBody(contentLength: string | string[] | undefined): boolean {
  if (contentLength === undefined) return true;
  const n = Number(Array.isArray(contentLength) ? contentLength[0] : contentLength);
  return !Number.isFinite(n) || n > LARGE_BODY_BYTES;
}
