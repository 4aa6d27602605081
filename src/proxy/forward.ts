import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { ResolvedBlock } from '../config/types.js';
import type { ErrorCode } from '../errors.js';
import type { AccessLog } from '../log/access-line.js';
import type { Logger } from '../log/logger.js';
import { safeQuery } from '../log/safe-query.js';
import { statusClass, type Metrics } from '../observability/metrics.js';
import { uriEncode, uriEncodePath } from '../signing/uri-encode.js';
import type { SignableDispatchOptions, SigningDebug } from '../interceptors/sign.js';
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
export function requestIdOf(req: IncomingMessage): string {
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
  credentials?: string;
  /** The access rule that refused the viewer. */
  denied?: string;
  /** What the signer produced, kept only with log.signatureDebug. */
  signing?: SigningDebug;
  error?: string;
}

/** An upstream error body kept to read its S3 error code: S3's are well under this. */
const HELD_BODY_LIMIT = 64 * 1024;

const XML_ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'" };

/** `<Name>…</Name>` of an S3 XML error body, entities decoded (`&amp;` last, so it cannot decode twice). */
const xmlField = (xml: string, name: string): string | undefined =>
  new RegExp(`<${name}>([\\s\\S]*?)</${name}>`)
    .exec(xml)?.[1]
    ?.replace(/&(lt|gt|quot|apos);/g, (e) => XML_ENTITIES[e] ?? e)
    .replace(/&amp;/g, '&');

/** Session tokens appear in canonical requests (header or query); they never reach a log line. */
export function redactTokens(text: string | undefined): string | undefined {
  return text?.replace(/(x-amz-security-token:)[^\n]*/gi, '$1[redacted]').replace(/(X-Amz-Security-Token=)[^&\n]*/gi, '$1[redacted]');
}

/** The S3 error S3 returns for a missing key, for `notFoundFor403`. */
const NO_SUCH_KEY = (requestId: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><RequestId>${requestId}</RequestId></Error>`;

/**
 * Streams the upstream response to the viewer (undici's handler API): status and entity headers
 * first, then the body with backpressure — when the viewer's socket is full the upstream read is
 * paused, so memory does not grow with object size — and a viewer that goes away aborts the
 * upstream request. A 403 is held back (its small XML body) when the block wants it read:
 * `notFoundFor403` answers 404 for AccessDenied, `log.signatureDebug` logs both sides of a
 * SignatureDoesNotMatch.
 */
class ViewerResponse implements Dispatcher.DispatchHandler {
  #controller: Dispatcher.DispatchController | undefined;
  readonly #res: ServerResponse;
  readonly #x: Exchange;
  readonly #head: boolean;
  readonly #body: Readable | null;
  readonly #block: ResolvedBlock;
  readonly #obs: Observability;
  readonly #upstreamStart = performance.now();
  #gone = false;
  #held: { status: number; headers: Record<string, string | string[] | undefined>; chunks: Buffer[]; size: number } | undefined;

  constructor(res: ServerResponse, x: Exchange, head: boolean, body: Readable | null, block: ResolvedBlock, obs: Observability) {
    this.#res = res;
    this.#x = x;
    this.#head = head;
    this.#body = body;
    this.#block = block;
    this.#obs = obs;
    // Created after the viewer already left (a spooled upload): abort as soon as it starts.
    if (res.destroyed && !res.writableFinished) this.#gone = true;
  }

  /** The viewer's response closed (forward's one 'close' listener): before it finished, the viewer went away. */
  viewerClosed(): void {
    if (!this.#res.writableFinished) {
      this.#gone = true;
      this.#controller?.abort(new Error('viewer closed the connection'));
    }
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    if (this.#gone) controller.abort(new Error('viewer closed the connection'));
  }

  #writeHead(status: number, headers: Record<string, string | string[] | undefined>): void {
    const out = viewerHeaders(headers, this.#block.responseHeaders);
    out['x-request-id'] = this.#x.id;
    this.#x.status = status;
    this.#res.writeHead(status, out);
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined>): void {
    this.#x.upstreamStatus = statusCode;
    this.#x.upstreamMs = performance.now() - this.#upstreamStart;
    if (statusCode === 403 && (this.#block.notFoundFor403 || this.#x.signing)) {
      this.#held = { status: statusCode, headers, chunks: [], size: 0 };
      return;
    }
    this.#writeHead(statusCode, headers);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    const held = this.#held;
    if (held) {
      held.chunks.push(chunk);
      held.size += chunk.length;
      if (held.size <= HELD_BODY_LIMIT) return;
      // Not an S3 error body after all: pass it on as it is.
      this.#held = undefined;
      this.#writeHead(held.status, held.headers);
      for (const c of held.chunks) this.#write(controller, c);
      return;
    }
    this.#write(controller, chunk);
  }

  #write(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#head) return;
    this.#x.bytesOut += chunk.length;
    if (!this.#res.write(chunk)) {
      controller.pause();
      this.#res.once('drain', () => controller.resume());
    }
  }

  onResponseEnd(controller: Dispatcher.DispatchController): void {
    const held = this.#held;
    if (held) {
      this.#held = undefined;
      const body = Buffer.concat(held.chunks).toString('utf8');
      const code = xmlField(body, 'Code');
      if (code === 'SignatureDoesNotMatch') this.#reportMismatch(body);
      if (this.#block.notFoundFor403 && (code === 'AccessDenied' || (this.#head && body === ''))) {
        const xml = NO_SUCH_KEY(this.#x.id);
        this.#writeHead(404, { 'content-type': 'application/xml', 'content-length': String(Buffer.byteLength(xml)) });
        this.#write(controller, Buffer.from(xml));
      } else {
        this.#writeHead(held.status, held.headers);
        for (const c of held.chunks) this.#write(controller, c);
      }
    }
    this.#res.end();
    // A store may answer before reading a whole upload (an error); free what is left of it.
    this.#body?.destroy();
  }

  /** `log.signatureDebug`: what we signed next to what the store expected, secrets redacted. */
  #reportMismatch(body: string): void {
    this.#obs.metrics.signatureMismatches.inc({ block: this.#block.path });
    const ours = this.#x.signing;
    if (!ours) return;
    this.#obs.log.warn(
      {
        reqId: this.#x.id,
        block: this.#block.path,
        // SigV2 strings to sign carry x-amz-security-token too: both are redacted like the canonical requests.
        ours: { canonicalRequest: redactTokens(ours.canonicalRequest), stringToSign: redactTokens(ours.stringToSign) },
        upstream: { canonicalRequest: redactTokens(xmlField(body, 'CanonicalRequest')), stringToSign: redactTokens(xmlField(body, 'StringToSign')) },
      },
      'upstream SignatureDoesNotMatch: canonical request and string to sign, ours and the store\'s',
    );
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
 * After refusing an upload whose body is still arriving: the answer is written whole, then the
 * rest of the body is read and thrown away for a bounded time and size before the response (and,
 * if the viewer asked to close, the connection) ends — nginx's lingering close. Ending at once
 * with unread data makes the kernel reset the connection, and a viewer still writing gets EPIPE
 * instead of reading the refusal. Past the bounds the connection is cut.
 */
function drainThenEnd(req: IncomingMessage, res: ServerResponse, limits = { bytes: 64 * 1024 * 1024, ms: 10_000 }): void {
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

interface Upstream {
  readonly path: string;
  readonly headers: Record<string, string>;
}

/**
 * The upstream path and query for one request: the block's base path and the canonical encoding
 * of `keyPrefix + key` (so the bytes sent are the bytes signed), or — a GET on a folder of a
 * MediaStore block — a ListItems request for that folder.
 */
export function upstreamTarget(block: ResolvedBlock, method: string, rest: string, rawQuery: string): { target: string } | { error: ErrorCode; detail: string } {
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

/** Where a request reports to: its access-log line and the metrics. */
export interface Observability {
  readonly log: Logger;
  /** One line per request (src/log/access-line.ts). It never holds a secret: no headers, the query without signature parameters. */
  readonly accessLog: AccessLog;
  readonly metrics: Metrics;
}

/** The access-log line and the metrics of one finished exchange. */
function report(obs: Observability, x: Exchange, res: ServerResponse, method: string, rawPath: string, rawQuery: string): void {
  // nginx's convention: 499 for a request whose viewer went away before any answer.
  const status = res.headersSent ? res.statusCode : 499;
  const ms = performance.now() - x.started;
  obs.accessLog.write({
    reqId: x.id,
    block: x.block,
    method,
    path: rawPath,
    query: safeQuery(rawQuery),
    status,
    bytesIn: x.bytesIn,
    bytesOut: x.bytesOut,
    upstreamStatus: x.upstreamStatus,
    upstreamMs: x.upstreamMs === undefined ? undefined : Math.round(x.upstreamMs * 10) / 10,
    ms: Math.round(ms * 10) / 10,
    credentials: x.credentials,
    error: x.error,
    denied: x.denied,
    aborted: !res.writableFinished || undefined,
  });
  const m = obs.metrics;
  const block = x.block ?? '(none)';
  m.inFlight.dec();
  m.countRequest(block, method, statusClass(status), ms / 1000, x.upstreamMs === undefined ? undefined : x.upstreamMs / 1000, x.bytesOut, x.bytesIn ?? 0);
  if (x.error?.startsWith('OS_ERR_UPSTREAM')) m.upstreamErrors.inc({ block, code: x.error });
  else if (x.error?.startsWith('OS_ERR_')) m.refused.inc({ block, code: x.error });
}

/** DESIGN request path, steps 1–6, for one viewer request. */
export function forward(rt: ProxyRuntime, req: IncomingMessage, res: ServerResponse, obs: Observability): void {
  const x: Exchange = { id: requestIdOf(req), started: performance.now(), bytesOut: 0 };
  const method = req.method ?? 'GET';
  const head = method === 'HEAD';
  const rawUrl = req.url ?? '/';
  const qi = rawUrl.indexOf('?');
  const rawPath = qi === -1 ? rawUrl : rawUrl.slice(0, qi);
  const log = obs.log;
  obs.metrics.inFlight.inc();
  let viewer: ViewerResponse | undefined;
  // One listener for the whole exchange ('close' comes once): the access line, then the upstream
  // request aborted if the viewer left before the end. `on`, not `once`: no wrapper per request.
  res.on('close', () => {
    report(obs, x, res, method, rawPath, qi === -1 ? '' : rawUrl.slice(qi + 1));
    viewer?.viewerClosed();
  });
  const refuse = (code: ErrorCode, detail: string, headers: Record<string, string> = {}): void => {
    x.error = code;
    sendError(res, code, detail, { requestId: x.id, ...(x.block ? { block: x.block } : {}), head }, headers);
  };
  /** A refusal of an upload whose body is still coming: answer, drain (bounded), then end. */
  const refuseUpload = (code: ErrorCode, detail: string): void => {
    x.error = code;
    sendError(res, code, detail, { requestId: x.id, ...(x.block ? { block: x.block } : {}), head, leaveOpen: true });
    drainThenEnd(req, res);
  };

  const route = rt.route(rawPath);
  if (!route) return refuse('OS_ERR_NO_ROUTE', 'no proxy block serves this path');
  const block: ResolvedBlock = route.block;
  x.block = block.path;
  x.credentials = block.credentials.name;
  if (!block.methods.includes(method)) return refuse('OS_ERR_METHOD_NOT_ALLOWED', `${method} is not allowed here`, { allow: block.methods.join(', ') });
  // DESIGN step 2: the block's access rules, before anything about the key is even read.
  let denied: string | undefined;
  try {
    denied = rt.access(block)?.(req, rawPath, qi === -1 ? '' : rawUrl.slice(qi + 1));
  } catch (err) {
    // An access rule must never leave a request hanging or let it through: fail closed.
    log.error({ reqId: x.id, block: block.path, err: (err as Error).message }, 'access check failed');
    return refuse('OS_ERR_INTERNAL', 'the access check failed');
  }
  if (denied) {
    obs.metrics.accessDenied.inc({ block: block.path, reason: denied });
    x.error = 'OS_ERR_ACCESS_DENIED';
    x.denied = denied;
    sendError(res, 'OS_ERR_ACCESS_DENIED', `access denied: ${denied}`, { requestId: x.id, block: block.path, head, reason: denied });
    return;
  }
  const target = upstreamTarget(block, method, route.rest, qi === -1 ? '' : rawUrl.slice(qi + 1));
  if ('error' in target) return refuse(target.error, target.detail);

  const headers = upstreamHeaders(method, req.headers, block.signing);
  headers.host = block.host;
  const up: Upstream = { path: target.target, headers };
  const send = (body: Readable | null): void => {
    const opts: SignableDispatchOptions = { origin: block.origin, method: method as Dispatcher.HttpMethod, path: up.path, headers: up.headers, body };
    if (rt.config.log.signatureDebug) opts.onSigned = (d) => (x.signing = d);
    try {
      viewer = new ViewerResponse(res, x, head, body, block, obs);
      rt.dispatcher(block).dispatch(opts, viewer);
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
  if (chunked && limit === 0) return refuseUpload('OS_ERR_LENGTH_REQUIRED', 'send Content-Length: this block does not spool uploads (spool.maxSize: 0)');
  if (declared !== undefined && Number(declared) > limit) {
    return refuseUpload('OS_ERR_BODY_TOO_LARGE', `the upload is ${declared} bytes; this block spools at most ${limit} (spool.maxSize)`);
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
      if (err instanceof SpoolLimitError) return refuseUpload('OS_ERR_BODY_TOO_LARGE', `the upload is larger than ${limit} bytes (spool.maxSize)`);
      // The viewer went away mid-upload (or the disk failed): nothing was sent upstream.
      x.error = 'spool';
      log.warn({ reqId: x.id, err: (err as Error).message }, 'upload not spooled');
      if (!res.headersSent) refuse('OS_ERR_BAD_REQUEST', 'the upload did not complete', { connection: 'close' });
    },
  );
}
