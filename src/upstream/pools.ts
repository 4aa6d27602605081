import { Pool } from 'undici';
import { Admission } from './admission.js';
import { localhostAwareLookup } from './localhost-lookup.js';

/** Connection settings for one upstream origin (block `pool:` section; seconds in the config). */
export interface PoolSettings {
  readonly connections: number;
  readonly connectTimeoutMs: number;
  readonly headersTimeoutMs: number;
  readonly bodyTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  /** How long a request may wait for a free connection (interceptors/admission.ts). */
  readonly queueTimeoutMs: number;
}

/** Blocks with the same key share a pool: the origin and every setting the Pool is built with. */
export function poolKey(origin: string, s: PoolSettings): string {
  return `${origin}|${s.connections}|${s.connectTimeoutMs}|${s.headersTimeoutMs}|${s.bodyTimeoutMs}|${s.keepAliveTimeoutMs}`;
}

/**
 * One undici Pool per upstream origin and settings, shared by every block that uses them:
 * keep-alive on, bounded connections, explicit connect, headers and body timeouts (DESIGN step 6),
 * all enforced by undici itself.
 */
export class PoolRegistry {
  readonly #pools = new Map<string, Pool>();
  readonly #admissions = new Map<string, Admission>();

  /** The admission queue of the pool `get` returns for the same origin and settings: shared like the pool. */
  admission(origin: string, s: PoolSettings): Admission {
    const key = poolKey(origin, s);
    let a = this.#admissions.get(key);
    if (!a) {
      a = new Admission(s.connections);
      this.#admissions.set(key, a);
    }
    return a;
  }

  get(origin: string, s: PoolSettings): Pool {
    const key = poolKey(origin, s);
    let pool = this.#pools.get(key);
    if (!pool) {
      pool = new Pool(origin, {
        connections: s.connections,
        headersTimeout: s.headersTimeoutMs,
        bodyTimeout: s.bodyTimeoutMs,
        keepAliveTimeout: s.keepAliveTimeoutMs,
        // An upstream may close an idle connection at any moment; undici retries idempotent
        // requests that fail that way only when told the connection may be stale, so keep the
        // local timeout under S3's (about 20 s) and let the server's hint win when it is shorter.
        keepAliveMaxTimeout: Math.max(s.keepAliveTimeoutMs, 1000),
        connect: { timeout: s.connectTimeoutMs, lookup: localhostAwareLookup },
      });
      this.#pools.set(key, pool);
    }
    return pool;
  }

  /**
   * Keeps the pools a new config uses and closes the others. `close()` lets requests already
   * running on a pool finish first (undici's graceful close), so a reload never cuts a download.
   */
  retain(keys: ReadonlySet<string>): Promise<void> {
    const closing: Array<Promise<void>> = [];
    for (const [key, pool] of this.#pools) {
      if (keys.has(key)) continue;
      this.#pools.delete(key);
      this.#admissions.delete(key);
      closing.push(pool.close());
    }
    return Promise.all(closing).then(() => undefined);
  }

  /** Every pool in use with its origin, for metrics. */
  entries(): Array<{ origin: string; pool: Pool }> {
    return [...this.#pools].map(([key, pool]) => ({ origin: key.slice(0, key.indexOf('|')), pool }));
  }

  async close(): Promise<void> {
    await Promise.all([...this.#pools.values()].map((p) => p.close()));
    this.#pools.clear();
  }
}
