/**
 * Young-generation collections while large bodies stream, to hand freed socket buffers back.
 *
 * Why: each chunk read from a socket is a 64 KiB buffer in malloc'd (off-heap) memory, owned by a
 * small JS object. Once written to the other socket the buffer is garbage, but malloc only gets it
 * back when a scavenge (V8's minor GC) finds the JS object dead — and a streaming proxy makes so
 * little JS garbage per chunk that a scavenge comes every ~1000 chunks. Meanwhile glibc keeps the
 * freed-late buffers in its free lists and RSS climbs 50–60 MiB above idle on a 1 GiB transfer
 * (V8 heap flat, `external` memory 8–24 MiB). It needs `--expose-gc`, which `bin/origin-signer`
 * passes; without it this is a no-op. See README "Memory".
 *
 * Two triggers:
 * - Bytes: a download reports each chunk it passes on (`moved`), and every `bytesPerCollection`
 *   (2 MiB) a scavenge runs there and then. A timer alone cannot bound the garbage: libuv reads up
 *   to 32 chunks from each readable socket in one event-loop turn, so at ~1 GB/s up to 10 MiB of
 *   dead buffers piled up between two 5 ms ticks (sampled: 8–16 MiB of `arrayBuffers`, ~1.5 MiB
 *   of them live). With the byte trigger, 8 s of 100 MiB downloads at four connections peak at
 *   84–86 MiB instead of 94–102, at the same or better MB/s and CPU per GB.
 * - Time: every `intervalMs` while a large body is in flight (5 ms; 10 ms on Node 24), for uploads,
 *   whose chunks go from the viewer's socket to undici without passing through the proxy's code.
 *
 * Every `majorEvery`-th tick (2 s) it runs a full collection instead (`execution: 'async'`: in a
 * task of its own, but atomic — a pause of a few ms to ~20 ms): wrappers of chunks still in a
 * stream's queue at two scavenges get promoted to the old generation, and their buffers then wait
 * for a mark-compact that V8 starts only after tens of MiB. On Node 24 that took a 1 GiB sha256
 * upload's peak from 141 to 120–129 MiB at the same CPU. (Scavenging every 5 or 10 ms was tried
 * before and raised the peak of the e2e upload test to 155–163 MiB; that was with TurboFan still
 * recompiling llhttp, a ~30 MiB spike of its own that `--liftoff-only` now avoids.)
 */

import { exposedGc, globalGc, MAJOR_IN_TASK, REAL_TIMERS, type IntervalTimers } from './exposed-gc.js';

/** Bodies above this size (bytes) count as large: below it a transfer ends before it matters. */
export const LARGE_BODY_BYTES = 1024 * 1024;

/**
 * Body bytes passed on between two byte-triggered scavenges. 2 MiB and 4 MiB measured alike for
 * MB/s and CPU; 2 MiB gave the steadier peak (84–85 MiB against 86–95).
 */
export const BYTES_PER_COLLECTION = 2 * 1024 * 1024;

export interface ScavengerDeps extends IntervalTimers {
  /** Runs one young-generation collection, or (`'major'`) a full one. */
  readonly collect: (kind: 'minor' | 'major') => void;
  readonly intervalMs: number;
  /** Every this many ticks, a major collection instead of a minor one (0: never). */
  readonly majorEvery: number;
  /** Body bytes (reported through `moved`) after which a minor collection runs at once. */
  readonly bytesPerCollection: number;
}

export interface Scavenger {
  /** Marks one large transfer as started; call the returned function (once or more) when it ends. */
  hold(): () => void;
  /** Reports body bytes passed through by a held transfer; collects once `bytesPerCollection` went by. */
  moved(bytes: number): void;
  /** Transfers currently held, for tests and metrics. */
  readonly holding: number;
}

/**
 * A timer that runs `collect` every `intervalMs` while at least one transfer is held, and not
 * otherwise; and a minor `collect` whenever `bytesPerCollection` bytes were reported since the last
 * collection of either kind.
 */
export function createScavenger(deps: ScavengerDeps): Scavenger {
  let holding = 0;
  let timer: ReturnType<ScavengerDeps['setInterval']> | undefined;
  let ticks = 0;
  let bytes = 0;
  /** A byte-triggered collection ran since the last tick: the tick's minor one would find little. */
  let collectedByBytes = false;
  const tick = (): void => {
    ticks += 1;
    if (deps.majorEvery > 0 && ticks % deps.majorEvery === 0) deps.collect('major');
    else if (!collectedByBytes) deps.collect('minor');
    collectedByBytes = false;
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
    moved(n) {
      bytes += n;
      if (bytes >= deps.bytesPerCollection) {
        bytes -= deps.bytesPerCollection;
        collectedByBytes = true;
        deps.collect('minor');
      }
    },
    get holding() {
      return holding;
    },
  };
}

const NOOP_RELEASE = (): void => {};
const NOOP: Scavenger = { hold: () => NOOP_RELEASE, moved: () => {}, holding: 0 };

/**
 * How often to collect, by Node major version; a full collection every 2 s and a minor one every
 * 2 MiB downloaded either way.
 *
 * Node 20: a minor GC every 5 ms (before the byte trigger, 100 MiB downloads peaked at 96–102 MiB
 * with it; at 20 ms, 119–123). Node 24 runs with --no-incremental-marking (`bin/origin-signer`),
 * and there a minor GC every 5 ms with the full one every 2 s let a 1 GiB aws-chunked upload peak
 * at 151–159 MiB (e2e test, budget 150): every 10 ms it peaks at 110 MiB, downloads at 117. A full
 * GC every 0.5 s would have suited both uploads, but cost Node 20 10–15 % of its download
 * throughput.
 */
export function scavengeTiming(nodeMajor: number): { intervalMs: number; majorEvery: number; bytesPerCollection: number } {
  const timing = nodeMajor >= 24 ? { intervalMs: 10, majorEvery: 200 } : { intervalMs: 5, majorEvery: 400 };
  return { ...timing, bytesPerCollection: BYTES_PER_COLLECTION };
}

/** The process-wide scavenger: the heap is per process, so is this. A no-op without `--expose-gc`. */
export function processScavenger(gc: unknown = globalGc(), nodeMajor = Number(process.versions.node.split('.')[0]), timers: IntervalTimers = REAL_TIMERS): Scavenger {
  const run = exposedGc(gc);
  if (!run) return NOOP;
  return createScavenger({
    collect: (kind) => run(kind === 'minor' ? { type: 'minor' } : MAJOR_IN_TASK),
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
