import { Counter, Gauge, type Registry } from 'prom-client';

import type { ShieldStats } from '../cache/shield.js';

/** What a scrape reads of the shield cache now: bytes and entries per store, fills in progress. */
export type CacheStats = ShieldStats;

/** The shield cache's series (README "Shield cache"); created with the other metrics, filled only when a block caches. */
export class CacheMetrics {
  readonly requests: Counter<'block' | 'result'>;
  readonly bytes: Counter<'block' | 'source'>;
  readonly evictions: Counter<'store'>;
  readonly sharedErrors: Counter<'op'>;
  readonly sharedReads: Counter<'result'>;

  constructor(registry: Registry, stats: () => CacheStats | undefined) {
    const registers = [registry];
    this.requests = new Counter({ name: 'origin_signer_cache_requests_total', help: 'Reads on cached blocks by X-Cache result (HIT, MISS, STALE, REVALIDATED, COLLAPSED)', labelNames: ['block', 'result'] as const, registers });
    this.bytes = new Counter({ name: 'origin_signer_cache_response_bytes_total', help: 'Body bytes of reads on cached blocks, by source: cache (a kept or shared copy) or store (the viewer whose read filled it)', labelNames: ['block', 'source'] as const, registers });
    this.evictions = new Counter({ name: 'origin_signer_cache_evictions_total', help: 'Entries dropped to make room, by store', labelNames: ['store'] as const, registers });
    new Gauge({
      name: 'origin_signer_cache_bytes',
      help: 'Bytes held per store (memory: kept entries, and fills in progress as state="filling")',
      labelNames: ['store', 'state'] as const,
      registers,
      collect() {
        this.reset();
        const s = stats();
        if (!s) return;
        this.set({ store: 'memory', state: 'kept' }, s.memory.bytes);
        this.set({ store: 'memory', state: 'filling' }, s.memory.reserved);
        if (s.disk) this.set({ store: 'disk', state: 'kept' }, s.disk.bytes);
      },
    });
    new Gauge({
      name: 'origin_signer_cache_entries',
      help: 'Entries held per store',
      labelNames: ['store'] as const,
      registers,
      collect() {
        this.reset();
        const s = stats();
        if (!s) return;
        this.set({ store: 'memory' }, s.memory.entries);
        if (s.disk) this.set({ store: 'disk' }, s.disk.entries);
      },
    });
    this.sharedErrors = new Counter({ name: 'origin_signer_cache_shared_errors_total', help: 'Shared-tier (Redis) commands that failed or timed out, and failed connection attempts, by operation', labelNames: ['op'] as const, registers });
    this.sharedReads = new Counter({ name: 'origin_signer_cache_shared_reads_total', help: 'Lookups in the shared tier that found an entry (hit) or not (miss)', labelNames: ['result'] as const, registers });
    new Gauge({
      name: 'origin_signer_cache_shared_up',
      help: '1 while the shared tier (Redis) answers, 0 while it is away (the proxy serves without it); absent without one',
      registers,
      // With several workers: up only if it is up for every one.
      aggregator: 'min',
      collect() {
        this.reset();
        const sh = stats()?.shared;
        if (sh) this.set(sh.up ? 1 : 0);
      },
    });
    new Gauge({
      name: 'origin_signer_cache_fills_in_progress',
      help: 'Store reads being filled into the cache now (each shared by every viewer of its key)',
      registers,
      collect() {
        this.reset();
        const s = stats();
        if (s) this.set(s.fills);
      },
    });
  }

  /** One finished read on a cached block. */
  count(block: string, result: string, bytes: number): void {
    this.requests.inc({ block, result });
    if (bytes > 0) this.bytes.inc({ block, source: result === 'MISS' ? 'store' : 'cache' }, bytes);
  }
}
