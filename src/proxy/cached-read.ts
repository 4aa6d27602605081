import type { Dispatcher } from 'undici';
import type { Entry, EntryMeta } from '../cache/entry.js';
import type { FillRequest, InFlight, Outcome, Shield } from '../cache/shield.js';
import type { BlockCache } from '../config/types.js';
import type { UpstreamTarget } from '../http/upstream-target.js';
import { ageOf, answerFromMeta, type AnswerContext } from './cached-answer.js';
import { mayServeStale } from '../cache/freshness.js';
import { sendError } from './error-response.js';
import type { Exchange } from './exchange.js';
import { pipeGrowing } from './pipe-growing.js';
import { watchStall } from './send-timeout.js';
import { readS3Error } from './s3-error.js';
import { answerStoreError } from './store-error-answer.js';
import { classifyUpstreamError } from './upstream-error.js';

/** One read on a cached block: the viewer, the cache, and how to reach the store. */
export interface CachedReadContext extends Omit<AnswerContext, 'now'> {
  readonly shield: Shield;
  readonly rules: BlockCache;
  readonly dispatcher: Dispatcher;
  readonly key: string;
  /** The upstream path and query (the signed bytes). */
  readonly target: UpstreamTarget;
  readonly sendTimeoutMs: number;
  /** Sends the viewer's own request to the store, uncached (an object too large to keep). */
  readonly passBy: () => void;
  /** The store (or a kept answer) has no such object: the caller answers (read-object.ts). */
  readonly onMissing?: (status: number) => void;
}

export type CacheResult = 'HIT' | 'MISS' | 'STALE' | 'REVALIDATED' | 'COLLAPSED';

export const codeOf = (body: Buffer): string | undefined => readS3Error(body.toString('utf8')).code;

/**
 * "No such key" as the viewer is told it (answerStoreError): a 404, or with notFoundFor403 a 403
 * AccessDenied — never another 403 (a refused signature), which must not be kept as a 404.
 */
export const notFoundIn =
  (c: CachedReadContext) =>
  (status: number, code: string | undefined): boolean =>
    status === 404 || (status === 403 && c.block.notFoundFor403 && code === 'AccessDenied');

/** The answer context at `now` with this result's X-Cache (noted for the access line) and Age: from the stored `meta`, 0 for an answer not kept. */
export function tagged(c: CachedReadContext, result: CacheResult, now: number, meta?: EntryMeta): AnswerContext {
  c.x.cache = result;
  const age = meta ? ageOf(meta, now) : '0';
  // Only what an answer needs: spreading the whole read context costs more than the hit itself.
  return { req: c.req, res: c.res, x: c.x, block: c.block, head: c.head, obs: c.obs, now, extra: { 'x-cache': result, age }, ...(c.asIs ? { asIs: c.asIs } : {}) };
}

export function serveEntry(c: CachedReadContext, entry: Entry, result: CacheResult, now: number): void {
  if (entry.meta.status === 404 && c.onMissing) {
    c.x.cache = result;
    return c.onMissing(404);
  }
  answerFromMeta(tagged(c, result, now, entry.meta), entry.meta, (start, end) => {
    c.x.bytesOut += end - start + 1;
    c.res.end(entry.body.subarray(start, end + 1));
    // A viewer that does not take what is left in its socket's buffer is cut after server.sendTimeout.
    if (c.res.writableNeedDrain) watchStall(c.res, c.x, c.sendTimeoutMs);
  });
}

/**
 * A GET or HEAD on a block with `cache:` (README "Shield cache"), after the access rules passed:
 * fresh → HIT; expired within staleWhileRevalidate → STALE and one refresh in the background;
 * otherwise one fill shared by every viewer of the key (MISS for the first, COLLAPSED for the
 * others; REVALIDATED when the store said 304 to the stored ETag); a store failure within
 * staleIfError → STALE.
 */
export function cachedRead(c: CachedReadContext): void {
  const hit = c.shield.memory.get(c.key);
  if (hit || c.shield.memoryOnly) return decide(c, hit);
  c.shield.get(c.key).then(
    (e) => decide(c, e),
    () => decide(c, undefined),
  );
}

function decide(c: CachedReadContext, entry: Entry | undefined): void {
  if (c.res.destroyed) return;
  const now = c.shield.clock();
  if (entry) {
    const until = entry.meta.freshUntil;
    if (now < until) return serveEntry(c, entry, 'HIT', now);
    if (now < until + c.rules.staleWhileRevalidateMs && mayServeStale(entry.meta)) {
      serveEntry(c, entry, 'STALE', now);
      fill(c, entry, now);
      return;
    }
    if (c.shield.failing.has(c.key, now) && staleStandsIn(c, entry, now)) return serveEntry(c, entry, 'STALE', now);
  }
  if (c.shield.tooLarge(c.key, now)) return c.passBy();
  const { inflight, joined } = fill(c, entry, now);
  inflight.outcome.then((o) => settle(c, o, inflight, entry, joined));
}

/** Whether `entry` may answer for a store that fails now (staleIfError, RFC 5861 §4). */
export function staleStandsIn(c: CachedReadContext, entry: Entry | undefined, now: number): entry is Entry {
  return entry !== undefined && entry.meta.status === 200 && mayServeStale(entry.meta) && now < entry.meta.freshUntil + c.rules.staleIfErrorMs;
}

/**
 * The store failed the revalidation and the stale copy answers it: it keeps answering, without
 * asking the store, for the block's retry.baseDelay (its backoff after a 503).
 */
export function holdOff(c: CachedReadContext, now: number): void {
  c.shield.failing.mark(c.key, now + c.block.retry.baseDelayMs);
}

/** What a fill asks about the stored `entry`: whether it revalidates it, and whether it stands in on a failure. */
export function revalidation(c: CachedReadContext, entry: Entry | undefined, now: number): Pick<FillRequest, 'revalidates' | 'staleOnError'> {
  return { ...(entry && entry.meta.status === 200 ? { revalidates: entry } : {}), ...(staleStandsIn(c, entry, now) ? { staleOnError: true } : {}) };
}

function fill(c: CachedReadContext, entry: Entry | undefined, now: number): { inflight: InFlight; joined: boolean } {
  return c.shield.fill({
    collapseKey: c.key,
    storeKey: () => c.key,
    dispatcher: c.dispatcher,
    origin: c.block.origin,
    host: c.block.host,
    target: c.target,
    rules: c.rules,
    ...revalidation(c, entry, now),
    notFound: notFoundIn(c),
    codeOf,
  });
}

/**
 * What a `refreshed` outcome is to the viewer: the stored entry revalidated (REVALIDATED), or
 * another replica's from the shared tier — found there (HIT), or filled while this replica waited
 * for it, the miss collapsed fleet-wide (COLLAPSED).
 */
export function refreshedResult(o: Extract<Outcome, { kind: 'refreshed' }>, joined: boolean): CacheResult {
  if (o.shared === undefined) return 'REVALIDATED';
  return o.shared === 'collapsed' || joined ? 'COLLAPSED' : 'HIT';
}

/** The upstream side of the access line: the fill's exchange with the store. */
export function noteUpstream(x: Exchange, inflight: InFlight): void {
  const up = inflight.upstream;
  if (up.status !== undefined) x.upstreamStatus = up.status;
  if (up.ms !== undefined) x.upstreamMs = up.ms;
  if (up.requestId !== undefined) x.upstreamRequestId = up.requestId;
  if (up.id2 !== undefined) x.upstreamId2 = up.id2;
}

function settle(c: CachedReadContext, o: Outcome, inflight: InFlight, entry: Entry | undefined, joined: boolean): void {
  noteUpstream(c.x, inflight);
  if (c.res.destroyed) return;
  const now = c.shield.clock();
  const staleOk = staleStandsIn(c, entry, now);
  switch (o.kind) {
    case 'refreshed':
      return serveEntry(c, o.entry, refreshedResult(o, joined), now);
    case 'body':
      return answerFromMeta(tagged(c, joined ? 'COLLAPSED' : 'MISS', now, o.meta), o.meta, (start, end) => pipeGrowing(c.res, c.x, o.body, start, end, c.sendTimeoutMs));
    case 'too-large':
      c.shield.rememberTooLarge(c.key, now, o.size);
      return c.passBy();
    case 'error-status':
      if (staleOk && o.status >= 500) {
        holdOff(c, now);
        return serveEntry(c, entry, 'STALE', now);
      }
      if (c.onMissing && (o.status === 404 || o.status === 403)) return c.onMissing(o.status);
      answerStoreError(tagged(c, joined ? 'COLLAPSED' : 'MISS', now), o.status, o.headers, o.body);
      return void c.res.end();
    case 'failed': {
      if (staleOk) {
        holdOff(c, now);
        return serveEntry(c, entry, 'STALE', now);
      }
      const { code, detail } = classifyUpstreamError(o.error);
      c.x.error = code;
      c.x.cache = joined ? 'COLLAPSED' : 'MISS';
      sendError(c.res, code, detail, { requestId: c.x.id, block: c.block.path, head: c.head }, code === 'OS_ERR_UPSTREAM_BUSY' ? { 'retry-after': '1' } : {});
    }
  }
}
