import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { ERRORS, type ErrorCode } from '../errors.js';

export interface ErrorContext {
  readonly requestId: string;
  readonly block?: string;
  readonly head?: boolean;
  /** A machine-readable reason (access denials). */
  readonly reason?: string;
  /**
   * Write the whole answer but leave the response open: the caller ends it once the refused
   * upload has been drained (lingering close). Content-Length tells the viewer the answer is
   * complete meanwhile.
   */
  readonly leaveOpen?: boolean;
}

/**
 * A short JSON answer for a request the proxy refuses or cannot complete: the code (see the
 * README's error table), a one-line reason and the block — never a stack or a secret. `no-store`
 * keeps a CDN from caching a refusal.
 */
export function sendError(res: ServerResponse, code: ErrorCode, detail: string, ctx: ErrorContext, headers: OutgoingHttpHeaders = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const status = ERRORS[code].status ?? 500;
  const body = JSON.stringify({ error: code, message: detail, ...(ctx.reason ? { reason: ctx.reason } : {}), ...(ctx.block ? { block: ctx.block } : {}), requestId: ctx.requestId });
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-request-id': ctx.requestId,
  });
  if (ctx.leaveOpen) {
    if (!ctx.head) res.write(body);
    return;
  }
  res.end(ctx.head ? undefined : body);
}
