import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import type { ResolvedBlock } from '../config/types.js';
import type { Logger } from '../log/logger.js';
import { uriEncodePath } from '../signing/uri-encode.js';
import type { SignableDispatchOptions } from '../interceptors/sign.js';
import { sendError } from './error-response.js';
import { decodeObjectKey } from './object-key.js';
import { viewerHeaders } from './response-headers.js';
import type { ProxyRuntime } from './runtime.js';
import { classifyUpstreamError } from './upstream-error.js';
import { upstreamHeaders } from './upstream-headers.js';
import { upstreamQuery } from './upstream-query.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** An incoming `X-Request-Id` is kept when it is short and plain, so logs line up with the CDN's. */
function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/** Per-request bookkeeping for the access log line. */
interface Exchange {
  readonly id: string;
  readonly started: number;
  block?: string;
  status?: number;
  upstreamStatus?: number;
  upstreamMs?: number;
  bytesOut: number;
  error?: string;
}

/**
 * Streams the upstream response to the viewer (undici's handler API): status and entity headers
 * first, then the body with backpressure — when the viewer's socket is full the upstream read is
 * paused, so memory does not grow with object size — and a viewer that goes away aborts the
 * upstream request.
 */
class ViewerResponse implements Dispatcher.DispatchHandler {
  #controller: Dispatcher.DispatchController | undefined;
  readonly #res: ServerResponse;
  readonly #x: Exchange;
  readonly #head: boolean;
  readonly #upstreamStart = performance.now();
  #gone = false;

  constructor(res: ServerResponse, x: Exchange, head: boolean) {
    this.#res = res;
    this.#x = x;
    this.#head = head;
    res.once('close', () => {
      if (!res.writableFinished) {
        this.#gone = true;
        this.#controller?.abort(new Error('viewer closed the connection'));
      }
    });
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    if (this.#gone) controller.abort(new Error('viewer closed the connection'));
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined>): void {
    this.#x.upstreamStatus = statusCode;
    this.#x.upstreamMs = performance.now() - this.#upstreamStart;
    const out = viewerHeaders(headers);
    out['x-request-id'] = this.#x.id;
    this.#x.status = statusCode;
    this.#res.writeHead(statusCode, out);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#x.bytesOut += chunk.length;
    if (this.#head) return;
    if (!this.#res.write(chunk)) {
      controller.pause();
      this.#res.once('drain', () => controller.resume());
    }
  }

  onResponseEnd(): void {
    this.#res.end();
  }

  onResponseError(_controller: Dispatcher.DispatchController | null, err: Error): void {
    if (this.#gone) return;
    const { code, detail } = classifyUpstreamError(err);
    this.#x.error = code;
    if (this.#res.headersSent) {
      // Mid-body failure: the only honest signal left is to cut the connection.
      this.#res.destroy(err);
      return;
    }
    this.#x.status = 0;
    sendError(this.#res, code, detail, { requestId: this.#x.id, ...(this.#x.block ? { block: this.#x.block } : {}), head: this.#head });
  }
}

function hasBody(req: IncomingMessage): boolean {
  return req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
}

const WITH_BODY: ReadonlySet<string> = new Set(['PUT', 'POST', 'PATCH']);

/** DESIGN request path, steps 1–6, for one viewer request. */
export function forward(rt: ProxyRuntime, req: IncomingMessage, res: ServerResponse, log: Logger): void {
  const x: Exchange = { id: requestIdOf(req), started: performance.now(), bytesOut: 0 };
  const method = req.method ?? 'GET';
  const head = method === 'HEAD';
  const rawUrl = req.url ?? '/';
  const qi = rawUrl.indexOf('?');
  const rawPath = qi === -1 ? rawUrl : rawUrl.slice(0, qi);
  res.once('close', () => {
    log.info(
      {
        reqId: x.id,
        block: x.block,
        method,
        path: rawPath,
        status: x.status === 0 || x.status === undefined ? res.statusCode : x.status,
        bytesOut: x.bytesOut,
        upstreamStatus: x.upstreamStatus,
        upstreamMs: x.upstreamMs === undefined ? undefined : Math.round(x.upstreamMs * 10) / 10,
        ms: Math.round((performance.now() - x.started) * 10) / 10,
        error: x.error,
        aborted: !res.writableFinished || undefined,
      },
      'request',
    );
  });
  const refuse = (code: Parameters<typeof sendError>[1], detail: string, headers = {}): void => {
    x.error = code;
    sendError(res, code, detail, { requestId: x.id, ...(x.block ? { block: x.block } : {}), head }, headers);
  };

  const route = rt.route(rawPath);
  if (!route) return refuse('OS_ERR_NO_ROUTE', 'no proxy block serves this path');
  const block: ResolvedBlock = route.block;
  x.block = block.path;
  if (!block.methods.includes(method)) return refuse('OS_ERR_METHOD_NOT_ALLOWED', `${method} is not allowed here`, { allow: block.methods.join(', ') });
  const key = decodeObjectKey(route.rest, block.keyPrefix);
  if ('error' in key) return refuse(key.error, key.detail);
  const query = upstreamQuery(qi === -1 ? '' : rawUrl.slice(qi + 1));
  if ('error' in query) return refuse('OS_ERR_BAD_REQUEST', query.error);

  const headers = upstreamHeaders(method, req.headers, block.signing);
  headers.host = block.host;
  const path = `${block.basePath}${uriEncodePath(key.key)}${query.query === '' ? '' : `?${query.query}`}`;
  const body = WITH_BODY.has(method) && hasBody(req) ? req : null;
  const dispatcher = rt.dispatcher(block);
  const opts: SignableDispatchOptions = { origin: block.origin, method: method as Dispatcher.HttpMethod, path, headers, body };
  try {
    dispatcher.dispatch(opts, new ViewerResponse(res, x, head));
  } catch (err) {
    const { code, detail } = classifyUpstreamError(err);
    refuse(code, detail);
  }
}
