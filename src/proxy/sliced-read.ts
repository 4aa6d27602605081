import { probeKey, sliceKey } from '../cache/cache-key.js';
import type { Entry, EntryMeta } from '../cache/entry.js';
import { freshFor, mayServeStale, upstreamAgeMs } from '../cache/freshness.js';
import type { GrowingBody } from '../cache/growing-body.js';
import type { InFlight, Outcome } from '../cache/shield.js';
import { storedHeaders, totalSizeOf } from '../cache/stored-headers.js';
import { answerFromMeta } from './cached-answer.js';
import { codeOf, holdOff, notFoundIn, noteUpstream, refreshedResult, revalidation, serveEntry, staleStandsIn, tagged, type CacheResult, type CachedReadContext } from './cached-read.js';
import { sendError } from './error-response.js';
import { pipeGrowing } from './pipe-growing.js';
import { streamSlices, type SliceSource, sliceSource } from './slice-stream.js';
import { answerStoreError } from './store-error-answer.js';
import { classifyUpstreamError } from './upstream-error.js';
import { plannedRange } from './planned-range.js';
import { firstValue } from '../http/first-value.js';
import { byteRangeSpec, contentRange } from '../cache/range.js';
import { OriginSignerError } from '../errors.js';

type Headers = Record<string, string | string[] | undefined>;

/**
 * A GET or HEAD on a block with `cache.slice` (README "Shield cache", Ranges): the object's
 * headers and size are kept under its key, its bytes as fixed-size slices under keys that carry
 * its ETag. A read fetches (signed ranged GETs, collapsed per slice) only the slices its range
 * spans; the first request for an object learns its size from the slice it needed anyway.
 */
export function slicedRead(c: CachedReadContext): void {
  const hit = c.shield.memory.get(c.key);
  if (hit || c.shield.memoryOnly) return decide(c, hit, false);
  c.shield.get(c.key).then(
    (e) => decide(c, e, false),
    () => decide(c, undefined, false),
  );
}

function decide(c: CachedReadContext, entry: Entry | undefined, retried: boolean): void {
  if (c.res.destroyed) return;
  const now = c.shield.clock();
  if (entry) {
    const until = entry.meta.freshUntil;
    if (now < until) return serveObject(c, entry, 'HIT', now, undefined, retried);
    if (now < until + c.rules.staleWhileRevalidateMs && mayServeStale(entry.meta)) {
      serveObject(c, entry, 'STALE', now, undefined, retried);
      // In the background: a 304 refreshes the entry (fill-outcome); a 206 is a new version, whose
      // headers and size replace the entry here (joined or not: its viewer may have left), or every
      // read would stay STALE and refresh again. One that may not be kept (no-store) drops it.
      const { inflight } = probe(c, entry, 0, now);
      void inflight.outcome.then((o) => {
        if (o.kind === 'body' && o.status === 206 && !keepObject(c, o.headers, inflight, c.shield.clock()).kept) void c.shield.invalidate(c.key);
      });
      return;
    }
    if (c.shield.failing.has(c.key, now) && staleStandsIn(c, entry, now)) return serveObject(c, entry, 'STALE', now, undefined, retried);
  }
  if (c.shield.tooLarge(c.key, now)) return c.passBy();
  const { inflight, joined } = probe(c, entry, firstIndex(c, entry), now);
  inflight.outcome.then((o) => afterProbe(c, o, inflight, entry, joined, retried));
}

/** The slice the viewer's range starts in, when it can be known without the object's size. */
function firstIndex(c: CachedReadContext, entry: Entry | undefined): number | undefined {
  const S = c.rules.sliceBytes!;
  const m = byteRangeSpec(firstValue(c.req.headers.range));
  if (!m) return 0;
  // A start past any object's size that is not a safe integer (`bytes=` and 25 nines) would be
  // asked as `bytes=1e+25-…`, a Range the store ignores: the whole object, then "too large to
  // keep" for every viewer of it for a minute. The first slice instead; the range is then 416.
  if (m[1] !== '') return Number.isSafeInteger(Number(m[1])) ? Math.floor(Number(m[1]) / S) : 0;
  // A suffix range: with a known size its first slice, else a one-byte probe for the size.
  if (entry && entry.meta.objectSize > 0) return Math.floor(Math.max(0, entry.meta.objectSize - Number(m[2])) / S);
  return undefined;
}

/** The request that learns (or revalidates) the object's headers and size, fetching a slice on the way. */
function probe(c: CachedReadContext, entry: Entry | undefined, index: number | undefined, now: number): { inflight: InFlight; joined: boolean } {
  const S = c.rules.sliceBytes!;
  const range = index === undefined ? { start: 0, end: 0 } : { start: index * S, end: index * S + S - 1 };
  return c.shield.fill({
    collapseKey: probeKey(c.key),
    // Other replicas probing it wait for the object's entry (its slice follows under its own key).
    sharedKey: c.key,
    // A slice without a strong ETag is not kept: nothing tells its version's bytes from another's.
    storeKey: (status, h) => (status === 206 ? (index === undefined || strongEtag(h) === undefined ? undefined : sliceKey(c.key, strongEtag(h)!, index)) : c.key),
    dispatcher: c.dispatcher,
    origin: c.block.origin,
    host: c.block.host,
    target: c.target,
    rules: c.rules,
    range,
    ...revalidation(c, entry, now),
    notFound: notFoundIn(c),
    codeOf,
  });
}

/** The answer's ETag when it is a strong one: the only validator slices of one version can be told by. */
function strongEtag(h: Headers): string | undefined {
  const etag = firstValue(h['etag']);
  return etag === undefined || etag.startsWith('W/') ? undefined : etag;
}

/** The object's entry from a slice's answer, kept when it may be (not no-store, not dropped meanwhile). */
function keepObject(c: CachedReadContext, h: Headers, inflight: InFlight, now: number): { entry: Entry; kept: boolean } {
  const made = objectEntry(c, h, now);
  const kept = made.storable && !inflight.noStore;
  if (kept) c.shield.keep(c.key, made.entry, c.rules, inflight);
  return { entry: made.entry, kept };
}

/** The object's entry from a slice's answer: its headers and whole size, fresh as the object says. */
function objectEntry(c: CachedReadContext, h: Headers, now: number): { entry: Entry; storable: boolean } {
  const age = upstreamAgeMs(h);
  const fresh = freshFor(h, c.rules, now, age);
  const meta: EntryMeta = { status: 200, headers: storedHeaders(h), etag: firstValue(h['etag']), objectSize: totalSizeOf(h) ?? 0, storedAt: now - age, freshUntil: now + (fresh ?? 0) };
  return { entry: { meta, body: Buffer.alloc(0) }, storable: fresh !== undefined && strongEtag(h) !== undefined };
}

function afterProbe(c: CachedReadContext, o: Outcome, inflight: InFlight, entry: Entry | undefined, joined: boolean, retried: boolean): void {
  noteUpstream(c.x, inflight);
  if (c.res.destroyed) return;
  const now = c.shield.clock();
  const staleOk = staleStandsIn(c, entry, now);
  const result: CacheResult = joined ? 'COLLAPSED' : 'MISS';
  switch (o.kind) {
    case 'refreshed':
      return serveObject(c, o.entry, refreshedResult(o, joined), now, undefined, retried);
    case 'body': {
      // A store that ignored the Range sent the whole object: served (and kept) whole.
      if (o.status === 200) return answerFromMeta(tagged(c, result, now, o.meta), o.meta, (s, e) => pipeGrowing(c.res, c.x, o.body, s, e, c.sendTimeoutMs));
      // Without an ETag, slices of two versions could not be told apart (If-Match, slice keys); a
      // weak one promises no byte-for-byte sameness, and If-Match never matches it (RFC 9110
      // §13.1.1): every slice after the first would be "changed". The viewer's own request goes
      // to the store instead, one answer of one version.
      if (strongEtag(o.headers) === undefined) return c.passBy();
      const { entry } = keepObject(c, o.headers, inflight, now);
      // The fill took this 206 only as the answer to its range (fill.ts): its Content-Range is well formed.
      const got = contentRange(firstValue(o.headers['content-range']));
      const S = c.rules.sliceBytes!;
      // The slice fetched on the way, when it is a whole slice (not the one-byte size probe).
      const whole = got !== undefined && got.start % S === 0 && got.end - got.start + 1 === Math.min(S, entry.meta.objectSize - got.start);
      return serveObject(c, entry, result, now, whole ? { index: got.start / S, body: o.body } : undefined, retried);
    }
    case 'too-large':
      c.shield.rememberTooLarge(c.key, now, o.size);
      return c.passBy();
    case 'error-status':
      if (staleOk && o.status >= 500) {
        holdOff(c, now);
        return serveObject(c, entry, 'STALE', now, undefined, retried);
      }
      if (c.onMissing && (o.status === 404 || o.status === 403)) return c.onMissing(o.status);
      // 416: an empty object has no slice; the viewer's own request says what the store makes of it.
      if (o.status === 416) return c.passBy();
      answerStoreError(tagged(c, result, now), o.status, o.headers, o.body);
      return void c.res.end();
    case 'failed': {
      if (staleOk) {
        holdOff(c, now);
        return serveObject(c, entry, 'STALE', now, undefined, retried);
      }
      failed(c, result, o.error);
    }
  }
}

function failed(c: CachedReadContext, result: CacheResult, error: Error): void {
  const { code, detail } = classifyUpstreamError(error);
  c.x.error = code;
  c.x.cache = result;
  sendError(c.res, code, detail, { requestId: c.x.id, block: c.block.path, head: c.head }, code === 'OS_ERR_UPSTREAM_BUSY' ? { 'retry-after': '1' } : {});
}

/**
 * Answers from the object's entry. The first slice the answer needs is in hand before the head
 * is written: if the object changed meanwhile (a slice fill answered 412 to If-Match), it is
 * fetched again from the start — never stitched from two versions.
 */
function serveObject(c: CachedReadContext, entry: Entry, result: CacheResult, now: number, first: { index: number; body: GrowingBody } | undefined, retried: boolean): void {
  const meta = entry.meta;
  if (meta.status !== 200 || entry.body.length === meta.objectSize) return serveEntry(c, entry, result, now);
  const plan = !c.asIs ? plannedRange(c.req, meta, now) : meta.objectSize > 0 ? { start: 0, end: meta.objectSize - 1 } : undefined;
  const answer = (src?: SliceSource): void =>
    answerFromMeta(tagged(c, result, now, meta), meta, (start, end) => streamSlices(c, meta, start, end, src!));
  if (!plan || c.head) return answer();
  const S = c.rules.sliceBytes!;
  const index = Math.floor(plan.start / S);
  const source = first && first.index === index ? Promise.resolve<SliceSource>({ kind: 'growing', index, body: first.body }) : sliceSource(c, meta, index);
  source.then((src) => {
    if (c.res.destroyed) return;
    if (src.kind === 'changed') {
      void c.shield.invalidate(c.key);
      if (!retried) return decide(c, undefined, true);
      return failed(c, result, new OriginSignerError('OS_ERR_UPSTREAM_CHANGING'));
    }
    if (src.kind === 'error') {
      if (src.outcome.kind === 'too-large') return c.passBy();
      if (src.outcome.kind === 'error-status') {
        answerStoreError(tagged(c, result, now), src.outcome.status, src.outcome.headers, src.outcome.body);
        return void c.res.end();
      }
      return failed(c, result, src.outcome.kind === 'failed' ? src.outcome.error : new Error('a slice could not be fetched'));
    }
    answer(src);
  });
}
