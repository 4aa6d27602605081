import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * After refusing an upload whose body is still arriving: the answer is written whole, then the
 * rest of the body is read and thrown away for a bounded time and size before the response (and,
 * if the viewer asked to close, the connection) ends — nginx's lingering close. Ending at once
 * with unread data makes the kernel reset the connection, and a viewer still writing gets EPIPE
 * instead of reading the refusal. Past the bounds the connection is cut.
 */
export function drainThenEnd(req: IncomingMessage, res: ServerResponse, limits = { bytes: 64 * 1024 * 1024, ms: 10_000 }): void {
  const end = (): void => {
    clearTimeout(timer);
    if (!res.writableEnded) res.end();
  };
  const timer = setTimeout(() => req.socket.destroy(), limits.ms);
  timer.unref();
  if (req.complete || req.destroyed) return end();
  let seen = 0;
  req.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > limits.bytes) req.socket.destroy();
  });
  req.once('end', end);
  req.once('close', () => clearTimeout(timer));
  req.resume();
}
