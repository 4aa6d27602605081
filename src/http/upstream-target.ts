import type { Dispatcher } from 'undici';

/** Where one request goes on the store: the encoded path and the canonical query (without `?`). */
export interface UpstreamTarget {
  readonly path: string;
  readonly query: string;
}

/**
 * Dispatch options on their way through a block's interceptors: the target stays in parts so no
 * interceptor has to split a joined path again. `path` is only `target.path` until the signer
 * (the innermost) sets it to the `path?query` undici sends.
 */
export interface TargetedDispatchOptions extends Dispatcher.DispatchOptions {
  target: UpstreamTarget;
  /**
   * False when a 503 is better passed on at once than retried after a backoff (as undici's retry
   * interceptor reads `opts.retryOptions`): a cached block's stale copy stands in for it.
   */
  wait503?: boolean;
}

/** The `path` and `target` of dispatch options for `t`. */
export const dispatchTarget = (t: UpstreamTarget): { path: string; target: UpstreamTarget } => ({ path: t.path, target: t });

/** The path and query undici sends: the bytes that are signed. */
export const requestPath = (t: UpstreamTarget): string => (t.query === '' ? t.path : `${t.path}?${t.query}`);
