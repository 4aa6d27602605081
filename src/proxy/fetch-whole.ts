import type { Dispatcher } from 'undici';
import type { UpstreamTarget } from '../http/upstream-target.js';
import { readBounded } from '../http/bounded-body.js';
import { dispatchTarget } from '../http/upstream-target.js';
import type { ReadContext } from './read-object.js';

/** An AbortSignal that fires when the viewer's response closes before it finished: a page still being fetched for it is dropped. */
export function viewerLeaves(c: ReadContext): AbortSignal {
  const ac = new AbortController();
  c.track({ viewerClosed: () => void (c.res.writableFinished || ac.abort(new Error('viewer closed the connection'))) });
  return ac.signal;
}

/** A list page far above S3's (1,000 keys are well under 1 MiB) is not a list page. */
const LIMIT = 16 * 1024 * 1024;

export type WholeAnswer = { readonly status: number; readonly headers: Record<string, string | string[] | undefined>; readonly body: Buffer } | { readonly error: unknown };

/**
 * One signed GET of `target` (a listing) for the viewer's block, its answer read whole and
 * bounded; upstream status and time go to the access line. `signal` aborts it (the viewer left).
 */
export async function fetchWhole(c: ReadContext, target: UpstreamTarget, signal?: AbortSignal): Promise<WholeAnswer> {
  const started = performance.now();
  try {
    const res = await c.rt.dispatcher(c.block).request({ origin: c.block.origin, method: 'GET', ...dispatchTarget(target), headers: { host: c.block.host }, signal } as Dispatcher.RequestOptions);
    c.x.upstreamStatus = res.statusCode;
    c.x.upstreamMs = performance.now() - started;
    const body = await readBounded(res.body as AsyncIterable<Buffer>, LIMIT, () => new Error('the list page is too large'));
    return { status: res.statusCode, headers: res.headers, body };
  } catch (error) {
    return { error };
  }
}
