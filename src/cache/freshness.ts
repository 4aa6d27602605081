import type { BlockCache } from '../config/types.js';
import type { EntryMeta } from './entry.js';
import { firstValue } from '../http/first-value.js';

type Headers = Readonly<Record<string, string | string[] | undefined>>;

/** Cache-Control directives, names lower-cased (RFC 9111 §5.2). */
export function cacheControl(value: string | undefined): ReadonlyMap<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  if (!value) return out;
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    const name = (eq === -1 ? part : part.slice(0, eq)).trim().toLowerCase();
    if (name === '') continue;
    out.set(name, eq === -1 ? undefined : part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1'));
  }
  return out;
}

const seconds = (v: string | undefined): number | undefined => (v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined);

/**
 * How long a stored answer stays fresh, in ms, or undefined when it must not be stored: its
 * lifetime less `ageMs`, the time it already spent in a cache upstream (upstreamAgeMs) — fresh
 * while its lifetime exceeds its age (RFC 9111 §4.2).
 */
export function freshFor(headers: Headers, rules: BlockCache, now: number, ageMs = 0): number | undefined {
  const lifetime = lifetimeOf(headers, rules, now);
  return lifetime === undefined ? undefined : Math.max(0, lifetime - ageMs);
}

/**
 * The `Age` a store behind another cache sends, in ms (RFC 9111 §5.1): that cache's time with the
 * answer, which counts against its freshness here too. Capped as §5.1 caps it; anything else is 0.
 */
export function upstreamAgeMs(headers: Headers): number {
  const age = seconds(firstValue(headers['age'])?.trim());
  return age === undefined ? 0 : Math.min(age, 2 ** 31) * 1000;
}

/**
 * An answer's freshness lifetime, in ms: the object's own metadata wins over the block's `ttl` and
 * is capped by `maxTtl`: `s-maxage`, then `max-age` (§4.2.1, a shared cache; an invalid value is
 * 0), then `Expires` minus `Date`; `no-store` and `private` are not stored (undefined; §5.2.2.5,
 * §5.2.2.7); `no-cache` is stored but revalidated every time.
 */
function lifetimeOf(headers: Headers, rules: BlockCache, now: number): number | undefined {
  // Every Cache-Control line counts: several are one list (RFC 9110 §5.3), and a second line's
  // no-store or private must not be lost behind the first's max-age.
  const lines = headers['cache-control'];
  const cc = cacheControl(Array.isArray(lines) ? lines.join(',') : lines);
  if (cc.has('no-store') || cc.has('private')) return undefined;
  if (cc.has('no-cache')) return 0;
  // The object's own lifetime, when it gives one: an invalid one (`max-age=-1`, `max-age=abc`)
  // says "stale" (§4.2.1), never "nothing", which would keep it for the block's ttl.
  const directive = cc.has('s-maxage') ? 's-maxage' : cc.has('max-age') ? 'max-age' : undefined;
  if (directive !== undefined) {
    const own = seconds(cc.get(directive));
    return own === undefined ? 0 : Math.min(own * 1000, rules.maxTtlMs);
  }
  const expires = firstValue(headers['expires']);
  if (expires !== undefined) {
    const at = Date.parse(expires);
    // An invalid Expires (e.g. "0") means already expired (§5.3).
    if (Number.isNaN(at)) return 0;
    const date = Date.parse(firstValue(headers['date']) ?? '');
    return Math.min(Math.max(0, at - (Number.isNaN(date) ? now : date)), rules.maxTtlMs);
  }
  return Math.min(rules.ttlMs, rules.maxTtlMs);
}

/**
 * Whether a stored object may be served stale (staleWhileRevalidate, staleIfError): not when it
 * says `no-cache` (never used unvalidated, RFC 9111 §5.2.2.4), `must-revalidate` or
 * `proxy-revalidate` (never stale, §5.2.2.2, §5.2.2.8) — §4.2.4 forbids a stale answer then.
 */
export function mayServeStale(meta: EntryMeta): boolean {
  const cc = cacheControl(meta.headers['cache-control']);
  return !cc.has('no-cache') && !cc.has('must-revalidate') && !cc.has('proxy-revalidate');
}
