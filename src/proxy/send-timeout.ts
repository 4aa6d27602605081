import type { ServerResponse } from 'node:http';
import type { Exchange } from './exchange.js';

const watched = new WeakSet<ServerResponse>();

/**
 * A viewer that reads nothing for server.sendTimeout is cut, which frees what it held (an
 * upstream connection, a fill's reader). Node's socket timeout counts from the last socket
 * activity, so a slow reader is not cut; armed at the first backpressure, so small responses pay
 * nothing. After the response Node re-arms the socket's timeout for keep-alive itself.
 */
export function watchStall(res: ServerResponse, x: Exchange, ms: number): void {
  if (watched.has(res)) return;
  watched.add(res);
  res.setTimeout(ms, () => {
    x.error = 'sendTimeout';
    res.destroy();
  });
}
