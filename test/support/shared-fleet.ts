// Replicas of one shield sharing a Redis tier (README "Shield cache → Shared tier"), for the
// test/e2e/shared-tier-*.test.ts files: N proxies in this process (each with its own memory store,
// as separate replicas have), one strict origin, one redis-server.
import type { TestContext } from 'node:test';
import { BUCKET, encodeKey, origin as startOrigin } from './origin-client.js';
import { sum } from './ops-prom.js';
import { shieldConfig, startShieldProxy, type ShieldProxy } from './shield-e2e.js';
import type { StrictOrigin } from '@origin-signer/strict-origin';
import { waitFor } from './wait-for.js';

export interface SharedOptions {
  /** The block's `cache:` rules. */
  readonly cache?: Record<string, unknown>;
  /** Keys of `cache.shared` besides the url. */
  readonly shared?: Record<string, unknown>;
  /** Another port than the origin's (a gate in front of it). */
  readonly storePort?: number;
  readonly methods?: string[];
}

/** A config of one cached block `/live/` on the origin, its stores in memory and in Redis at `url`. */
export function sharedConfig(originPort: number, url: string, o: SharedOptions = {}): Record<string, unknown> {
  return shieldConfig(originPort, {
    stores: { memory: { maxSize: '64MiB' }, shared: { url, ...o.shared } },
    blocks: [{ path: '/live/', bucket: BUCKET, cache: o.cache ?? { ttl: '1h' }, ...(o.storePort ? { port: o.storePort } : {}), ...(o.methods ? { methods: o.methods } : {}) }],
  });
}

/**
 * `n` replicas of the same config in this process, each connected to Redis (it connects in the
 * background: until then a replica serves without the tier) unless `connected: false`; closed after the test.
 */
export async function replicas(t: TestContext, n: number, config: object, o: { connected?: boolean } = {}): Promise<ShieldProxy[]> {
  const out: ShieldProxy[] = [];
  for (let i = 0; i < n; i++) out.push(await startShieldProxy(t, config));
  if (o.connected !== false) for (const p of out) await waitFor(async () => sum(await p.metrics(), 'origin_signer_cache_shared_up') === 1, 'a replica connected to Redis');
  return out;
}

export async function sharedOrigin(t: TestContext): Promise<StrictOrigin> {
  return startOrigin(t);
}

/** GETs of `key` the origin received (the path ends with it, encoded as the signer encodes it). */
export const storeGets = (origin: StrictOrigin, key: string): number => origin.requests.filter((r) => r.method === 'GET' && r.url.split('?')[0]!.endsWith(`/${encodeKey(key)}`)).length;
