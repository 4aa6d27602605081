import { probeKey, sliceKey } from '../cache/cache-key.js';
import type { EntryMeta } from '../cache/entry.js';
import type { GrowingBody } from '../cache/growing-body.js';
import type { Outcome } from '../cache/shield.js';
import { codeOf, type CachedReadContext } from './cached-read.js';
import { pipeGrowing } from './pipe-growing.js';
import { watchStall } from './send-timeout.js';
import { firstValue } from '../http/first-value.js';
import { contentRange } from '../cache/range.js';

/** One slice's bytes: kept, arriving, or why there are none. */
export type SliceSource =
  | { readonly kind: 'buffer'; readonly index: number; readonly body: Buffer }
  | { readonly kind: 'growing'; readonly index: number; readonly body: GrowingBody }
  /** The object's ETag is no longer the one its entry has (412 to If-Match). */
  | { readonly kind: 'changed' }
  | { readonly kind: 'error'; readonly outcome: Outcome };

/**
 * Slice `index` of the object `meta` describes: from the cache, else one signed ranged GET shared
 * by every viewer that needs it, sent with `If-Match` so a slice of another version is never taken.
 */
export async function sliceSource(c: CachedReadContext, meta: EntryMeta, index: number): Promise<SliceSource> {
  const etag = meta.etag ?? '';
  const key = sliceKey(c.key, etag, index);
  const S = c.rules.sliceBytes!;
  const start = index * S;
  const end = Math.min(meta.objectSize, start + S) - 1;
  const length = end - start + 1;
  const kept = await c.shield.get(key);
  // A kept slice of another length (left on disk by an older version) is not this slice: served,
  // the answer would be cut or run long. It is fetched again, and the store's answer replaces it.
  if (kept && kept.body.length === length) return { kind: 'buffer', index, body: kept.body };
  // The probe that learnt the object may still be bringing this very slice (its entry is kept from
  // its head on): read it as it arrives rather than ask the store for it a second time.
  const probing = await c.shield.running(probeKey(c.key))?.outcome;
  /** The answer is this slice of this object: its range, of the object's size. */
  const isThis = (h: Record<string, string | string[] | undefined>): boolean => {
    const got = contentRange(firstValue(h['content-range']));
    return got !== undefined && got.start === start && got.end === end && got.size === meta.objectSize;
  };
  if (probing?.kind === 'body' && !probing.body.error && firstValue(probing.headers['etag']) === meta.etag && isThis(probing.headers)) {
    return { kind: 'growing', index, body: probing.body };
  }
  const { inflight } = c.shield.fill({
    collapseKey: key,
    // Only this slice of this object: an answer for an object of another size (the store changed
    // it under the same ETag) is not it, and kept it would be served short or long for ever.
    storeKey: (status, h) => (status === 206 && firstValue(h['etag']) === etag && isThis(h) ? key : undefined),
    dispatcher: c.dispatcher,
    origin: c.block.origin,
    host: c.block.host,
    target: c.target,
    rules: c.rules,
    range: { start, end },
    ...(meta.etag ? { ifMatch: meta.etag } : {}),
    notFound: () => false,
    codeOf,
  });
  const o = await inflight.outcome;
  // Another replica's copy of this slice, from the shared tier: its key carries the ETag.
  // One of another length is not this slice: the object is dropped (there too) and learnt afresh.
  if (o.kind === 'refreshed' && o.shared !== undefined) return o.entry.body.length === length ? { kind: 'buffer', index, body: o.entry.body } : { kind: 'changed' };
  if (o.kind === 'body') {
    // A store that does not honour If-Match is caught by the ETag itself.
    if (o.status !== 206 || firstValue(o.headers['etag']) !== meta.etag || !isThis(o.headers)) return { kind: 'changed' };
    return { kind: 'growing', index, body: o.body };
  }
  if (o.kind === 'error-status' && (o.status === 412 || o.status === 404)) return { kind: 'changed' };
  return { kind: 'error', outcome: o };
}

/**
 * Bytes [start, end] of the object, slice after slice, the next one fetched while the current one
 * is sent. A slice that cannot be had once the head is out (the object changed, the store failed)
 * cuts the connection: the viewer must not take a short body for the object.
 */
export function streamSlices(c: CachedReadContext, meta: EntryMeta, start: number, end: number, first: SliceSource): void {
  const S = c.rules.sliceBytes!;
  const last = Math.floor(end / S);
  const send = (src: SliceSource): void => {
    if (c.res.destroyed) return;
    if (src.kind !== 'buffer' && src.kind !== 'growing') {
      // The object changed under its kept entry: dropped, or every later read would be cut here again until it expires.
      if (src.kind === 'changed') void c.shield.invalidate(c.key);
      return void c.res.destroy(new Error('a slice could not be fetched'));
    }
    const i = src.index;
    const base = i * S;
    const from = Math.max(start, base) - base;
    const to = Math.min(end, base + S - 1) - base;
    const upcoming = i < last ? sliceSource(c, meta, i + 1) : undefined;
    const next = upcoming ? () => void upcoming.then(send, () => c.res.destroy()) : undefined;
    if (src.kind === 'growing') return pipeGrowing(c.res, c.x, src.body, from, to, c.sendTimeoutMs, next);
    const bytes = src.body.subarray(from, to + 1);
    c.x.bytesOut += bytes.length;
    if (!next) {
      c.res.end(bytes);
      if (c.res.writableNeedDrain) watchStall(c.res, c.x, c.sendTimeoutMs);
      return;
    }
    if (c.res.write(bytes)) return next();
    watchStall(c.res, c.x, c.sendTimeoutMs);
    c.res.once('drain', next);
  };
  send(first);
}
