import type { Dispatcher } from 'undici';
import type { BlockCache } from '../config/types.js';
import type { Entry, EntryMeta } from './entry.js';
import type { FillHead, FillUpstream } from './fill.js';
import { weaklyEqual } from './conditionals.js';
import { freshFor, upstreamAgeMs } from './freshness.js';
import type { GrowingBody } from './growing-body.js';
import { refreshedHeaders, storedHeaders, totalSizeOf } from './stored-headers.js';
import { firstValue } from '../http/first-value.js';
import type { UpstreamTarget } from '../http/upstream-target.js';

type Headers = Record<string, string | string[] | undefined>;

/** What one fill ended in, as its viewers (the one that started it and those that joined) need it. */
export type Outcome =
  | { readonly kind: 'body'; readonly status: number; readonly headers: Headers; readonly meta: EntryMeta; readonly body: GrowingBody }
  /** An entry to serve: the stored one revalidated (304), or another replica's from the shared tier (`shared`). */
  | { readonly kind: 'refreshed'; readonly entry: Entry; readonly shared?: 'hit' | 'collapsed' }
  | { readonly kind: 'error-status'; readonly status: number; readonly headers: Headers; readonly body: Buffer }
  | { readonly kind: 'too-large'; readonly size: number }
  | { readonly kind: 'failed'; readonly error: Error };

export interface FillRequest {
  /** Viewers asking for the same collapse key share one fill (and, with the shared tier, one fleet lock). */
  readonly collapseKey: string;
  /** The entry this fill leaves for other replicas, when not the collapse key (a probe leaves the object's). */
  readonly sharedKey?: string;
  /** Where the answer is kept, from its headers (a slice's key carries the ETag), or undefined: not kept. */
  readonly storeKey: (status: number, headers: Headers) => string | undefined;
  readonly dispatcher: Dispatcher;
  readonly origin: string;
  readonly host: string;
  readonly target: UpstreamTarget;
  readonly rules: BlockCache;
  /** Bytes [start, end] of the object: a slice. */
  readonly range?: { readonly start: number; readonly end: number };
  /** A stored entry to revalidate (If-None-Match with its ETag). */
  readonly revalidates?: Entry;
  /** The stale entry stands in on a store error (staleIfError): a 503 is not waited out on the retry backoff. */
  readonly staleOnError?: boolean;
  /** The ETag every slice after the first must still have (If-Match; else 412 and the object is refetched). */
  readonly ifMatch?: string;
  /** A store answer kept as "no such key" (404; 403 AccessDenied with notFoundFor403) for notFoundTtl, by status and error code. */
  readonly notFound: (status: number, code: string | undefined) => boolean;
  /** The store's error code from an error body. */
  readonly codeOf: (body: Buffer) => string | undefined;
}

export interface InFlight {
  readonly outcome: Promise<Outcome>;
  readonly upstream: FillUpstream;
  /** Set when a write or purge dropped the key while this fill ran: its answer is served, never kept. */
  noStore: boolean;
  readonly collapseKey: string;
}

/** Slices never change under their ETag: kept until evicted, however fresh the object is. */
const FOREVER = Number.MAX_SAFE_INTEGER;

/** Where a fill's answer is kept (the shield's stores, as this fill's) or dropped from. */
export interface OutcomeStores {
  keep(key: string, entry: Entry): void;
  drop(key: string): void;
}

/** What the store's answer to a fill means for its viewers, and what of it is kept. */
export function outcomeOf(r: FillRequest, h: FillHead, inflight: InFlight, now: number, to: OutcomeStores): Outcome {
  switch (h.kind) {
    case 'too-large':
      return h;
    case 'failed':
      return h;
    case 'not-modified': {
      const old = r.revalidates;
      // Only a stored entry with an ETag is revalidated with If-None-Match: without one, the GET was unconditional.
      if (!old || old.meta.etag === undefined) return { kind: 'failed', error: new Error('the store answered 304 to an unconditional GET') };
      // A 304 naming another ETag is not about the stored copy (RFC 9111 §4.3.4): taken, it would
      // label the old bytes with the new version's ETag. The copy is known to be outdated: dropped.
      // Compared weakly: a relay in front of the store may mark the 304's tag weak (§4.3.4).
      const etag = firstValue(h.headers['etag']);
      if (etag !== undefined && !weaklyEqual(etag, old.meta.etag)) {
        const key = r.storeKey(304, h.headers);
        if (key) to.drop(key);
        return { kind: 'failed', error: new Error(`the store answered 304 with ETag ${etag} to If-None-Match: ${old.meta.etag}`) };
      }
      const headers = refreshedHeaders(old.meta.headers, h.headers);
      const age = upstreamAgeMs(h.headers);
      const fresh = freshFor(headers, r.rules, now, age);
      const entry: Entry = { meta: { ...old.meta, headers, storedAt: now - age, freshUntil: now + (fresh ?? 0) }, body: old.body };
      const key = r.storeKey(304, h.headers);
      // The object now says no-store (or private): answered this once, validated, but no longer
      // kept — kept, it would be served stale (staleWhileRevalidate, staleIfError) for good.
      if (key && fresh === undefined) to.drop(key);
      else if (key && !inflight.noStore) to.keep(key, entry);
      return { kind: 'refreshed', entry };
    }
    case 'error-status': {
      const status = r.notFound(h.status, r.codeOf(h.body)) ? 404 : h.status;
      if (status === 404 && r.rules.notFoundTtlMs > 0) {
        const key = r.storeKey(404, h.headers);
        const code = h.status === 404 ? (r.codeOf(h.body) ?? 'NoSuchKey') : 'NoSuchKey';
        const meta: EntryMeta = { status: 404, headers: {}, etag: undefined, objectSize: 0, storedAt: now, freshUntil: now + r.rules.notFoundTtlMs, code };
        if (key && !inflight.noStore) to.keep(key, { meta, body: Buffer.alloc(0) });
      } else if (status === 404 && r.revalidates) {
        // The object is gone: its stale copy must not be served on (staleWhileRevalidate) either.
        const key = r.storeKey(404, h.headers);
        if (key) to.drop(key);
      }
      return h;
    }
    case 'body': {
      const age = upstreamAgeMs(h.headers);
      const fresh = freshFor(h.headers, r.rules, now, age);
      const meta: EntryMeta = {
        status: h.status === 206 ? 206 : 200,
        headers: storedHeaders(h.headers),
        etag: firstValue(h.headers['etag']),
        objectSize: h.status === 206 ? (totalSizeOf(h.headers) ?? 0) : Number(firstValue(h.headers['content-length'])),
        // Its age counts from when the store's own cache got it: the viewer's Age says so too.
        storedAt: now - age,
        freshUntil: h.status === 206 ? FOREVER : now + (fresh ?? 0),
      };
      const key = fresh === undefined ? undefined : r.storeKey(h.status, h.headers);
      // The object now says no-store (or private): the copy kept before must not be served stale.
      if (fresh === undefined && r.revalidates) {
        const old = r.storeKey(h.status, h.headers);
        if (old) to.drop(old);
      }
      if (key) {
        const body = h.body;
        const keepWhenDone = (): boolean => {
          if (body.error) return true;
          if (!body.done) return false;
          if (!inflight.noStore) to.keep(key, { meta, body: body.whole() });
          return true;
        };
        // A small body may be complete already: it can arrive with its head.
        if (!keepWhenDone()) {
          const off = body.subscribe(() => {
            if (keepWhenDone()) off();
          });
        }
      }
      return { kind: 'body', status: h.status, headers: h.headers, meta, body: h.body };
    }
  }
}
