import { readFileSync } from 'node:fs';
import type { RedisOptions } from 'ioredis';
import type { SharedStore } from '../config/types.js';
import { SCRIPTS } from './shared-scripts.js';

/** How the shared tier's store is named in logs and status, and what must never appear there. */
export interface SharedWhere {
  /** host:port/db, never the password. */
  readonly where: string;
  /** The URL's password, as written and decoded: SharedHealth scrubs both from every message. */
  readonly secrets: readonly string[];
}

export function sharedWhere(url: string): SharedWhere {
  const u = new URL(url);
  return {
    where: `${u.hostname}:${u.port || '6379'}/${u.pathname.replace(/^\//, '') || '0'}`,
    secrets: u.password === '' ? [] : [u.password, safeDecode(u.password)],
  };
}

/**
 * ioredis settings for the shared tier (README "Shield cache → Shared tier"): nothing ever waits
 * longer than `timeout`, nor is queued while Redis is away (no offline queue, no retry per
 * command); the client reconnects in the background every 0.2–2 s on its own.
 */
export function sharedRedisOptions(store: SharedStore): RedisOptions {
  const tls = new URL(store.url).protocol === 'rediss:';
  return {
    commandTimeout: store.timeoutMs,
    connectTimeout: Math.max(store.timeoutMs, 1000),
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    enableReadyCheck: false,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    protocol: 2,
    maintNotifications: 'disabled',
    disableClientInfo: true,
    connectionName: 'origin-signer',
    scripts: SCRIPTS,
    // rediss://: the server's certificate is checked against caFile (else the system's CAs) and the URL's host.
    ...(tls ? { tls: store.caFile ? { ca: readFileSync(store.caFile) } : {} } : {}),
  };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
