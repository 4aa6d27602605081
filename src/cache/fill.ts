import type { Dispatcher } from 'undici';
import { GrowingBody } from './growing-body.js';
import { contentRange, type ByteRange } from './range.js';
import { firstValue } from '../http/first-value.js';
import { dispatchTarget, type TargetedDispatchOptions, type UpstreamTarget } from '../http/upstream-target.js';

type Headers = Record<string, string | string[] | undefined>;

/** A store error body is read up to this size to find its Code; S3's are well under it. */
const HELD_BODY_LIMIT = 64 * 1024;

/** What the store's answer to one fill turned out to be, once its status and headers are in. */
export type FillHead =
  /** 200 or 206: the body grows in `body` while viewers read it. */
  | { readonly kind: 'body'; readonly status: number; readonly headers: Headers; readonly body: GrowingBody }
  /** 304 to a revalidation. */
  | { readonly kind: 'not-modified'; readonly headers: Headers }
  /** A store error or redirect, its body held (up to 64 KiB) for its Code. */
  | { readonly kind: 'error-status'; readonly status: number; readonly headers: Headers; readonly body: Buffer }
  /** A body larger than the fill may hold: aborted, the viewers go to the store themselves. */
  | { readonly kind: 'too-large'; readonly size: number }
  /** No answer: connection error, timeout, a signing failure. */
  | { readonly kind: 'failed'; readonly error: Error };

export interface FillOptions {
  readonly origin: string;
  readonly target: UpstreamTarget;
  /** Host and the fill's own conditional headers: never a viewer's. */
  readonly headers: Record<string, string>;
  /** Bytes [start, end] of the object, asked with `Range` (a slice); a 206 must answer exactly these. */
  readonly range?: ByteRange;
  /** Largest body the fill may hold; reserve() is asked for the declared length and may say no. */
  readonly reserve: (bytes: number) => boolean;
  readonly release: (bytes: number) => void;
  /** Where the store's answer is noted for the access line (made before the fill starts). */
  readonly upstream?: FillUpstream;
  /** False: a 503 is the outcome at once, not retried after a backoff (a stale copy stands in). */
  readonly wait503?: boolean;
}

/** What the fill's access lines report. */
export interface FillUpstream {
  status?: number;
  ms?: number;
  requestId?: string;
  id2?: string;
}

/**
 * One signed GET to the store whose answer any number of viewers share (collapsed misses). It is
 * never aborted by a viewer leaving: the others, and the cache, still want the bytes. A body that
 * breaks mid-way fails its GrowingBody, so no viewer gets it as complete and nothing is stored.
 */
export class Fill implements Dispatcher.DispatchHandler {
  readonly head: Promise<FillHead>;
  readonly upstream: FillUpstream;
  #resolve!: (h: FillHead) => void;
  #settled = false;
  #body: GrowingBody | undefined;
  #held: { status: number; headers: Headers; chunks: Buffer[]; size: number } | undefined;
  #reserved = 0;
  readonly #o: FillOptions;
  readonly #started = performance.now();

  constructor(dispatcher: Dispatcher, o: FillOptions) {
    this.#o = o;
    this.upstream = o.upstream ?? {};
    this.head = new Promise((r) => (this.#resolve = r));
    try {
      const headers = o.range ? { ...o.headers, range: `bytes=${o.range.start}-${o.range.end}` } : o.headers;
      const opts: TargetedDispatchOptions = { origin: o.origin, method: 'GET', ...dispatchTarget(o.target), headers, body: null, ...(o.wait503 === false ? { wait503: false } : {}) };
      dispatcher.dispatch(opts, this);
    } catch (err) {
      this.#settle({ kind: 'failed', error: err as Error });
    }
  }

  #settle(h: FillHead): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#resolve(h);
  }

  onRequestStart(): void {}

  onResponseStart(controller: Dispatcher.DispatchController, status: number, headers: Headers): void {
    const up = this.upstream;
    up.status = status;
    up.ms = performance.now() - this.#started;
    up.requestId = firstValue(headers['x-amz-request-id']);
    up.id2 = firstValue(headers['x-amz-id-2']);
    if (status === 304) return this.#settle({ kind: 'not-modified', headers });
    if (status !== 200 && status !== 206) {
      this.#held = { status, headers, chunks: [], size: 0 };
      return;
    }
    // A 206 answers only the range asked for (RFC 9110 §15.3.7): anything else from a broken store
    // is neither passed on nor kept — under the object's key it would be "fresh" for ever.
    const asked = this.#o.range;
    const got = contentRange(firstValue(headers['content-range']));
    // The end cut to the object's, as a range past its end is answered.
    if (status === 206 && !(asked && got && got.start === asked.start && got.end === Math.min(asked.end, got.size - 1))) {
      const what = asked ? `bytes=${asked.start}-${asked.end}` : 'a GET without Range';
      this.#settle({ kind: 'failed', error: new Error(`the store answered 206 (${firstValue(headers['content-range']) ?? 'no Content-Range'}) to ${what}`) });
      controller.abort(new Error('a 206 for another range'));
      return;
    }
    const size = Number(firstValue(headers['content-length']));
    // A 206's body is its range: one of another length is kept as a slice that is not one (a
    // short or long buffer under the slice's key, its bytes sent at the wrong offsets for ever).
    if (status === 206 && got && Number.isSafeInteger(size) && size !== got.end - got.start + 1) {
      this.#settle({ kind: 'failed', error: new Error(`the store answered 206 (${firstValue(headers['content-range'])}) with Content-Length ${size}`) });
      controller.abort(new Error('a 206 whose length is not its range'));
      return;
    }
    // S3 always says how long a GetObject body is; without it the fill cannot be bounded.
    if (!Number.isSafeInteger(size) || !this.#o.reserve(size)) {
      this.#settle({ kind: 'too-large', size: Number.isSafeInteger(size) ? size : Infinity });
      controller.abort(new Error('too large to cache'));
      return;
    }
    this.#reserved = size;
    this.#body = new GrowingBody(size);
    this.#settle({ kind: 'body', status, headers, body: this.#body });
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#body) {
      // A store that sends more than it declared is broken: never keep or pass the excess.
      if (!this.#body.append(chunk)) this.#body.fail(new Error('the store sent more than its Content-Length'));
      return;
    }
    const held = this.#held;
    if (held) {
      if (held.size < HELD_BODY_LIMIT) held.chunks.push(chunk);
      held.size += chunk.length;
    }
  }

  onResponseEnd(): void {
    const held = this.#held;
    if (held) return this.#settle({ kind: 'error-status', status: held.status, headers: held.headers, body: Buffer.concat(held.chunks) });
    const body = this.#body;
    if (body) {
      const complete = body.length === body.size;
      // Released before finish(): the entry kept on finish takes the reservation's place; counted
      // both at once, an object over half of maxSize (or fills ending side by side) was never kept.
      this.#releaseLater();
      if (complete) body.finish();
      else body.fail(new Error('the store closed the body early'));
    }
  }

  onResponseError(_controller: Dispatcher.DispatchController | null, err: Error): void {
    this.#settle({ kind: 'failed', error: err });
    this.#body?.fail(err);
    if (this.#body) this.#releaseLater();
    else if (this.#held) this.#settle({ kind: 'failed', error: err });
  }

  /** The reservation ends when the body is done or failed; a stored copy is then counted by the store. */
  #releaseLater(): void {
    const bytes = this.#reserved;
    this.#reserved = 0;
    if (bytes) this.#o.release(bytes);
  }
}
