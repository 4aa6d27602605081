import { createRequire } from 'node:module';
import type { Dispatcher } from 'undici';

// undici's own error classes (already loaded by its Pool), so a timeout is logged and classified
// (proxy/upstream-error.ts: 504) exactly as when undici raises it itself.
const { HeadersTimeoutError, BodyTimeoutError } = createRequire(import.meta.url)('undici/lib/core/errors.js') as {
  HeadersTimeoutError: new () => Error;
  BodyTimeoutError: new () => Error;
};

export interface TimeoutOptions {
  /** From the request written until the response's headers (block `pool.headersTimeout`). */
  readonly headersTimeoutMs: number;
  /** Longest gap between two body chunks, not counting time paused for a slow viewer (`pool.bodyTimeout`). */
  readonly bodyTimeoutMs: number;
  /** Monotonic milliseconds for the sweep; `performance.now` unless given. */
  readonly now?: () => number;
}

const HEADERS = 1;
const BODY = 2;
const DONE = 3;

/**
 * Watches bodiless requests for undici's headers and body timeouts, with no object per request
 * beyond the handler itself. Why: undici arms a fresh `FastTimer` for every request's headers
 * timeout (its keep-alive timer is a native one, so the two never share a timer object), and a
 * cleared FastTimer stays in undici's list until its next 500 ms tick. Under load every one of
 * them outlived two scavenges and was promoted: with prom-client's GC observer
 * (observability/default-metrics.ts), most of what reached the old generation, whose growth set
 * off a full collection every ~2.5 s, and each one a burst of re-optimising what it deoptimised
 * (README "Performance").
 *
 * Here each watched handler is a node of an intrusive list, and one sweep per block, every
 * `tick` ms while requests are in flight, checks them. A deadline is set by the first sweep that
 * sees a state, so a timeout fires between T and T + 2·tick after it started, never early
 * (undici's FastTimer: T to T + 1 s).
 */
export class TimeoutWatch {
  readonly #headersMs: number;
  readonly #bodyMs: number;
  readonly #now: () => number;
  readonly tick: number;
  #head: Watched | null = null;
  #timer: NodeJS.Timeout | null = null;

  constructor(o: TimeoutOptions) {
    this.#headersMs = o.headersTimeoutMs;
    this.#bodyMs = o.bodyTimeoutMs;
    this.#now = o.now ?? (() => performance.now());
    this.tick = tickFor(Math.min(o.headersTimeoutMs, o.bodyTimeoutMs));
  }

  /** Whether the sweep timer is armed (it is only while requests are in flight). */
  get running(): boolean {
    return this.#timer !== null;
  }

  /** Requests being watched. */
  get size(): number {
    let n = 0;
    for (let w = this.#head; w; w = w.next) n++;
    return n;
  }

  add(w: Watched): void {
    w.next = this.#head;
    if (this.#head) this.#head.prev = w;
    this.#head = w;
    if (!this.#timer) {
      this.#timer = setInterval(() => this.sweep(this.#now()), this.tick);
      this.#timer.unref();
    }
  }

  remove(w: Watched): void {
    if (w.prev) w.prev.next = w.next;
    else if (this.#head === w) this.#head = w.next;
    if (w.next) w.next.prev = w.prev;
    w.prev = w.next = null;
  }

  /** One pass over the requests in flight; stops the timer once there are none. */
  sweep(now: number): void {
    if (!this.#head && this.#timer) {
      clearInterval(this.#timer);
      this.#timer = null;
      return;
    }
    for (let w = this.#head; w; ) {
      const next = w.next;
      this.#check(w, now);
      w = next;
    }
  }

  #check(w: Watched, now: number): void {
    const c = w.controller;
    if (!c || w.state === DONE) return;
    if (w.state === HEADERS) {
      if (w.deadline === 0) w.deadline = now + this.#headersMs;
      else if (now >= w.deadline) c.abort(new HeadersTimeoutError());
      return;
    }
    // undici's rule: the body clock does not run while the viewer's backpressure holds the read.
    if (w.active || c.paused || w.deadline === 0) {
      w.active = false;
      w.deadline = now + this.#bodyMs;
    } else if (now >= w.deadline) c.abort(new BodyTimeoutError());
  }
}

/** A quarter of the shortest timeout, within [5 ms, 500 ms] (undici's FastTimer ticks every 499 ms). */
export const tickFor = (shortestMs: number): number => Math.min(500, Math.max(5, Math.floor(shortestMs / 4)));

/** The handler of one watched request: passes everything on, marks progress, leaves the list when done. */
class Watched implements Dispatcher.DispatchHandler {
  prev: Watched | null = null;
  next: Watched | null = null;
  state = 0;
  deadline = 0;
  /** A body chunk arrived since the last sweep. */
  active = false;
  controller: Dispatcher.DispatchController | null = null;
  readonly #outer: Dispatcher.DispatchHandler;
  readonly #watch: TimeoutWatch;

  constructor(outer: Dispatcher.DispatchHandler, watch: TimeoutWatch) {
    this.#outer = outer;
    this.#watch = watch;
  }

  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    this.controller = controller;
    this.state = HEADERS;
    this.#watch.add(this);
    this.#outer.onRequestStart?.(controller, context);
  }

  onResponseStart(controller: Dispatcher.DispatchController, status: number, headers: Record<string, string | string[] | undefined>, message: string): void {
    this.state = BODY;
    this.deadline = 0;
    this.#outer.onResponseStart?.(controller, status, headers, message);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.active = true;
    this.#outer.onResponseData?.(controller, chunk);
  }

  onResponseEnd(controller: Dispatcher.DispatchController, trailers: Record<string, string | string[] | undefined>): void {
    this.#done();
    this.#outer.onResponseEnd?.(controller, trailers);
  }

  onResponseError(controller: Dispatcher.DispatchController | null, err: Error): void {
    this.#done();
    this.#outer.onResponseError?.(controller as Dispatcher.DispatchController, err);
  }

  #done(): void {
    if (this.state === HEADERS || this.state === BODY) this.#watch.remove(this);
    this.state = DONE;
    this.controller = null;
  }
}

/**
 * Enforces a block's headers and body timeouts. The block's undici Pool runs with both at 0
 * (upstream/pools.ts); a request without a body is watched by a `TimeoutWatch`, an upload gets
 * undici's own timers back through its dispatch options, because undici's headers timer also
 * notices a store that stops reading the upload, which only undici, writing the socket, can see.
 * Why not every request with per-request options: a copy of the options carrying
 * `headersTimeout`/`bodyTimeout` for every GET made V8 run full collections twice as often as
 * undici's own timers did (12–15 instead of 6–7 in 12 s of 1 KiB load; the same copy without
 * those two keys: 4), for reasons not found. Composed outside the signer and inside retry, so
 * each attempt has its own clock.
 */
export function timeoutInterceptor(o: TimeoutOptions, watch = new TimeoutWatch(o)): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) =>
    function timedDispatch(opts, handler) {
      if (opts.body === undefined || opts.body === null) return dispatch(opts, new Watched(handler, watch));
      return dispatch({ ...opts, headersTimeout: o.headersTimeoutMs, bodyTimeout: o.bodyTimeoutMs }, handler);
    };
}
