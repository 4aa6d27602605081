import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorCode } from '../errors.js';
import { report, type Exchange, type Observability } from '../proxy/exchange.js';

/**
 * The access line and metrics of a request the server answers itself, before any block is chosen
 * (503 while shutting down, 400 for HTTP/0.9): the same report() a proxied request gets, so every
 * request has its line. Call it before answering; they are written when the response closes.
 */
export function reportSelfAnswered(obs: Observability, req: IncomingMessage, res: ServerResponse, reqId: string, error: ErrorCode): void {
  const x: Exchange = { id: reqId, started: performance.now(), bytesOut: 0, error };
  const method = req.method ?? 'GET';
  const url = req.url ?? '/';
  const qi = url.indexOf('?');
  obs.metrics.inFlight.inc();
  res.once('close', () => report(obs, x, res, method, qi === -1 ? url : url.slice(0, qi), qi === -1 ? '' : url.slice(qi + 1)));
}
