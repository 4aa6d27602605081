import type { BlockCache, CacheStores } from '../config/types.js';
import type { Logger } from '../log/logger.js';
import { belongsTo } from './cache-key.js';
import type { Entry, EntryStore } from './entry.js';
import { Fill, type FillUpstream } from './fill.js';
import { mayServeStale } from './freshness.js';
import { outcomeOf, type FillRequest, type InFlight, type Outcome } from './fill-outcome.js';
import { fleetStart, type FleetStart } from './fleet-fill.js';
import { KeysUntil } from './keys-until.js';
import type { GrowingBody } from './growing-body.js';
import { MemoryStore } from './memory-store.js';
import type { SharedStatus, SharedTier } from './shared-tier.js';
import { FillRegistry, type Running } from './fill-registry.js';

export type { FillRequest, InFlight, Outcome } from './fill-outcome.js';

/** What the metrics and the admin API show of the cache. */
export interface ShieldStats {
  readonly memory: { readonly entries: number; readonly bytes: number; readonly reserved: number; readonly maxBytes: number };
  readonly disk?: { readonly entries: number; readonly bytes: number; readonly maxBytes: number };
  readonly fills: number;
  readonly shared?: SharedStatus;
}

export interface ShieldDeps {
  readonly clock: () => number;
  readonly log: Logger;
  readonly disk?: EntryStore;
  readonly shared?: SharedTier;
  readonly onEvict?: (store: 'memory' | 'disk') => void;
}


/**
 * The shield cache's state, one per process and store settings: the memory tier, the optional
 * disk tier, and the fills in progress, by collapse key. Survives config reloads (serve.ts keeps it
 * while the stores' settings stay the same).
 */
export class Shield {
  readonly memory: MemoryStore;
  readonly disk: EntryStore | undefined;
  readonly shared: SharedTier | undefined;
  readonly stores: CacheStores;
  readonly #fills = new FillRegistry((lock, kept) => this.shared?.release(lock, kept));
  /** Keys whose object was too large to keep, until when: their reads go to the store directly. */
  readonly #tooLarge = new KeysUntil();
  /**
   * Keys whose store just failed a revalidation whose stale copy answered, until when: it answers
   * without asking again — a store saying SlowDown, or timing out, is not asked once per viewer.
   */
  readonly failing = new KeysUntil();
  readonly #d: ShieldDeps;
  /**
   * The other workers of this process group (server.workers > 1): each has its own memory store,
   * so an invalidation made here is told to them too (cluster.ts relays it through the primary).
   */
  siblings: ((base: string) => void) | undefined;

  constructor(stores: CacheStores, deps: ShieldDeps) {
    this.stores = stores;
    this.#d = deps;
    this.memory = new MemoryStore(stores.memory.maxBytes, () => deps.onEvict?.('memory'));
    this.disk = deps.disk;
    this.shared = deps.shared;
    if (this.shared) this.shared.remote = { invalidate: (base) => void this.#invalidateLocal(base), purge: (prefix) => void this.#purgeLocal(prefix) };
  }

  /** Whether a memory miss is the end of it (no disk, no shared tier): then reads decide at once. */
  get memoryOnly(): boolean {
    return !this.disk && !this.shared;
  }

  get clock(): () => number {
    return this.#d.clock;
  }

  /** The entry from memory, else from disk, else from the shared tier (then kept in memory too). */
  async get(key: string): Promise<Entry | undefined> {
    const hit = this.memory.get(key);
    if (hit) return hit;
    const e = (this.disk ? await this.disk.get(key).catch(() => undefined) : undefined) ?? (await this.shared?.get(key));
    if (e) this.memory.set(key, e);
    return e;
  }

  tooLarge(key: string, now: number): boolean {
    return this.#tooLarge.has(key, now);
  }

  /**
   * For a minute: an object may be replaced by a smaller one. Only an object over maxObjectSize:
   * one refused because other fills held the memory then is filled by the next read.
   */
  rememberTooLarge(key: string, now: number, size: number): void {
    if (size <= this.stores.memory.maxObjectBytes) return;
    this.#tooLarge.mark(key, now + 60_000);
  }

  /**
   * Keeps an entry in memory and on disk, and shares it for as long as it may be served (stale
   * windows included, capped by shared.ttlCap). One kept by a fill (`from`) is shared when that
   * fill ends, just before its fleet lock is released, so the replicas waiting for it find it.
   */
  keep(key: string, entry: Entry, rules?: BlockCache, from?: InFlight): void {
    this.memory.set(key, entry);
    void this.disk?.put(key, entry);
    const shared = this.shared;
    if (!shared || !rules) return;
    const stale = entry.meta.status === 200 && mayServeStale(entry.meta) ? Math.max(rules.staleWhileRevalidateMs, rules.staleIfErrorMs) : 0;
    const ttl = entry.meta.freshUntil + stale - this.#d.clock();
    if (ttl < 1 || entry.body.length > shared.maxObjectBytes) return;
    const run = from ? this.#fills.get(from.collapseKey) : undefined;
    // A fill still joinable queues its puts for its end (FillRegistry.ended); after that, a keep is shared at once.
    if (run === from && run) {
      if (key === run.sharedKey) run.kept = true;
      run.puts.push(() => void shared.put(key, entry, ttl));
      return;
    }
    shared.put(key, entry, ttl);
  }

  /** The fill in progress for this collapse key, if any. */
  running(collapseKey: string): InFlight | undefined {
    return this.#fills.get(collapseKey);
  }

  /** The fill in progress for this key, or a new one: `joined` says which. */
  fill(r: FillRequest): { readonly inflight: InFlight; readonly joined: boolean } {
    const running = this.#fills.get(r.collapseKey);
    if (running) return { inflight: running, joined: true };
    const upstream: FillUpstream = {};
    const run = { upstream, noStore: false, collapseKey: r.collapseKey, sharedKey: r.sharedKey ?? r.collapseKey, lock: undefined, kept: false, puts: [] } as Omit<Running, 'outcome'> as Running;
    const shared = this.shared;
    const outcome = shared ? this.#fleet(shared, r, run, () => this.#fetch(r, run, upstream)) : this.#fetch(r, run, upstream);
    (run as { outcome: Promise<Outcome> }).outcome = outcome;
    this.#fills.add(run);
    // Joining ends once the answer is known and, for a body, once it is complete or broken.
    void outcome.then((o) => {
      const over = (): boolean => o.kind !== 'body' || o.body.done || o.body.error !== undefined;
      const end = (): void => this.#fills.ended(run);
      // The body may be complete already: a small one arrives with its head.
      if (over()) return end();
      const off = (o as { body: GrowingBody }).body.subscribe(() => {
        if (over()) {
          off();
          end();
        }
      });
    });
    return { inflight: run, joined: false };
  }

  /** The signed GET to the store. */
  #fetch(r: FillRequest, run: Running, upstream: FillUpstream): Promise<Outcome> {
    const headers: Record<string, string> = { host: r.host };
    if (r.ifMatch) headers['if-match'] = r.ifMatch;
    const etag = r.revalidates?.meta.etag;
    if (etag) headers['if-none-match'] = etag;
    const fill = new Fill(r.dispatcher, {
      origin: r.origin,
      target: r.target,
      headers,
      ...(r.range ? { range: r.range } : {}),
      upstream,
      ...(r.staleOnError ? { wait503: false } : {}),
      reserve: (n) => n <= this.stores.memory.maxObjectBytes && this.memory.reserve(n),
      release: (n) => this.memory.release(n),
    });
    return fill.head.then((h) => outcomeOf(r, h, run, this.#d.clock(), { keep: (key, entry) => this.keep(key, entry, r.rules, run), drop: (key) => this.#drop(key) }));
  }

  /** With the shared tier: another replica's entry, or the fill under the fleet lock, or after waiting for the one that holds it. */
  async #fleet(shared: SharedTier, r: FillRequest, run: Running, fetch: () => Promise<Outcome>): Promise<Outcome> {
    const key = run.sharedKey;
    const start = await fleetStart(shared, {
      collapseKey: r.collapseKey,
      sharedKey: key,
      usable: (e) => this.#d.clock() < e.meta.freshUntil,
      dropped: () => run.noStore,
    }).catch((): FleetStart => ({ kind: 'fetch' }));
    if (start.kind === 'entry') {
      this.memory.set(key, start.entry);
      return { kind: 'refreshed', entry: start.entry, shared: start.waited ? 'collapsed' : 'hit' };
    }
    run.lock = start.lock;
    // Detached while the lock was being taken: it goes at once, as a detached fill's does.
    if (run.noStore) this.#fills.releaseNow(run);
    return fetch();
  }

  /** One key out of every store. */
  #drop(key: string): void {
    this.memory.delete(key);
    void this.disk?.delete(key).catch(() => undefined);
    this.shared?.delete(key);
  }

  /**
   * Drops every entry of `base` (each query variant and slice) and detaches the fills in progress
   * for it (FillRegistry.detach); with the shared tier, there too, and every other replica drops its own copies;
   * every other worker too, unless `siblings: false` (a purge the primary sends each worker itself).
   */
  async invalidate(base: string, o: { siblings?: boolean } = {}): Promise<number> {
    if (o.siblings !== false) this.siblings?.(base);
    const [n, shared] = await Promise.all([this.#invalidateLocal(base), this.shared?.invalidate(base) ?? 0]);
    return Math.max(n, shared);
  }

  /** An invalidation another worker made (and sent to the shared tier itself): this process's stores only. */
  invalidateHere(base: string): Promise<number> {
    return this.#invalidateLocal(base);
  }

  async #invalidateLocal(base: string): Promise<number> {
    this.#fills.detach((key) => belongsTo(key, base));
    const n = this.memory.deleteWhere((k) => belongsTo(k, base));
    const disk = this.disk;
    if (!disk) return n;
    const counts = await Promise.all([disk.delete(base).then(() => 0), disk.deletePrefix(`${base}?`), disk.deletePrefix(`${base}\n`)]).catch(() => [0]);
    return Math.max(n, counts.reduce((a, b) => a + b, 0));
  }

  /**
   * Drops every entry whose key starts with `prefix` (a purge of a block, or of a key prefix); with
   * the shared tier, there and at every other replica too, unless `local` (a reload's own blocks).
   */
  async purgePrefix(prefix: string, opts: { local?: boolean } = {}): Promise<number> {
    const shared = opts.local ? undefined : this.shared;
    const [n, s] = await Promise.all([this.#purgeLocal(prefix), shared?.purgePrefix(prefix) ?? 0]);
    return Math.max(n, s);
  }

  async #purgeLocal(prefix: string): Promise<number> {
    this.#fills.detach((key) => key.startsWith(prefix));
    const n = this.memory.deleteWhere((k) => k.startsWith(prefix));
    const d = this.disk ? await this.disk.deletePrefix(prefix).catch(() => 0) : 0;
    return Math.max(n, d);
  }

  stats(): ShieldStats {
    return { memory: this.memory.stats(), ...(this.disk ? { disk: this.disk.stats() } : {}), fills: this.#fills.size, ...(this.shared ? { shared: this.shared.status() } : {}) };
  }

  async close(): Promise<void> {
    await Promise.all([this.disk?.close(), this.shared?.close()]);
  }
}
