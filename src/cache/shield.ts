import { LRUCache } from 'lru-cache';
import type { Dispatcher } from 'undici';
import type { BlockCache, CacheStores } from '../config/types.js';
import type { Logger } from '../log/logger.js';
import { belongsTo } from './cache-key.js';
import type { Entry, EntryMeta, EntryStore } from './entry.js';
import { Fill, type FillHead, type FillUpstream } from './fill.js';
import { freshFor } from './freshness.js';
import type { GrowingBody } from './growing-body.js';
import { MemoryStore } from './memory-store.js';
import { refreshedHeaders, storedHeaders, totalSizeOf } from './stored-headers.js';

type Headers = Record<string, string | string[] | undefined>;

/** What one fill ended in, as its viewers (the one that started it and those that joined) need it. */
export type Outcome =
  | { readonly kind: 'body'; readonly status: number; readonly headers: Headers; readonly meta: EntryMeta; readonly body: GrowingBody }
  | { readonly kind: 'refreshed'; readonly entry: Entry }
  | { readonly kind: 'error-status'; readonly status: number; readonly headers: Headers; readonly body: Buffer }
  | { readonly kind: 'too-large'; readonly size: number }
  | { readonly kind: 'failed'; readonly error: Error };

export interface FillRequest {
  /** Viewers asking for the same collapse key share one fill. */
  readonly collapseKey: string;
  /** Where the answer is kept, from its headers (a slice's key carries the ETag), or undefined: not kept. */
  readonly storeKey: (status: number, headers: Headers) => string | undefined;
  readonly dispatcher: Dispatcher;
  readonly origin: string;
  readonly host: string;
  readonly path: string;
  readonly rules: BlockCache;
  /** Bytes [start, end] of the object: a slice. */
  readonly range?: { readonly start: number; readonly end: number };
  /** A stored entry to revalidate (If-None-Match with its ETag). */
  readonly revalidates?: Entry;
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

/** What the metrics and the admin API show of the cache. */
export interface ShieldStats {
  readonly memory: { readonly entries: number; readonly bytes: number; readonly reserved: number; readonly maxBytes: number };
  readonly disk?: { readonly entries: number; readonly bytes: number; readonly maxBytes: number };
  readonly fills: number;
}

export interface ShieldDeps {
  readonly clock: () => number;
  readonly log: Logger;
  readonly disk?: EntryStore;
  readonly onEvict?: (store: 'memory' | 'disk') => void;
}

/** Slices never change under their ETag: kept until evicted, however fresh the object is. */
const FOREVER = Number.MAX_SAFE_INTEGER;

/**
 * The shield cache's state, one per process and store settings: the memory tier, the optional
 * disk tier, and the fills in progress, by collapse key. Survives config reloads (serve.ts keeps it
 * while the stores' settings stay the same).
 */
export class Shield {
  readonly memory: MemoryStore;
  readonly disk: EntryStore | undefined;
  readonly stores: CacheStores;
  readonly #fills = new Map<string, InFlight>();
  /** Keys whose object was too large to keep, until when: their reads go to the store directly. */
  readonly #tooLarge = new LRUCache<string, number>({ max: 10_000 });
  readonly #d: ShieldDeps;

  constructor(stores: CacheStores, deps: ShieldDeps) {
    this.stores = stores;
    this.#d = deps;
    this.memory = new MemoryStore(stores.memory.maxBytes, () => deps.onEvict?.('memory'));
    this.disk = deps.disk;
  }

  get clock(): () => number {
    return this.#d.clock;
  }

  /** The entry from memory, else from disk (then kept in memory too). */
  async get(key: string): Promise<Entry | undefined> {
    const hit = this.memory.get(key);
    if (hit || !this.disk) return hit;
    const e = await this.disk.get(key).catch(() => undefined);
    if (e) this.memory.set(key, e);
    return e;
  }

  tooLarge(key: string, now: number): boolean {
    const until = this.#tooLarge.get(key);
    return until !== undefined && now < until;
  }

  /**
   * For a minute: an object may be replaced by a smaller one. Only an object over maxObjectSize:
   * one refused because other fills held the memory then is filled by the next read.
   */
  rememberTooLarge(key: string, now: number, size: number): void {
    if (size <= this.stores.memory.maxObjectBytes) return;
    this.#tooLarge.set(key, now + 60_000);
  }

  keep(key: string, entry: Entry): void {
    this.memory.set(key, entry);
    void this.disk?.put(key, entry);
  }

  /** The fill in progress for this collapse key, if any. */
  running(collapseKey: string): InFlight | undefined {
    return this.#fills.get(collapseKey);
  }

  /** The fill in progress for this key, or a new one: `joined` says which. */
  fill(r: FillRequest): { readonly inflight: InFlight; readonly joined: boolean } {
    const running = this.#fills.get(r.collapseKey);
    if (running) return { inflight: running, joined: true };
    const headers: Record<string, string> = { host: r.host };
    if (r.range) headers['range'] = `bytes=${r.range.start}-${r.range.end}`;
    if (r.ifMatch) headers['if-match'] = r.ifMatch;
    const etag = r.revalidates?.meta.etag;
    if (etag) headers['if-none-match'] = etag;
    const fill = new Fill(r.dispatcher, {
      origin: r.origin,
      path: r.path,
      headers,
      reserve: (n) => n <= this.stores.memory.maxObjectBytes && this.memory.reserve(n),
      release: (n) => this.memory.release(n),
    });
    const inflight: InFlight = { outcome: fill.head.then((h) => this.#outcome(r, h, inflight)), upstream: fill.upstream, noStore: false, collapseKey: r.collapseKey };
    this.#fills.set(r.collapseKey, inflight);
    // Joining ends once the answer is known and, for a body, once it is complete or broken.
    void inflight.outcome.then((o) => {
      const over = (): boolean => o.kind !== 'body' || o.body.done || o.body.error !== undefined;
      const end = (): void => {
        if (this.#fills.get(r.collapseKey) === inflight) this.#fills.delete(r.collapseKey);
      };
      // The body may be complete already: a small one arrives with its head.
      if (over()) return end();
      const off = (o as { body: GrowingBody }).body.subscribe(() => {
        if (over()) {
          off();
          end();
        }
      });
    });
    return { inflight, joined: false };
  }

  #outcome(r: FillRequest, h: FillHead, inflight: InFlight): Outcome {
    const now = this.#d.clock();
    switch (h.kind) {
      case 'too-large':
        return h;
      case 'failed':
        return h;
      case 'not-modified': {
        const old = r.revalidates;
        if (!old) return { kind: 'failed', error: new Error('the store answered 304 to an unconditional GET') };
        const headers = refreshedHeaders(old.meta.headers, h.headers);
        const fresh = freshFor(headers, r.rules, now) ?? 0;
        const entry: Entry = { meta: { ...old.meta, headers, storedAt: now, freshUntil: now + fresh }, body: old.body };
        const key = r.storeKey(304, h.headers);
        if (key && !inflight.noStore) this.keep(key, entry);
        return { kind: 'refreshed', entry };
      }
      case 'error-status': {
        const status = r.notFound(h.status, r.codeOf(h.body)) ? 404 : h.status;
        if (status === 404 && r.rules.notFoundTtlMs > 0) {
          const key = r.storeKey(404, h.headers);
          const code = h.status === 404 ? (r.codeOf(h.body) ?? 'NoSuchKey') : 'NoSuchKey';
          const meta: EntryMeta = { status: 404, headers: {}, etag: undefined, objectSize: 0, storedAt: now, freshUntil: now + r.rules.notFoundTtlMs, code };
          if (key && !inflight.noStore) this.keep(key, { meta, body: Buffer.alloc(0) });
        } else if (status === 404 && r.revalidates) {
          // The object is gone: its stale copy must not be served on (staleWhileRevalidate) either.
          const key = r.storeKey(404, h.headers);
          if (key) this.#drop(key);
        }
        return h;
      }
      case 'body': {
        const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);
        const fresh = freshFor(h.headers, r.rules, now);
        const meta: EntryMeta = {
          status: h.status === 206 ? 206 : 200,
          headers: storedHeaders(h.headers),
          etag: one(h.headers['etag']),
          objectSize: h.status === 206 ? (totalSizeOf(h.headers) ?? 0) : Number(one(h.headers['content-length'])),
          storedAt: now,
          freshUntil: h.status === 206 ? FOREVER : now + (fresh ?? 0),
        };
        const key = fresh === undefined ? undefined : r.storeKey(h.status, h.headers);
        // The object now says no-store (or private): the copy kept before must not be served stale.
        if (fresh === undefined && r.revalidates) {
          const old = r.storeKey(h.status, h.headers);
          if (old) this.#drop(old);
        }
        if (key) {
          const body = h.body;
          const keepWhenDone = (): boolean => {
            if (body.error) return true;
            if (!body.done) return false;
            if (!inflight.noStore) this.keep(key, { meta, body: body.whole() });
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

  /** One key out of both stores. */
  #drop(key: string): void {
    this.memory.delete(key);
    void this.disk?.delete(key).catch(() => undefined);
  }

  /** Drops every entry of `base` (each query variant and slice) and keeps fills in progress from storing it. */
  async invalidate(base: string): Promise<number> {
    for (const f of this.#fills.values()) if (belongsTo(f.collapseKey, base)) f.noStore = true;
    const n = this.memory.deleteWhere((k) => belongsTo(k, base));
    const disk = this.disk;
    if (!disk) return n;
    const counts = await Promise.all([disk.delete(base).then(() => 0), disk.deletePrefix(`${base}?`), disk.deletePrefix(`${base}\n`)]).catch(() => [0]);
    return Math.max(n, counts.reduce((a, b) => a + b, 0));
  }

  /** Drops every entry whose key starts with `prefix` (a purge of a block, or of a key prefix). */
  async purgePrefix(prefix: string): Promise<number> {
    for (const f of this.#fills.values()) if (f.collapseKey.startsWith(prefix)) f.noStore = true;
    const n = this.memory.deleteWhere((k) => k.startsWith(prefix));
    const d = this.disk ? await this.disk.deletePrefix(prefix).catch(() => 0) : 0;
    return Math.max(n, d);
  }

  stats(): ShieldStats {
    return { memory: this.memory.stats(), ...(this.disk ? { disk: this.disk.stats() } : {}), fills: this.#fills.size };
  }

  async close(): Promise<void> {
    await this.disk?.close();
  }
}
