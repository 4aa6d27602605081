import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { ResolvedBlock } from '../config/types.js';
import type { ErrorCode } from '../errors.js';
import type { Logger } from '../log/logger.js';
import { uriEncode, uriEncodePath } from '../signing/uri-encode.js';
import type { SignableDispatchOptions } from '../interceptors/sign.js';
import { sendError } from './error-response.js';
import { decodeObjectKey } from './object-key.js';
import { viewerHeaders } from './response-headers.js';
import type { ProxyRuntime } from './runtime.js';
import { spool, SpoolLimitError } from './spool.js';
import { classifyUpstreamError } from './upstream-error.js';
import { upstreamHeaders } from './upstream-headers.js';
import { MEDIASTORE_LIST_PARAMS, upstreamQuery } from './upstream-query.js';

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
  bytesIn?: number;
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
  readonly #body: Readable | null;
  readonly #upstreamStart = performance.now();
  #gone = false;

  constructor(res: ServerResponse, x: Exchange, head: boolean, body: Readable | null) {
    this.#res = res;
    this.#x = x;
    this.#head = head;
    this.#body = body;
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

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined>): void {
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
    // A store may answer before reading a whole upload (an error); free what is left of it.
    this.#body?.destroy();
  }

  onResponseError(_controller: Dispatcher.DispatchController | null, err: Error): void {
    this.#body?.destroy();
    if (this.#gone) return;
    const { code, detail } = classifyUpstreamError(err);
    this.#x.error = code;
    if (this.#res.headersSent) {
      // Mid-body failure: the only honest signal left is to cut the connection.
      this.#res.destroy(err);
      return;
    }
    sendError(this.#res, code, detail, { requestId: this.#x.id, ...(this.#x.block ? { block: this.#x.block } : {}), head: this.#head });
  }
}

const WITH_BODY: ReadonlySet<string> = new Set(['PUT', 'POST', 'PATCH']);

/**
 * After refusing a request whose body is still arriving, read and throw away the rest for a
 * bounded time and size (nginx's lingering close) instead of closing: closing with unread data
 * makes the kernel reset the connection, and a client still writing then gets EPIPE instead of
 * reading the refusal. (So the refusal does not say `Connection: close`: Node would then destroy
 * the socket as soon as the answer is written.) Past the bounds the connection is cut.
 */
function discardBody(req: IncomingMessage, limits = { bytes: 64 * 1024 * 1024, ms: 10_000 }): void {
  if (req.complete || req.destroyed) return;
  let seen = 0;
  const timer = setTimeout(() => req.socket.destroy(), limits.ms);
  timer.unref();
  req.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > limits.bytes) req.socket.destroy();
  });
  req.once('close', () => clearTimeout(timer));
  req.resume();
}

interface Upstream {
  readonly path: string;
  readonly headers: Record<string, string>;
}

/**
 * The upstream path and query for one request: the block's base path and the canonical encoding
 * of `keyPrefix + key` (so the bytes sent are the bytes signed), or — a GET on a folder of a
 * MediaStore block — a ListItems request for that folder.
 */
function upstreamTarget(block: ResolvedBlock, method: string, rest: string, rawQuery: string): { target: string } | { error: ErrorCode; detail: string } {
  const listing = block.type === 'mediastore' && (method === 'GET' || method === 'HEAD') && (rest === '' || rest.endsWith('/'));
  if (listing) {
    const folder = rest === '' ? { key: block.keyPrefix } : decodeObjectKey(rest, block.keyPrefix);
    if ('error' in folder) return folder;
    const query = upstreamQuery(rawQuery, MEDIASTORE_LIST_PARAMS);
    if ('error' in query) return { error: 'OS_ERR_BAD_REQUEST', detail: query.error };
    const path = folder.key.replace(/\/+$/, '');
    const params = [...(path === '' ? [] : [`Path=${uriEncode(path)}`]), ...(query.query === '' ? [] : [query.query])].sort();
    return { target: `/${params.length ? `?${params.join('&')}` : ''}` };
  }
  const key = decodeObjectKey(rest, block.keyPrefix);
  if ('error' in key) return key;
  const query = upstreamQuery(rawQuery);
  if ('error' in query) return { error: 'OS_ERR_BAD_REQUEST', detail: query.error };
  return { target: `${block.basePath}${uriEncodePath(key.key)}${query.query === '' ? '' : `?${query.query}`}` };
}

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
        // nginx's convention: 499 for a request whose viewer went away before any answer.
        status: res.headersSent ? res.statusCode : 499,
        bytesIn: x.bytesIn,
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
  const refuse = (code: ErrorCode, detail: string, headers: Record<string, string> = {}): void => {
    x.error = code;
    sendError(res, code, detail, { requestId: x.id, ...(x.block ? { block: x.block } : {}), head }, headers);
  };

  const route = rt.route(rawPath);
  if (!route) return refuse('OS_ERR_NO_ROUTE', 'no proxy block serves this path');
  const block: ResolvedBlock = route.block;
  x.block = block.path;
  if (!block.methods.includes(method)) return refuse('OS_ERR_METHOD_NOT_ALLOWED', `${method} is not allowed here`, { allow: block.methods.join(', ') });
  const target = upstreamTarget(block, method, route.rest, qi === -1 ? '' : rawUrl.slice(qi + 1));
  if ('error' in target) return refuse(target.error, target.detail);

  const headers = upstreamHeaders(method, req.headers, block.signing);
  headers.host = block.host;
  const up: Upstream = { path: target.target, headers };
  const send = (body: Readable | null): void => {
    const opts: SignableDispatchOptions = { origin: block.origin, method: method as Dispatcher.HttpMethod, path: up.path, headers: up.headers, body };
    try {
      rt.dispatcher(block).dispatch(opts, new ViewerResponse(res, x, head, body));
    } catch (err) {
      body?.destroy();
      const { code, detail } = classifyUpstreamError(err);
      refuse(code, detail);
    }
  };

  const declared = req.headers['content-length'];
  const chunked = declared === undefined && req.headers['transfer-encoding'] !== undefined;
  // An empty body is no body: signed as the empty payload, never framed (RGW answers an empty
  // aws-chunked POST ?uploads with 501).
  if (!WITH_BODY.has(method) || (declared === undefined && !chunked) || declared === '0') return send(null);
  x.bytesIn = declared === undefined ? undefined : Number(declared);
  // S3 needs an upload's length up front, and payload: sha256 needs its hash before the headers
  // go out: those uploads are spooled to disk first (bounded), everything else streams through.
  // Expect: 100-continue (RFC 9110 §10.1.1): invite the body only once the proxy is going to read
  // it — a refused upload (405, 413, 411) is answered without the client sending it first.
  const invite = (): void => {
    if (req.headers.expect?.toLowerCase() === '100-continue') res.writeContinue();
  };
  if (!chunked && block.signing.payload !== 'sha256') {
    invite();
    return send(req);
  }
  const limit = block.spool.maxBytes;
  if (chunked && limit === 0) {
    refuse('OS_ERR_LENGTH_REQUIRED', 'send Content-Length: this block does not spool uploads (spool.maxSize: 0)');
    return discardBody(req);
  }
  if (declared !== undefined && Number(declared) > limit) {
    refuse('OS_ERR_BODY_TOO_LARGE', `the upload is ${declared} bytes; this block spools at most ${limit} (spool.maxSize)`);
    return discardBody(req);
  }
  invite();
  spool(req, { dir: block.spool.dir, limit, hash: block.signing.payload === 'sha256' }).then(
    (spooled) => {
      x.bytesIn = spooled.size;
      headers['content-length'] = String(spooled.size);
      if (spooled.sha256) headers['x-amz-content-sha256'] = spooled.sha256;
      send(spooled.body);
    },
    (err: unknown) => {
      if (err instanceof SpoolLimitError) {
        refuse('OS_ERR_BODY_TOO_LARGE', `the upload is larger than ${limit} bytes (spool.maxSize)`);
        return discardBody(req);
      }
      // The viewer went away mid-upload (or the disk failed): nothing was sent upstream.
      x.error = 'spool';
      log.warn({ reqId: x.id, err: (err as Error).message }, 'upload not spooled');
      if (!res.headersSent) refuse('OS_ERR_BAD_REQUEST', 'the upload did not complete', { connection: 'close' });
    },
  );
}
