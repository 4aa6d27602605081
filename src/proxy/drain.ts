import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * After refusing an upload whose body is still arriving: the answer is written whole, then the
 * rest of the body is read and thrown away for a bounded time and size before the response (and,
 * if the viewer asked to close, the connection) ends — nginx's lingering close. Ending at once
 * with unread data makes the kernel reset the connection, and a viewer still writing gets EPIPE
 * instead of reading the refusal. Past the bounds the connection is cut.
 */
export function drainThenEnd(req: IncomingMessage, res: ServerResponse, limits = DRAIN_LIMITS): void {
  if (req.complete || req.destroyed) {
    if (!res.writableEnded) res.end();
    return;
  }
  discardRest(req, limits, () => void (res.writableEnded || res.end()));
}

const DRAIN_LIMITS = { bytes: 64 * 1024 * 1024, ms: 10_000 };

/** Requests whose rest is being thrown away already: one set of bounds each. */
const draining = new WeakSet<IncomingMessage>();

/** Reads the rest of a request body and throws it away, within the same bounds; `then` once it has all come. */
export function discardRest(req: IncomingMessage, limits = DRAIN_LIMITS, then: () => void = () => undefined): void {
  if (draining.has(req)) {
    if (req.complete) then();
    else req.once('end', then);
    return;
  }
  draining.add(req);
  const timer = setTimeout(() => req.socket.destroy(), limits.ms);
  timer.unref();
  let seen = 0;
  req.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > limits.bytes) req.socket.destroy();
  });
  req.once('end', () => {
    clearTimeout(timer);
    then();
  });
  req.once('close', () => clearTimeout(timer));
  req.resume();
}

/**
 * The viewer's body piped into `stage` (a decoder, a check): a viewer that leaves destroys the
 * stage (so it never ends as if complete), and a stage that stops before the body has all come —
 * its own error, the store answering early — has the rest read and thrown away (bounded):
 * unpiped, the request would sit paused with the viewer blocked writing, never reading the answer.
 */
export function pipeViewerBody<T extends Duplex>(req: IncomingMessage, stage: T): T {
  const gone = (): void => void stage.destroy(new Error('the viewer closed the connection during the upload'));
  req.once('aborted', gone);
  req.once('error', gone);
  stage.once('close', () => {
    req.off('aborted', gone);
    req.off('error', gone);
    req.unpipe(stage);
    if (!req.complete && !req.destroyed) discardRest(req);
  });
  return req.pipe(stage);
}
