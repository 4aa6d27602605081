import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorCode } from '../errors.js';
import { safeQuery } from '../log/safe-query.js';
import { statusClass } from '../observability/metrics.js';
import type { Observability } from '../proxy/forward.js';

/**
 * The access line and metrics of a request the server answers itself, before any block is chosen
 * (503 while shutting down, 400 for HTTP/0.9): the same line and counters forward()'s report()
 * writes for a refusal, so every request has its line (README "Operations → Logs"). Call it
 * before answering; they are written when the response closes.
 */
export function reportSelfAnswered(obs: Observability, req: IncomingMessage, res: ServerResponse, reqId: string, error: ErrorCode): void {
  const started = performance.now();
  const method = req.method ?? 'GET';
  const url = req.url ?? '/';
  const qi = url.indexOf('?');
  obs.metrics.inFlight.inc();
  res.once('close', () => {
    // nginx's 499, as report(): the viewer went away before the answer was written.
    const status = res.headersSent ? res.statusCode : 499;
    const ms = performance.now() - started;
    obs.accessLog.write({
      reqId,
      block: undefined,
      method,
      path: qi === -1 ? url : url.slice(0, qi),
      query: qi === -1 ? undefined : safeQuery(url.slice(qi + 1)),
      status,
      bytesIn: undefined,
      bytesOut: 0,
      upstreamStatus: undefined,
      upstreamMs: undefined,
      ms: Math.round(ms * 10) / 10,
      credentials: undefined,
      error,
      denied: undefined,
      aborted: !res.writableFinished || undefined,
    });
    const m = obs.metrics;
    m.inFlight.dec();
    m.countRequest('(none)', method, statusClass(status), ms / 1000, undefined, 0, 0);
    m.refused.inc({ block: '(none)', code: error });
  });
}
