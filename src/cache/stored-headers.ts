import { HOP_BY_HOP } from '../http/hop-by-hop.js';
import { firstValue } from '../http/first-value.js';

type Headers = Readonly<Record<string, string | string[] | undefined>>;

/**
 * Headers of the store's answer that describe the object and are replayed from the cache. Framing
 * (length, range) is the cache's to set per answer; hop-by-hop headers never pass a proxy; the
 * store's request ids and Date belong to the one exchange that fetched it.
 */
const NOT_KEPT: ReadonlySet<string> = new Set([...HOP_BY_HOP, 'content-length', 'content-range', 'date', 'age', 'x-amz-request-id', 'x-amz-id-2', 'set-cookie']);

export function storedHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in headers) {
    const v = headers[name];
    if (v === undefined || NOT_KEPT.has(name)) continue;
    out[name] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

/** A 304's headers update the stored ones (RFC 9111 §4.3.4), except those the cache sets itself. */
export function refreshedHeaders(stored: Readonly<Record<string, string>>, notModified: Headers): Record<string, string> {
  return { ...stored, ...storedHeaders(notModified) };
}

/** The total size from `Content-Range: bytes a-b/size`, or undefined. */
export function totalSizeOf(headers: Headers): number | undefined {
  const m = /\/(\d+)\s*$/.exec(firstValue(headers['content-range']) ?? '');
  return m ? Number(m[1]) : undefined;
}
