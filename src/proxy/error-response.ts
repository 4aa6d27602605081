import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { ERRORS, type ErrorCode } from '../errors.js';
import { viewerErrorXml } from './s3-error.js';

export interface ErrorContext {
  readonly requestId: string;
  readonly block?: string;
  readonly head?: boolean;
  /** A machine-readable reason (access denials): for the log and metrics, never the body. */
  readonly reason?: string;
  /**
   * Write the whole answer but leave the response open: the caller ends it once the refused
   * upload has been drained (lingering close). Content-Length tells the viewer the answer is
   * complete meanwhile.
   */
  readonly leaveOpen?: boolean;
}

/**
 * What the viewer is told instead of the detail, for answers whose detail is the operator's
 * business: a store's host and port, a token file's path, or which part of a secret was wrong (a
 * probe could learn from it). The detail goes to the access line, which has the request id.
 */
const VIEWER_MESSAGES: Partial<Record<ErrorCode, string>> = {
  OS_ERR_ACCESS_DENIED: 'access denied',
  OS_ERR_CREDENTIALS_UNAVAILABLE: 'the proxy cannot sign requests to the store right now; retry later',
  OS_ERR_UPSTREAM_UNREACHABLE: 'the store could not be reached; retry later',
  OS_ERR_UPSTREAM_TIMEOUT: 'the store did not answer in time; retry later',
  OS_ERR_UPSTREAM_BUSY: 'the proxy is busy; retry later',
  OS_ERR_UPSTREAM_REDIRECT: 'the store could not serve this request',
  OS_ERR_SPOOL_FAILED: 'the proxy could not keep the upload on its disk; retry later',
  OS_ERR_INTERNAL: 'internal error',
  OS_ERR_SHUTTING_DOWN: 'the proxy is shutting down; retry on a new connection',
};

/** What an error answer put on the wire and what it kept from the viewer, for the access line. */
export interface ErrorAnswer {
  readonly bytes: number;
  /** The detail, when the viewer was given VIEWER_MESSAGES' text instead. */
  readonly detail: string | undefined;
}

// Keyed by the response, so every caller (forward, the server's own answers, the store's
// redirects) is accounted for without threading the exchange through each of them.
const answers = new WeakMap<ServerResponse, ErrorAnswer>();

/** The error answer sendError gave on `res`, if it gave one. */
export function errorAnswerOf(res: ServerResponse): ErrorAnswer | undefined {
  return answers.get(res);
}

/** The body's message: the detail for a viewer's own mistake, a fixed text with the request id otherwise. */
function viewerMessage(code: ErrorCode, status: number, detail: string, requestId: string): string {
  const fixed = VIEWER_MESSAGES[code];
  if (fixed === undefined) return detail;
  return status >= 500 ? `${fixed} (request id ${requestId})` : fixed;
}

/**
 * Whether the viewer is an S3 client, which reads errors only in S3's XML shape (an AWS SDK reports
 * a JSON body as "XML parse error"): its request is signed for AWS (header or presigned), or
 * carries the `x-amz-content-sha256` every SDK request has.
 */
export function speaksS3(req: IncomingMessage | undefined): boolean {
  if (!req) return false;
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && (auth.startsWith('AWS4-') || auth.startsWith('AWS '))) return true;
  return req.headers['x-amz-content-sha256'] !== undefined || /[?&]X-Amz-Signature=/.test(req.url ?? '');
}

/**
 * A short answer for a request the proxy refuses or cannot complete: the code (see the README's
 * error table), a one-line message and the block — never a stack or a secret. JSON, or S3's XML
 * error shape for an S3 client (speaksS3). `no-store` keeps a CDN from caching a refusal.
 */
export function sendError(res: ServerResponse, code: ErrorCode, detail: string, ctx: ErrorContext, headers: OutgoingHttpHeaders = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const status = ERRORS[code].status ?? 500;
  const message = viewerMessage(code, status, detail, ctx.requestId);
  const xml = speaksS3(res.req);
  const body = xml
    ? viewerErrorXml(code, message, ctx.requestId)
    : JSON.stringify({ error: code, message, ...(ctx.block ? { block: ctx.block } : {}), requestId: ctx.requestId });
  const bytes = Buffer.byteLength(body);
  answers.set(res, { bytes: ctx.head ? 0 : bytes, detail: message === detail ? undefined : detail });
  res.writeHead(status, {
    ...headers,
    'content-type': xml ? 'application/xml' : 'application/json; charset=utf-8',
    'content-length': bytes,
    'cache-control': 'no-store',
    'x-request-id': ctx.requestId,
  });
  if (ctx.leaveOpen) {
    if (!ctx.head) res.write(body);
    return;
  }
  res.end(ctx.head ? undefined : body);
}
