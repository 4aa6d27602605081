import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { ResolvedBlock } from '../config/types.js';
import { sendError } from './error-response.js';
import type { Exchange, Observability } from './exchange.js';
import { viewerHeaders } from './response-headers.js';
import { watchStall } from './send-timeout.js';
import { answerStoreError, reportMismatch } from './store-error-answer.js';
import { storeHeadersUnderCors } from './cors.js';
import { classifyUpstreamError } from './upstream-error.js';
import { firstValue } from '../http/first-value.js';

type Headers = Record<string, string | string[] | undefined>;

/** A store error body is read up to this size to find its Code; S3's are well under it. */
const HELD_BODY_LIMIT = 64 * 1024;

interface Held {
  readonly status: number;
  readonly headers: Headers;
  readonly chunks: Buffer[];
  size: number;
  /** The store's answer has ended. */
  ended?: boolean;
}

export interface ViewerResponseOptions {
  readonly head: boolean;
  /** The request body being sent upstream, freed when the exchange ends. */
  readonly body: Readable | null;
  readonly block: ResolvedBlock;
  readonly obs: Observability;
  /** server.sendTimeout: how long the viewer may read nothing while the proxy has bytes for it. */
  readonly sendTimeoutMs: number;
  /** On a cached block's read that passes by the cache (too large, an uncached parameter): X-Cache says so. */
  readonly cacheResult?: string;
  /** Called when the store's answer starts (a write drops the key from the cached blocks on its store). */
  readonly onAnswer?: () => void;
  /** The answer's status in place of the store's 200 (an error page keeps the error's status). */
  readonly status?: number;
  /** The store has no such object (404, or 403): called instead of answering, the response left open. */
  readonly onMissing?: (status: number) => void;
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
  #held: Held | undefined;
  /** A 2xx that came while the upload was still being sent: written once the upload has all gone. */
  #early: Held | undefined;

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
    const tag = this.#o.cacheResult;
    const block = this.#o.block;
    const fromStore = block.cors ? storeHeadersUnderCors(headers) : headers;
    // X-Cache before the block's rules, which may remove it.
    const out = viewerHeaders(tag ? { ...fromStore, 'x-cache': tag } : fromStore, block.responseHeaders);
    out['x-request-id'] = this.#x.id;
    const shown = status === 200 && this.#o.status ? this.#o.status : status;
    this.#x.status = shown;
    this.#res.writeHead(shown, out);
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: Headers): void {
    this.#x.upstreamStatus = statusCode;
    this.#x.upstreamMs = performance.now() - this.#upstreamStart;
    // Read before responseHeaders rules may strip them: the ids the store's operators ask for.
    this.#x.upstreamRequestId = firstValue(headers['x-amz-request-id']);
    this.#x.upstreamId2 = firstValue(headers['x-amz-id-2']);
    this.#o.onAnswer?.();
    if (statusCode >= 400 || (statusCode >= 300 && statusCode !== 304)) {
      this.#held = { status: statusCode, headers, chunks: [], size: 0 };
      return;
    }
    const body = this.#o.body;
    if (body && !body.readableEnded) {
      // A store says success once it has the whole body (S3 does): a 2xx before that would tell
      // the viewer an upload succeeded that the proxy may yet refuse (a checksum trailer, a cut
      // body). It waits for the upload's end; a store that ends its answer first is broken.
      this.#early = { status: statusCode, headers, chunks: [], size: 0 };
      body.once('end', () => this.#releaseEarly());
      return;
    }
    this.#writeHead(statusCode, headers);
  }

  #releaseEarly(): void {
    const early = this.#early;
    if (!early || this.#gone) return;
    this.#early = undefined;
    this.#writeHead(early.status, early.headers);
    for (const chunk of early.chunks) this.#write(this.#controller!, chunk);
    if (early.ended) this.#res.end();
    else if (early.size > HELD_BODY_LIMIT && !this.#res.writableNeedDrain) this.#controller!.resume();
  }

  /** The upload broke off (or was cut) after the store had answered it: the answer was not about it. */
  #refuseEarly(early: Held): void {
    if (this.#early !== early) return;
    this.#early = undefined;
    if (this.#gone || this.#res.headersSent) return;
    const ctx = { requestId: this.#x.id, block: this.#o.block.path, head: this.#o.head };
    this.#x.error = 'OS_ERR_UPSTREAM_EARLY_ANSWER';
    sendError(this.#res, 'OS_ERR_UPSTREAM_EARLY_ANSWER', `the store answered ${early.status} before the upload had all been sent, and the upload did not complete`, ctx);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    const early = this.#early;
    if (early) {
      early.chunks.push(chunk);
      early.size += chunk.length;
      // Held in memory up to a limit, then the store waits (released with the answer).
      if (early.size > HELD_BODY_LIMIT) controller.pause();
      return;
    }
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
      watchStall(this.#res, this.#x, this.#o.sendTimeoutMs);
    }
  }

  onResponseEnd(): void {
    const early = this.#early;
    if (early) {
      // The answer is complete, the upload not yet: it ends well (then the answer goes out) or not.
      early.ended = true;
      const body = this.#o.body!;
      if (body.destroyed) this.#refuseEarly(early);
      else body.once('close', () => this.#refuseEarly(early));
      return;
    }
    const held = this.#held;
    if (held) {
      this.#held = undefined;
      if (this.#o.onMissing && (held.status === 404 || held.status === 403)) return this.#o.onMissing(held.status);
      this.#answerHeld(held);
    }
    this.#res.end();
    // A store may answer before reading a whole upload (an error); free what is left of it.
    this.#o.body?.destroy();
  }

  /** The viewer's answer to a store error or redirect (store-error-answer.ts). */
  #answerHeld(held: Held): void {
    const c = { res: this.#res, x: this.#x, block: this.#o.block, head: this.#o.head, obs: this.#o.obs };
    const body = answerStoreError(c, held.status, held.headers, Buffer.concat(held.chunks), held.size);
    if (body.code === 'SignatureDoesNotMatch') reportMismatch(c, body);
  }

  onResponseError(_controller: Dispatcher.DispatchController | null, err: Error): void {
    this.#early = undefined;
    this.#o.body?.destroy();
    if (this.#gone) return;
    // A 304 (or 204) may carry the Content-Length the 200 would have had (RFC 9110 §8.6); undici
    // counts its absent body as a mismatch, but the answer is complete: no error to report.
    const bodiless = this.#x.upstreamStatus === 304 || this.#x.upstreamStatus === 204;
    if (bodiless && this.#res.headersSent && (err as { code?: string }).code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') {
      this.#res.end();
      return;
    }
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
