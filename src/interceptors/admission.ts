import type { Dispatcher } from 'undici';
import { OriginSignerError } from '../errors.js';
import type { Admission } from '../upstream/admission.js';

export interface AdmissionOptions {
  readonly admission: Admission;
  /** pool.queueTimeout in milliseconds. */
  readonly queueTimeoutMs: number;
  /** Called with the seconds a request that found every connection busy waited, admitted or not. */
  readonly onWait?: (seconds: number) => void;
  readonly onQueued?: (delta: 1 | -1) => void;
}

/** Passes everything on and gives the pool slot back once, when the request ends either way. */
class Releasing implements Dispatcher.DispatchHandler {
  #released = false;
  constructor(
    readonly outer: Dispatcher.DispatchHandler,
    readonly admission: Admission,
  ) {}
  #release(): void {
    if (this.#released) return;
    this.#released = true;
    this.admission.release();
  }
  onRequestStart(c: Dispatcher.DispatchController, context: unknown): void {
    this.outer.onRequestStart?.(c, context);
  }
  onResponseStart(c: Dispatcher.DispatchController, status: number, headers: Record<string, string | string[] | undefined>, message: string): void {
    this.outer.onResponseStart?.(c, status, headers, message);
  }
  onResponseData(c: Dispatcher.DispatchController, chunk: Buffer): void {
    this.outer.onResponseData?.(c, chunk);
  }
  onResponseEnd(c: Dispatcher.DispatchController, trailers: Record<string, string | string[] | undefined>): void {
    this.#release();
    this.outer.onResponseEnd?.(c, trailers);
  }
  onResponseError(c: Dispatcher.DispatchController | null, err: Error): void {
    this.#release();
    this.outer.onResponseError?.(c as Dispatcher.DispatchController, err);
  }
}

/**
 * pool.queueTimeout, so a few slow viewers cannot starve everyone else: a request that finds every
 * upstream connection busy waits at most this long, then fails with OS_ERR_UPSTREAM_BUSY (503 with
 * Retry-After) instead of waiting without bound behind viewers that read slowly.
 */
export function admissionInterceptor(o: AdmissionOptions): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) =>
    function admitted(opts, handler) {
      const waits = o.admission.full;
      const queuedAt = waits ? performance.now() : 0;
      const start = (): void => {
        if (waits) {
          o.onQueued?.(-1);
          o.onWait?.((performance.now() - queuedAt) / 1000);
        }
        try {
          dispatch(opts, new Releasing(handler, o.admission));
        } catch (err) {
          o.admission.release();
          handler.onResponseError?.(null as unknown as Dispatcher.DispatchController, err as Error);
        }
      };
      const expired = (): void => {
        o.onQueued?.(-1);
        o.onWait?.((performance.now() - queuedAt) / 1000);
        handler.onResponseError?.(null as unknown as Dispatcher.DispatchController, new OriginSignerError('OS_ERR_UPSTREAM_BUSY', `no upstream connection became free within ${o.queueTimeoutMs / 1000} s`));
      };
      if (waits) o.onQueued?.(1);
      o.admission.enter(o.queueTimeoutMs, start, expired);
      return true;
    };
}
