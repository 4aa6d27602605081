import type { Dispatcher } from 'undici';

type Headers = Record<string, string | string[] | undefined>;

/** Passes everything on but interim responses. */
class FinalOnly implements Dispatcher.DispatchHandler {
  constructor(readonly outer: Dispatcher.DispatchHandler) {}
  onRequestStart(c: Dispatcher.DispatchController, context: unknown): void {
    this.outer.onRequestStart?.(c, context);
  }
  onResponseStart(c: Dispatcher.DispatchController, status: number, headers: Headers, message: string): void {
    if (status >= 200) this.outer.onResponseStart?.(c, status, headers, message);
  }
  onResponseData(c: Dispatcher.DispatchController, chunk: Buffer): void {
    this.outer.onResponseData?.(c, chunk);
  }
  onResponseEnd(c: Dispatcher.DispatchController, trailers: Headers): void {
    this.outer.onResponseEnd?.(c, trailers);
  }
  onResponseError(c: Dispatcher.DispatchController, err: Error): void {
    this.outer.onResponseError?.(c, err);
  }
}

/**
 * undici hands a store's interim responses (`103 Early Hints`) to onResponseStart like the final
 * one; a client MUST ignore an unexpected 1xx (RFC 9110 §15.2). Innermost, so the retry, the
 * viewer's answer and a cache fill see only the final response.
 */
export function finalResponsesInterceptor(): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) =>
    function finalOnly(opts, handler) {
      return dispatch(opts, new FinalOnly(handler));
    };
}
