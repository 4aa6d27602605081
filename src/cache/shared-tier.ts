import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { SharedStore } from '../config/types.js';
import type { Logger } from '../log/logger.js';
import type { Entry } from './entry.js';
import { SharedHealth, type SharedOp, type SharedStatus } from './shared-health.js';
import { channelOf, decodeEntry, encodeEntry, entryKey, indexKey, indexOfKey, indexPattern, lockKey } from './shared-keys.js';
import { sharedRedisOptions, sharedWhere } from './shared-connection.js';
import type { ScriptCommands } from './shared-scripts.js';
import { SharedEvents, type RemoteDrops, type Watch } from './shared-events.js';
import { DropReplay } from './shared-pending.js';

export type { SharedStatus } from './shared-health.js';
export type { RemoteDrops, Watch } from './shared-events.js';

/** A fleet lock this replica holds on one fill. */
export interface FleetLock {
  readonly key: string;
  readonly token: string;
}

/** What the shared tier says about a fill about to start. */
export type Claim =
  /** Another replica's entry for it is there. */
  | { readonly kind: 'entry'; readonly entry: Entry }
  /** This replica fills it: the others wait for it. */
  | { readonly kind: 'lock'; readonly lock: FleetLock }
  /** Another replica fills it, for `ms` more at most. */
  | { readonly kind: 'held'; readonly ms: number }
  /** The tier cannot be asked now: fill it without it. */
  | { readonly kind: 'off' };

export interface SharedTierOptions {
  readonly store: SharedStore;
  readonly log: Pick<Logger, 'warn' | 'info'>;
  readonly onError?: (op: SharedOp) => void;
  /** One lookup in the tier: found or not. */
  readonly onRead?: (hit: boolean) => void;
}

/**
 * The tier shared by the replicas (README "Shield cache → Shared tier"): Redis or Valkey through
 * ioredis, connected as shared-connection.ts says (bounded waits, no offline queue). A call that
 * cannot be answered in time is a miss (or a fill without the fleet lock), counted and logged once
 * by SharedHealth.
 *
 * Replicas tell each other over one pub/sub channel: a fill that ends (its waiters read the tier
 * then), and invalidations and purges (each replica drops its own copies too).
 */
export class SharedTier {
  readonly #o: SharedTierOptions;
  readonly #redis: Redis;
  readonly #cmd: ScriptCommands;
  readonly #health: SharedHealth;
  readonly #events: SharedEvents;
  readonly #channel: string;
  readonly #pending: DropReplay;
  #closed = false;

  constructor(o: SharedTierOptions) {
    this.#o = o;
    const { where, secrets } = sharedWhere(o.store.url);
    this.#health = new SharedHealth({ log: o.log, where, secrets, onError: (op) => o.onError?.(op) });
    const options = sharedRedisOptions(o.store);
    this.#redis = new Redis(o.store.url, options);
    this.#cmd = this.#redis as unknown as ScriptCommands;
    this.#pending = new DropReplay({
      usable: () => this.#usable(),
      connected: () => this.#redis.status === 'ready',
      setAsideMs: () => this.#health.setAsideMs(),
      send: (kind, k) => (kind === 'inv' ? this.invalidate(k) : this.purgePrefix(k)),
      sendAll: () => this.purgePrefix(''),
    });
    // Never an unhandled 'error': a connection that fails is the tier being away, counted once per attempt.
    this.#redis.on('error', (err: unknown) => {
      if (!this.#closed) this.#health.failed('connect', err);
    });
    // Connected (and authenticated): reachable again; what could not be dropped meanwhile is dropped now.
    this.#redis.on('ready', () => {
      this.#health.succeeded();
      void this.#pending.replay();
    });
    this.#channel = channelOf(this.#redis.options.db ?? 0);
    this.#events = new SharedEvents(this.#redis, this.#channel);
  }

  /** Where this replica's own stores learn of other replicas' invalidations and purges. */
  set remote(r: RemoteDrops) {
    this.#events.remote = r;
  }

  /** Listens for the end of the fill of `collapseKey` at another replica; open it before claim(), so no end is missed. */
  watch(collapseKey: string): Watch {
    return this.#events.watch(lockKey(collapseKey));
  }

  get maxObjectBytes(): number {
    return this.#o.store.maxObjectBytes;
  }

  get ttlCapMs(): number {
    return this.#o.store.ttlCapMs;
  }

  get lockMs(): number {
    return this.#o.store.lockMs;
  }

  get timeoutMs(): number {
    return this.#o.store.timeoutMs;
  }

  #usable(write = false): boolean {
    return !this.#closed && this.#health.usable(this.#redis.status === 'ready', write);
  }

  /** Reads wait until this replica's queued drops reached the tier (DropReplay.settled). */
  #readable(): boolean {
    return this.#usable() && this.#pending.settled;
  }

  /** The entry, or undefined: none, or the tier could not say in time. */
  async get(key: string): Promise<Entry | undefined> {
    if (!this.#readable()) return undefined;
    let value: Buffer | null;
    try {
      value = await this.#cmd.osGetBuffer(entryKey(key), indexOfKey(key));
    } catch (err) {
      this.#health.failed('get', err);
      return undefined;
    }
    this.#health.succeeded();
    const entry = value ? decodeEntry(key, value) : undefined;
    this.#o.onRead?.(entry !== undefined);
    return entry;
  }

  /** Shares an entry for `ttlMs` (capped by ttlCap) if it is small enough; whether it was sent. */
  put(key: string, entry: Entry, ttlMs: number): boolean {
    const ttl = Math.ceil(Math.min(ttlMs, this.#o.store.ttlCapMs));
    if (ttl < 1 || entry.body.length > this.#o.store.maxObjectBytes || !this.#usable(true)) return false;
    this.#cmd.osPut(entryKey(key), indexOfKey(key), encodeEntry(key, entry), ttl).then(
      () => this.#health.succeeded(true),
      (err: unknown) => this.#health.failed('put', err),
    );
    return true;
  }

  /** One entry out of the tier (an object found gone or no longer storable on revalidation). */
  delete(key: string): void {
    if (!this.#usable()) return;
    this.#redis.del(entryKey(key)).then(
      () => this.#health.succeeded(),
      (err: unknown) => this.#health.failed('delete', err),
    );
  }

  /** Drops every entry of the object `base` and tells the other replicas; how many entries there were. */
  async invalidate(base: string): Promise<number> {
    if (!this.#usable()) {
      this.#pending.queue('inv', base);
      return 0;
    }
    try {
      const n = await this.#cmd.osDrop(indexKey(base), this.#channel, this.#events.say('inv', base));
      this.#health.succeeded();
      return n;
    } catch (err) {
      this.#health.failed('delete', err);
      this.#pending.queue('inv', base);
      return 0;
    }
  }

  /** Drops every entry whose key starts with `prefix` (SCAN over the object indexes) and tells the other replicas. */
  async purgePrefix(prefix: string): Promise<number> {
    if (!this.#usable()) {
      this.#pending.queue('purge', prefix);
      return 0;
    }
    let n = 0;
    try {
      let cursor = '0';
      do {
        const [next, keys] = await this.#redis.scan(cursor, 'MATCH', indexPattern(prefix), 'COUNT', 1000);
        for (const k of keys) n += await this.#cmd.osDrop(k, '', '');
        cursor = next;
      } while (cursor !== '0');
      await this.#redis.publish(this.#channel, this.#events.say('purge', prefix));
      this.#health.succeeded();
    } catch (err) {
      this.#health.failed('purge', err);
      this.#pending.queue('purge', prefix);
    }
    return n;
  }

  /** Before a fill: the entry another replica left (`look`), else the fleet lock, else who holds it. */
  async claim(collapseKey: string, sharedKey: string, look: boolean): Promise<Claim> {
    if (!this.#readable()) return { kind: 'off' };
    const lock: FleetLock = { key: lockKey(collapseKey), token: randomBytes(12).toString('hex') };
    let r: [number, Buffer | number] | [number];
    try {
      r = await this.#cmd.osClaimBuffer(entryKey(sharedKey), indexOfKey(sharedKey), lock.key, lock.token, this.#o.store.lockMs, look ? '1' : '0');
    } catch (err) {
      this.#health.failed('lock', err);
      return { kind: 'off' };
    }
    this.#health.succeeded();
    if (r[0] === 1) {
      const entry = Buffer.isBuffer(r[1]) ? decodeEntry(sharedKey, r[1]) : undefined;
      this.#o.onRead?.(entry !== undefined);
      return entry ? { kind: 'entry', entry } : { kind: 'off' };
    }
    if (look) this.#o.onRead?.(false);
    if (r[0] === 2) return { kind: 'lock', lock };
    return { kind: 'held', ms: typeof r[1] === 'number' && r[1] > 0 ? r[1] : this.#o.store.lockMs };
  }

  /** Ends a fill this replica held the lock of; its waiters read the tier (`kept`) or fill it themselves. */
  release(lock: FleetLock, kept: boolean): void {
    if (this.#closed) return;
    this.#cmd.osRelease(lock.key, lock.token, this.#channel, this.#events.say('done', lock.key, kept ? 1 : 0)).catch((err: unknown) => this.#health.failed('lock', err));
  }

  status(): SharedStatus {
    return this.#health.status(this.#redis.status === 'ready');
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#pending.close();
    this.#events.close();
    this.#redis.disconnect();
  }
}
