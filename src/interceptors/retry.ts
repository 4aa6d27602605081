import type { Dispatcher } from 'undici';
import type { TargetedDispatchOptions } from '../http/upstream-target.js';

export interface RetryOptions {
  /** Retries after the first attempt (0: none). */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** [0, 1), injected so tests can pin the jitter. */
  readonly random: () => number;
  readonly onRetry?: (reason: string) => void;
}

/** Errors of a connection that failed before any response: a stale keep-alive socket, a reset. */
const RETRYABLE_ERRORS = new Set(['ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

/**
 * Retries idempotent reads (GET/HEAD without a body) when the store drops the connection before
 * answering, or answers 503 (S3's SlowDown). It sits outside the signer (`pool.compose(sign,
 * retry)`), so every attempt is signed afresh. Nothing has reached the viewer when it retries: a
 * response is either passed on whole or swallowed whole. A connection error is retried at once (a
 * keep-alive socket the store had closed); a 503 after a capped, jittered exponential backoff that
 * starts at `baseDelayMs`, as S3 asks — unless the request says `wait503: false`. Writes are
 * never retried: their body has been consumed.
 */
export function retryInterceptor(o: RetryOptions): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) =>
    function retryingDispatch(opts, handler) {
      if (o.attempts === 0 || (opts.method !== 'GET' && opts.method !== 'HEAD') || (opts.body !== undefined && opts.body !== null)) return dispatch(opts, handler);
      let attempt = 0;
      const wait503 = (opts as Partial<TargetedDispatchOptions>).wait503 !== false;
      const left = (): boolean => attempt < o.attempts;
      const again = (reason: string, immediate: boolean): void => {
        attempt++;
        o.onRetry?.(reason);
        const delay = immediate ? 0 : Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** (attempt - 1)) * (1 + o.random());
        setTimeout(run, delay).unref();
      };
      const run = (): boolean => dispatch(opts, new Attempt(handler, left, again, wait503));
      return run();
    };
}

/** One attempt: passes everything through unless it decides to retry before the viewer saw anything. */
class Attempt implements Dispatcher.DispatchHandler {
  #swallowing = false;
  #started = false;
  constructor(
    private readonly outer: Dispatcher.DispatchHandler,
    private readonly canRetry: () => boolean,
    private readonly retry: (reason: string, immediate: boolean) => void,
    private readonly wait503: boolean,
  ) {}

  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    this.outer.onRequestStart?.(controller, context);
  }

  onResponseStart(controller: Dispatcher.DispatchController, status: number, headers: Record<string, string | string[] | undefined>, message: string): void {
    if (status === 503 && this.wait503 && this.canRetry()) {
      // Decided before anything is passed on; this attempt's body (S3's SlowDown XML) is drained.
      this.#swallowing = true;
      return;
    }
    this.#started = true;
    this.outer.onResponseStart?.(controller, status, headers, message);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#swallowing) return;
    this.outer.onResponseData?.(controller, chunk);
  }

  onResponseEnd(controller: Dispatcher.DispatchController, trailers: Record<string, string | string[] | undefined>): void {
    if (this.#swallowing) return this.retry('503', false);
    this.outer.onResponseEnd?.(controller, trailers);
  }

  onResponseError(controller: Dispatcher.DispatchController | null, err: Error): void {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (this.#swallowing) return this.retry('503', false); // the 503 being drained broke off
    if (!this.#started && !this.#swallowing && RETRYABLE_ERRORS.has(code) && this.canRetry()) return this.retry(code, true);
    this.outer.onResponseError?.(controller as Dispatcher.DispatchController, err);
  }
}
