import { z } from 'zod';
import { byteSize, duration } from './schema-units.js';

/**
 * The shield cache (README "Shield cache"). The stores are set once at the top level and shared
 * by the blocks; each block that has `cache:` says how long what it reads may be kept.
 */
export const cacheStoresSchema = z.strictObject({
  /** LRU by bytes. Every cached body passes through it, so it is always there. */
  memory: z
    .strictObject({
      maxSize: byteSize.default(256 * 1024 ** 2),
      /** Larger objects are not cached (use a block's `slice` for them); a fill never holds more than this. */
      maxObjectSize: byteSize.default(8 * 1024 ** 2),
    })
    .prefault({}),
  /** A second tier that survives restarts, integrity-checked on every read. */
  disk: z
    .strictObject({
      path: z.string().min(1, 'disk.path must not be empty'),
      maxSize: byteSize,
    })
    .optional(),
  /**
   * A tier shared by every replica (README "Shield cache → Shared tier"): Redis or Valkey. The
   * URL may hold a password: it is never shown (check masks it) nor logged, not even when invalid.
   */
  shared: z
    .strictObject({
      url: z.string().refine(isRedisUrl, 'url must be redis://[[user]:password@]host[:port][/db] or rediss://… (its value is not shown: it may hold a password)'),
      /** Entries (objects, slices) larger than this stay in the replica's own stores. */
      maxObjectSize: byteSize.default(4 * 1024 ** 2),
      /** Longest an entry is kept in the shared tier, however long it may be served. */
      ttlCap: duration.default(3600),
      /** Every Redis command's deadline; past it the read goes on without the tier. */
      timeout: duration.refine((s) => s > 0, 'timeout must be above 0').default(0.2),
      /** How long the fleet lock on a fill lives: the longest other replicas wait for it. */
      lock: duration.refine((s) => s > 0, 'lock must be above 0').default(5),
      /** PEM CA bundle that signs the server's certificate (rediss:// only). */
      caFile: z.string().min(1, 'caFile must not be empty').optional(),
    })
    .optional(),
});

/** redis:// or rediss:// with a host, an optional port and an optional database number. */
export function isRedisUrl(value: string): boolean {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return false;
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') return false;
  if (u.hostname === '' || u.search !== '' || u.hash !== '') return false;
  return /^\/?(\d+)?$/.test(u.pathname);
}

/**
 * Query parameters that may name a different object (or a different rendering of it) on a cached
 * read. `versionId` is forwarded on every read; listing a `response-*` override here makes this
 * block forward it on reads too (the query table drops them otherwise). `response-content-type`
 * and `response-content-encoding` are never forwarded: they would let a link serve any object as HTML.
 */
export const CACHE_KEY_QUERY = ['versionId', 'response-content-disposition', 'response-content-language', 'response-cache-control', 'response-expires'] as const;
const queryName = z.enum(CACHE_KEY_QUERY, { error: `key.query lists parameters among ${CACHE_KEY_QUERY.join(', ')}` });

export const blockCacheSchema = z.strictObject({
  /** Seconds an object is fresh when it says nothing itself (no Cache-Control max-age, no Expires). */
  ttl: duration.default(60),
  /** Cap on the lifetime the object itself asks for. */
  maxTtl: duration.default(86400),
  /** 404s (and 403s with notFoundFor403) are kept this long; 0 = never. */
  notFoundTtl: duration.default(0),
  /** After expiry, serve the stale copy at once and refresh it in the background, for this long. */
  staleWhileRevalidate: duration.default(0),
  /** After expiry, serve the stale copy when the store fails (5xx, timeout, connection error), for this long. */
  staleIfError: duration.default(0),
  /** Range requests fetch and keep fixed-size slices of this size; off when not set. */
  slice: byteSize.refine((n) => n >= 64 * 1024, 'slice must be at least 64KiB').optional(),
  key: z
    .strictObject({
      /** Query parameters that name a different object; a read with any other forwarded parameter is not cached. */
      query: z.array(queryName).default([]),
    })
    .prefault({}),
});

export type RawCacheStores = z.infer<typeof cacheStoresSchema>;
export type RawBlockCache = z.infer<typeof blockCacheSchema>;
