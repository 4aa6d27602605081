import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { ResolvedBlock } from '../config/types.js';
import { sendError } from './error-response.js';
import type { Exchange, Observability } from './exchange.js';
import { viewerHeaders } from './response-headers.js';
import { readS3Error, redactTokens, viewerErrorFor, viewerErrorXml } from './s3-error.js';
import { classifyUpstreamError } from './upstream-error.js';

type Headers = Record<string, string | string[] | undefined>;

/** Of a store error or redirect, only these headers may reach the viewer (its body and Location never do). */
const ERROR_HEADERS = ['content-range', 'retry-after', 'allow', 'date', 'x-amz-request-id', 'x-amz-id-2'];

/** A store error body is read up to this size to find its Code; S3's are well under it. */
const HELD_BODY_LIMIT = 64 * 1024;

function one(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

interface Held {
  readonly status: number;
  readonly headers: Headers;
  readonly chunks: Buffer[];
  size: number;
}

export interface ViewerResponseOptions {
  readonly head: boolean;
  /** The request body being sent upstream, freed when the exchange ends. */
  readonly body: Readable | null;
  readonly block: ResolvedBlock;
  readonly obs: Observability;
  /** server.sendTimeout: how long the viewer may read nothing while the proxy has bytes for it. */
  readonly sendTimeoutMs: number;
}

/**
 * Streams the upstream response to the viewer (undici's handler API): status and entity headers
 * first, then the body with backpressure — when the viewer's socket is full the upstream read is
 * paused, so memory does not grow with object size — and a viewer that goes away aborts the
 * upstream request. A store's error (4xx/5xx) or redirect (3xx but 304) is never passed on as it
 * is: its body can hold our canonical request (so the session token) and its Location a
 * presigned URL. The viewer gets a short S3-shaped error
 * with the store's code; `log.signatureDebug` logs both sides of a SignatureDoesNotMatch.
 */
export class ViewerResponse implements Dispatcher.DispatchHandler {
  #controller: Dispatcher.DispatchController | undefined;
  readonly #res: ServerResponse;
  readonly #x: Exchange;
  readonly #o: ViewerResponseOptions;
  readonly #upstreamStart = performance.now();
  #gone = false;
  #stallWatched = false;
  #held: Held | undefined;

  constructor(res: ServerResponse, x: Exchange, o: ViewerResponseOptions) {
    this.#res = res;
    this.#x = x;
    this.#o = o;
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

  #writeHead(status: number, headers: Headers): void {
    const out = viewerHeaders(headers, this.#o.block.responseHeaders);
    out['x-request-id'] = this.#x.id;
    this.#x.status = status;
    this.#res.writeHead(status, out);
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: Headers): void {
    this.#x.upstreamStatus = statusCode;
    this.#x.upstreamMs = performance.now() - this.#upstreamStart;
    // Read before responseHeaders rules may strip them: the ids the store's operators ask for.
    this.#x.upstreamRequestId = one(headers['x-amz-request-id']);
    this.#x.upstreamId2 = one(headers['x-amz-id-2']);
    if (statusCode >= 400 || (statusCode >= 300 && statusCode !== 304)) {
      this.#held = { status: statusCode, headers, chunks: [], size: 0 };
      return;
    }
    this.#writeHead(statusCode, headers);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    const held = this.#held;
    if (!held) return this.#write(controller, chunk);
    // Past the limit it is not an S3 error body: the rest is read and dropped.
    if (held.size < HELD_BODY_LIMIT) held.chunks.push(chunk);
    held.size += chunk.length;
  }

  #write(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#o.head) return;
    this.#x.bytesOut += chunk.length;
    if (!this.#res.write(chunk)) {
      controller.pause();
      this.#res.once('drain', () => controller.resume());
      this.#watchStall();
    }
  }

  /**
   * A viewer that reads nothing for server.sendTimeout is cut, which aborts the upstream request
   * and frees its pool connection. Node's socket timeout counts from the last socket activity, so
   * a slow reader is not cut; armed at the first backpressure, so small responses pay nothing.
   * After the response Node re-arms the socket's timeout for keep-alive itself.
   */
  #watchStall(): void {
    if (this.#stallWatched) return;
    this.#stallWatched = true;
    this.#res.setTimeout(this.#o.sendTimeoutMs, () => {
      this.#x.error = 'sendTimeout';
      this.#res.destroy();
    });
  }

  onResponseEnd(): void {
    const held = this.#held;
    if (held) {
      this.#held = undefined;
      this.#answerHeld(held);
    }
    this.#res.end();
    // A store may answer before reading a whole upload (an error); free what is left of it.
    this.#o.body?.destroy();
  }

  /** The viewer's answer to a store error or redirect, and the log's record of what the store said. */
  #answerHeld(held: Held): void {
    const x = this.#x;
    const { block, head, obs } = this.#o;
    const body = readS3Error(Buffer.concat(held.chunks).toString('utf8'));
    if (body.code === 'SignatureDoesNotMatch') this.#reportMismatch(body);
    if (held.status < 400) {
      obs.log.warn({ reqId: x.id, block: block.path, upstreamStatus: held.status, code: body.code }, 'the store answered with a redirect; not passed on (check upstream.region and upstream.endpoint)');
      x.error = 'OS_ERR_UPSTREAM_REDIRECT';
      sendError(this.#res, 'OS_ERR_UPSTREAM_REDIRECT', 'the store answered with a redirect', { requestId: x.id, block: block.path, head, leaveOpen: true });
      return;
    }
    let status = held.status;
    let { code, message } = viewerErrorFor(status, body.code);
    // S3 says 403 for a missing key to a reader without ListBucket; HEAD errors have no body.
    if (block.notFoundFor403 && status === 403 && (body.code === 'AccessDenied' || (head && held.size === 0))) {
      status = 404;
      ({ code, message } = viewerErrorFor(404, 'NoSuchKey'));
    }
    const picked: Headers = {};
    for (const name of ERROR_HEADERS) if (held.headers[name] !== undefined) picked[name] = held.headers[name];
    const xml = viewerErrorXml(code, message, x.id, status === held.status ? body.details : []);
    picked['content-type'] = 'application/xml';
    picked['content-length'] = String(Buffer.byteLength(xml));
    this.#writeHead(status, picked);
    if (!head) {
      x.bytesOut += Buffer.byteLength(xml);
      this.#res.write(xml);
    }
  }

  /** `log.signatureDebug`: what we signed next to what the store expected, secrets redacted. */
  #reportMismatch(body: { canonicalRequest?: string; stringToSign?: string }): void {
    const { block, obs } = this.#o;
    obs.metrics.signatureMismatches.inc({ block: block.path });
    const ours = this.#x.signing;
    if (!ours) return;
    obs.log.warn(
      {
        reqId: this.#x.id,
        block: block.path,
        // SigV2 strings to sign carry x-amz-security-token too: both are redacted like the canonical requests.
        ours: { canonicalRequest: redactTokens(ours.canonicalRequest), stringToSign: redactTokens(ours.stringToSign) },
        upstream: { canonicalRequest: redactTokens(body.canonicalRequest), stringToSign: redactTokens(body.stringToSign) },
      },
      "upstream SignatureDoesNotMatch: canonical request and string to sign, ours and the store's",
    );
  }

  onResponseError(_controller: Dispatcher.DispatchController | null, err: Error): void {
    this.#o.body?.destroy();
    if (this.#gone) return;
    const { code, detail } = classifyUpstreamError(err);
    this.#x.error = code;
    if (this.#res.headersSent) {
      // Mid-body failure: the only honest signal left is to cut the connection.
      this.#res.destroy(err);
      return;
    }
    const ctx = { requestId: this.#x.id, block: this.#o.block.path, head: this.#o.head };
    sendError(this.#res, code, detail, ctx, code === 'OS_ERR_UPSTREAM_BUSY' ? { 'retry-after': '1' } : {});
  }
}
