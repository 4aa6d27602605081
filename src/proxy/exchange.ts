import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AccessLog } from '../log/access-line.js';
import type { Logger } from '../log/logger.js';
import { safeQuery } from '../log/safe-query.js';
import { errorAnswerOf } from './error-response.js';
import { statusClass, type Metrics } from '../observability/metrics.js';
import type { SigningDebug } from '../interceptors/sign.js';

/** Where a request reports to: its access-log line and the metrics. */
export interface Observability {
  readonly log: Logger;
  /** One line per request (src/log/access-line.ts). It never holds a secret: only the headers `log.requestHeaders` names, the query without signature parameters. */
  readonly accessLog: AccessLog;
  readonly metrics: Metrics;
}

/** Per-request bookkeeping for the access log line. */
export interface Exchange {
  readonly id: string;
  readonly started: number;
  /** The socket's peer when the request arrived; the socket may be gone when the line is written. */
  readonly peer?: string | undefined;
  block?: string;
  status?: number;
  upstreamStatus?: number;
  /** The store's `x-amz-request-id` and `x-amz-id-2` for this request. */
  upstreamRequestId?: string;
  upstreamId2?: string;
  upstreamMs?: number;
  bytesIn?: number;
  bytesOut: number;
  credentials?: string;
  /** The access rule that refused the viewer. */
  denied?: string;
  /** What the shield cache made of a read: HIT, MISS, STALE, REVALIDATED, COLLAPSED (X-Cache). */
  cache?: string;
  /** What the signer produced, kept only with log.signatureDebug. */
  signing?: SigningDebug;
  error?: string;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** An incoming `X-Request-Id` is kept when it is short and plain, so logs line up with the CDN's. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

export function newExchange(req: IncomingMessage): Exchange {
  return { id: requestIdOf(req), started: performance.now(), peer: req.socket.remoteAddress, bytesOut: 0 };
}

/** The access-log line and the metrics of one finished exchange. */
export function report(obs: Observability, x: Exchange, res: ServerResponse, method: string, rawPath: string, rawQuery: string): void {
  // nginx's convention: 499 for a request whose viewer went away before any answer.
  const status = res.headersSent ? res.statusCode : 499;
  const ms = performance.now() - x.started;
  // The proxy's own error bodies are written by sendError, which keeps their size per response.
  // They count in the line's bytesOut, not in the response-bytes metric (bytes passed from the store).
  const answer = errorAnswerOf(res);
  const bytesOut = x.bytesOut + (answer?.bytes ?? 0);
  const viewer = obs.accessLog.viewer(res.req, x.peer);
  obs.accessLog.write({
    reqId: x.id,
    block: x.block,
    method,
    path: rawPath,
    query: safeQuery(rawQuery),
    remoteAddr: viewer.remoteAddr,
    userAgent: viewer.userAgent,
    referer: viewer.referer,
    headers: viewer.headers,
    status,
    bytesIn: x.bytesIn,
    bytesOut,
    upstreamStatus: x.upstreamStatus,
    upstreamRequestId: x.upstreamRequestId,
    upstreamId2: x.upstreamId2,
    upstreamMs: x.upstreamMs === undefined ? undefined : Math.round(x.upstreamMs * 10) / 10,
    ms: Math.round(ms * 10) / 10,
    credentials: x.credentials,
    cache: x.cache,
    error: x.error,
    detail: answer?.detail,
    denied: x.denied,
    aborted: !res.writableFinished || undefined,
  });
  const m = obs.metrics;
  const block = x.block ?? '(none)';
  m.inFlight.dec();
  m.countRequest(block, method, statusClass(status), ms / 1000, x.upstreamMs === undefined ? undefined : x.upstreamMs / 1000, x.bytesOut, x.bytesIn ?? 0);
  if (x.cache !== undefined) m.cache.count(block, x.cache, x.bytesOut);
  if (x.error?.startsWith('OS_ERR_UPSTREAM')) m.upstreamErrors.inc({ block, code: x.error });
  else if (x.error?.startsWith('OS_ERR_')) m.refused.inc({ block, code: x.error });
}
