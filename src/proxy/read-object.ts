import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import { cacheKeyOf } from '../cache/cache-key.js';
import type { ResolvedBlock } from '../config/types.js';
import type { SignableDispatchOptions } from '../interceptors/sign.js';
import { cachedRead } from './cached-read.js';
import { sendError } from './error-response.js';
import type { Exchange, Observability } from './exchange.js';
import type { ProxyRuntime } from './runtime.js';
import { slicedRead } from './sliced-read.js';
import { classifyUpstreamError } from './upstream-error.js';
import { dispatchTarget, type UpstreamTarget } from '../http/upstream-target.js';
import { ViewerResponse } from './viewer-response.js';

/** Told when the viewer's response closes (finished or not): an upstream request still running for it is aborted. */
export interface ViewerGone {
  viewerClosed(): void;
}

/** One viewer's GET or HEAD, and what it needs to reach the store. */
export interface ReadContext {
  readonly rt: ProxyRuntime;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly x: Exchange;
  readonly block: ResolvedBlock;
  readonly head: boolean;
  readonly obs: Observability;
  readonly sendTimeoutMs: number;
  /** What the viewer's leaving must abort (the exchange's one 'close' listener calls it). */
  readonly track: (v: ViewerGone) => void;
}

/** One object read for the viewer: the one it asked for, or one the block's site rules chose. */
export interface ReadRequest {
  readonly target: UpstreamTarget;
  /** The viewer's headers to forward (Range, conditionals), or undefined for an object the proxy chose (a fallback, an error page). */
  readonly viewerHeaders?: Record<string, string>;
  /** The answer's status in place of the store's 200: an error page keeps the error's status. */
  readonly status?: number;
  /** The store has no such object (404, or 403): the caller answers instead (README "Static sites and browsers"). */
  readonly onMissing?: (status: number) => void;
}

/**
 * A signed GET or HEAD of one object for the viewer: through the shield cache when the block has
 * one (README "Shield cache"), else straight to the store, streamed back by ViewerResponse.
 */
export function readObject(c: ReadContext, r: ReadRequest): void {
  const shield = c.block.cache ? c.rt.shield : undefined;
  const send = (cacheResult?: string): void => {
    const headers = { ...r.viewerHeaders, host: c.block.host };
    const opts: SignableDispatchOptions = { origin: c.block.origin, method: c.head ? 'HEAD' : 'GET', ...dispatchTarget(r.target), headers, body: null };
    if (c.rt.config.log.signatureDebug) opts.onSigned = (d) => (c.x.signing = d);
    try {
      const viewer = new ViewerResponse(c.res, c.x, {
        head: c.head,
        body: null,
        block: c.block,
        obs: c.obs,
        sendTimeoutMs: c.sendTimeoutMs,
        ...(cacheResult ? { cacheResult } : {}),
        ...(r.status ? { status: r.status } : {}),
        ...(r.onMissing ? { onMissing: r.onMissing } : {}),
      });
      c.track(viewer);
      c.rt.dispatcher(c.block).dispatch(opts as Dispatcher.DispatchOptions, viewer);
    } catch (err) {
      const { code, detail } = classifyUpstreamError(err);
      c.x.error = code;
      sendError(c.res, code, detail, { requestId: c.x.id, block: c.block.path, head: c.head });
    }
  };
  if (!shield) return send();
  const passBy = (): void => {
    c.x.cache = 'MISS';
    send('MISS');
  };
  const key = cacheKeyOf(c.block, r.target.path, r.target.query, c.block.readQuery);
  if (key === undefined) return passBy();
  const cc = {
    req: c.req,
    res: c.res,
    x: c.x,
    block: c.block,
    head: c.head,
    obs: c.obs,
    shield,
    rules: c.block.cache!,
    dispatcher: c.rt.dispatcher(c.block),
    key,
    target: r.target,
    sendTimeoutMs: c.sendTimeoutMs,
    passBy,
    ...(r.status || !r.viewerHeaders ? { asIs: r.status ?? 200 } : {}),
    ...(r.onMissing ? { onMissing: r.onMissing } : {}),
  };
  return c.block.cache!.sliceBytes ? slicedRead(cc) : cachedRead(cc);
}
